"""Contributions that arrive as issues: the paper links an issue gives, the entry written in the list's
format, the section and line it belongs at, and the one comment that says so (pure)."""
