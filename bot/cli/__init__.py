"""Command line entry points; each imports only what its command needs (start-up counts)."""
