"""The embedded default: memory kept as files in PATH/.prime/, no network, no token."""
