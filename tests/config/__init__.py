"""Tests of bot/core/config/: loading and validating config.yml, and the files written from the declarations."""
