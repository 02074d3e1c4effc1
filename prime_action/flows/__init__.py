"""What each command does on GitHub, over the adapters."""
