"""Tests of bot/core/format/: a list's format learnt from the list and held to its entries."""
