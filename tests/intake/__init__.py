"""Tests of bot/core/intake/: the answer to an issue that names papers (links, section, place, comment)."""
