"""Fixtures for end-to-end runs over the shared fake GitHub."""

from pathlib import Path

import pytest

from prime_action.domain.clock import SystemClock
from testing.github import FakeGitHub
from testing.pytest_plugin import fake_github
from tests.e2e.harness import FILES, FOLLOWED, REPO, Actions
from tests.e2e.test_data_plane import DataPlane

__all__ = ["fake_github", "followed_actions", "plane", "repo_actions"]


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


@pytest.fixture
def plane(fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataPlane:
    """The data plane's commands as Actions runs. They read the system clock: the fake's
    follows it, so that a PR the runner just opened is not months old to the wake (which
    closes idle Prime PRs)."""
    fake_github.clock.set(SystemClock().now())
    return DataPlane(fake_github, tmp_path, monkeypatch)
