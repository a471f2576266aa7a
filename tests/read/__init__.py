"""Tests of bot/core/read/: the block structure, the field reader, the document."""
