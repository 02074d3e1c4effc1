"""Fixtures for end-to-end runs over the shared fake GitHub."""

from pathlib import Path

import pytest

from testing.github import FakeGitHub
from testing.pytest_plugin import fake_github
from tests.e2e.harness import FILES, FOLLOWED, REPO, Actions

__all__ = ["fake_github", "followed_actions", "repo_actions"]


@pytest.fixture
def repo_actions(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Actions:
    """Actions runs for the demo repository (REPO with FILES) on the fake GitHub."""
    fake_github.add_repo(REPO, FILES)
    return Actions(fake_github, tmp_path, monkeypatch)


@pytest.fixture
def followed_actions(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Actions:
    """Actions runs for the demo repository configured with one tracking issue per problem."""
    fake_github.add_repo(REPO, FOLLOWED)
    return Actions(fake_github, tmp_path, monkeypatch)
