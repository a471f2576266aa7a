"""awesome-review: a GitHub bot that reviews contributions to curated paper lists."""

__version__ = "0.1.0"
