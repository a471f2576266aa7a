"""Reading a list file: lines into blocks, inline markup into fields, entries held against a format (the grammar)."""
