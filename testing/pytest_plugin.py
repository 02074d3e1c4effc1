"""Pytest fixtures for the fake GitHub: `fake_github` (started) and `github_client` (PyGithub)."""

from __future__ import annotations

from collections.abc import Iterator

import github
import pytest

from testing.github import FakeGitHub
from testing.graphql import FakeGraphQL


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A started FakeGitHub; the test fails if a spec violation was swallowed on the way.

    Tests that provoke violations on purpose collect them with `fake.take_violations()`.
    GraphQL is answered from the same repositories (checked against GitHub's schema).
    """
    fake = FakeGitHub()
    FakeGraphQL().install(fake)  # answers from the fake's repositories; a test may replace it
    with fake:
        yield fake
    violations = fake.take_violations()
    if violations:
        pytest.fail(
            "requests or answers broke GitHub's REST description:\n" + "\n".join(violations)
        )


@pytest.fixture
def github_client(fake_github: FakeGitHub) -> github.Github:
    """A PyGithub client aimed at `fake_github`, with no retries or throttling."""
    return fake_github.client()
