"""config.yml: the declared keys, parsing and validation, and the files written from the declarations."""
