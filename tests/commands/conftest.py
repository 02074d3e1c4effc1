"""Fixtures for command tests that run against the shared fake GitHub."""

from testing.pytest_plugin import fake_github

__all__ = ["fake_github"]
