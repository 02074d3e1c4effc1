"""GitHub adapters: the ports implemented with PyGithub (no hand-written HTTP client)."""
