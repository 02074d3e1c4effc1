"""Fixtures for the growth tests that wake over the shared fake GitHub."""

from testing.pytest_plugin import fake_github

__all__ = ["fake_github"]
