"""A maintainer's "no" end to end: a closed tracking issue or an unmerged Prime PR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prime_action.domain.models import PrimeState
from prime_action.testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, Actions, comment_count, tracking


@pytest.fixture
def actions(fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Actions:
    fake_github.add_repo(REPO, FILES)
    return Actions(fake_github, tmp_path, monkeypatch)


def _state(fake: FakeGitHub) -> PrimeState:
    return PrimeState.model_validate(json.loads(fake.read(REPO, "state.json", ref="prime-state")))


HERE = {"repository.full_name": REPO, "repository.default_branch": "main"}


def test_prime_pr_closed_unmerged_suppresses_the_same_fix(actions: Actions) -> None:
    actions.run("workflow_dispatch")
    assert "dependabot" in {job.signal for job in _state(actions.fake).in_flight}
    closed = {
        **HERE,
        "pull_request.head.ref": "prime/dependabot",
        "pull_request.head.repo.full_name": REPO,
        "pull_request.merged": False,
    }
    code, summary = actions.run("pull_request.closed", closed)
    assert code == 0
    assert "pr-closed-unmerged" in summary
    state = _state(actions.fake)
    assert "dependabot" in state.refused
    assert "dependabot" not in {job.signal for job in state.in_flight}
    assert "dependabot" not in {item.signal for item in state.plan}
    issues, comments = len(actions.fake.issues(REPO)), comment_count(actions.fake)
    actions.run("workflow_dispatch")
    assert "dependabot" not in {job.signal for job in _state(actions.fake).in_flight}
    assert (len(actions.fake.issues(REPO)), comment_count(actions.fake)) == (issues, comments)


def test_a_fork_named_prime_branch_closing_is_nobody_saying_no(actions: Actions) -> None:
    actions.run("workflow_dispatch")
    closed = {**HERE, "pull_request.head.ref": "prime/dependabot", "pull_request.merged": False}
    code, summary = actions.run("pull_request.closed", closed)  # head repo: someone's fork
    assert code == 0
    assert "Not woken" in summary
    assert _state(actions.fake).refused == {}


def test_tracking_issue_closed_by_a_human_is_not_reopened(actions: Actions) -> None:
    actions.run("workflow_dispatch")
    number = tracking(actions.fake)["dependabot"]
    actions.fake.issues(REPO)[number - 1].state = "closed"
    closed = {**HERE, "issue.number": number, "issue.state": "closed"}
    code, _ = actions.run("issues.closed", closed)
    assert code == 0
    assert "dependabot" in _state(actions.fake).refused
    actions.run("workflow_dispatch")
    assert actions.fake.issues(REPO)[number - 1].state == "closed"
