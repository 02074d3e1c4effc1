"""Fixtures for the fake GitHub's own tests."""

from testing.pytest_plugin import fake_github, github_client

__all__ = ["fake_github", "github_client"]
