"""Fixtures for the GitHub adapters: the shared fake GitHub and a Prime client aimed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from prime_action.adapters.github.client import GitHubClient, RetryPolicy
from testing.github import FakeGitHub
from testing.pytest_plugin import fake_github

__all__ = ["fake_github"]


@pytest.fixture
def client(fake_github: FakeGitHub) -> Iterator[GitHubClient]:
    """Prime's client on the fake: no sleeping between retries or writes."""
    made = GitHubClient(
        "fake-token",
        fake_github.base_url,
        policy=RetryPolicy(sleep=lambda _: None),
        write_spacing=0,
    )
    yield made
    made.close()
