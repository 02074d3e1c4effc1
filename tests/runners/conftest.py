"""Fixtures for the runners: the shared fake GitHub and the boundary's host on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from prime_action.adapters.github.client import GitHubClient, RetryPolicy
from prime_action.adapters.github.pulls import GitHubPulls
from testing.github import FakeGitHub
from testing.pytest_plugin import fake_github

__all__ = ["fake_github"]
REPO = "acme/api"


@pytest.fixture
def host(fake_github: FakeGitHub) -> Iterator[GitHubPulls]:
    """`acme/api` (a README and src/app.py on main) behind the PR boundary, on the fake."""
    fake_github.add_repo(REPO, {"README.md": "# api\n", "src/app.py": "print('hi')\n"})
    client = GitHubClient(
        "fake-token", fake_github.base_url, policy=RetryPolicy(sleep=lambda _: None),
        write_spacing=0,
    )  # fmt: skip
    yield GitHubPulls(client, REPO)
    client.close()
