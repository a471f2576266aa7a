"""Tests of bot/core/verdict/: the judge, the pipeline, the review plan and reconciling it with GitHub."""
