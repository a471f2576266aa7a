"""A list's format, learnt from the list (infer) and held to each entry (syntax)."""
