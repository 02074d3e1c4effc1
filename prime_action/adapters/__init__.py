"""Adapters: the ports implemented over local files, GitHub (PyGithub) and litellm."""
