"""Repo Prime end to end: `prime wake` in Actions mode against the stateful fake GitHub."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from prime_action.cli import main
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, TOKEN, Actions, prime_state, tracking
from tests.events.payloads import payload


@pytest.fixture
def actions(fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Actions:
    return Actions(fake_github, tmp_path, monkeypatch)


def _wake(
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stem: str,
    changes: dict[str, Any] | None = None,
) -> tuple[int, str]:
    return Actions(fake, tmp_path, monkeypatch).run(stem, changes)


def _tracking(fake: FakeGitHub) -> dict[str, int]:
    return tracking(fake)


def test_first_wake_submits_the_heaviest_jobs_opens_no_issue_and_writes_the_state_branch(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_github.add_repo(REPO, FILES)
    fake_github.set_ci(REPO, "failure", failing=["test"])
    code, summary = _wake(fake_github, tmp_path, monkeypatch, "workflow_dispatch")
    assert code == 0
    # The heaviest signals first, up to jobs.max_in_flight (CI, critical, goes past it); no
    # tracking issue: each job's PR will be the record of its problem (DESIGN §4).
    assert {j.signal for j in prime_state(fake_github).in_flight} == {"ci", "dependabot"}
    assert _tracking(fake_github) == {}
    assert [i.title for i in fake_github.issues(REPO)] == ["Prime dashboard"]
    assert fake_github.ref(REPO, "prime-state") is not None
    assert "| failing | ci | critical |" in summary
    assert "GitHub requests:" in summary
    assert TOKEN not in summary + capsys.readouterr().out


def test_second_identical_wake_creates_nothing_new(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(REPO, FILES)
    _wake(fake_github, tmp_path, monkeypatch, "workflow_dispatch")
    issues, state = len(fake_github.issues(REPO)), fake_github.ref(REPO, "prime-state")
    comments = sum(len(fake_github.comments(REPO, i.number)) for i in fake_github.issues(REPO))
    code, _ = _wake(fake_github, tmp_path, monkeypatch, "workflow_dispatch")
    assert code == 0
    assert len(fake_github.issues(REPO)) == issues
    assert (
        sum(len(fake_github.comments(REPO, i.number)) for i in fake_github.issues(REPO)) == comments
    )
    code, _ = _wake(fake_github, tmp_path, monkeypatch, "workflow_dispatch")
    assert fake_github.writes == 0  # the third wake changed nothing and wrote nothing
    assert fake_github.ref(REPO, "prime-state") != state  # (the second recorded the quiet decision)


def test_scheduled_tick_while_hibernating_makes_one_request_and_no_write(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(REPO, FILES)
    _wake(fake_github, tmp_path, monkeypatch, "workflow_dispatch")
    code, summary = _wake(fake_github, tmp_path, monkeypatch, "schedule")
    assert code == 0
    assert len(fake_github.requests) == 1
    assert fake_github.writes == 0
    assert "Asleep until" in summary


def test_untrusted_prime_comment_does_nothing(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(REPO, FILES)
    changes = {
        "comment.body": "/prime pause",
        "comment.author_association": "NONE",
        "repository.full_name": REPO,
    }
    code, summary = _wake(fake_github, tmp_path, monkeypatch, "issue_comment.created", changes)
    assert code == 0
    assert "untrusted" in summary
    assert fake_github.writes == 0
    assert fake_github.ref(REPO, "prime-state") is None


def test_ci_failed_workflow_run_wakes_prime(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stem = "workflow_run.completed"
    default = payload(stem)["repository"]["default_branch"]
    fake_github.add_repo(REPO, FILES, default_branch=default)
    fake_github.set_ci(REPO, "failure", failing=["test"])
    changes = {"workflow_run.conclusion": "failure", "workflow_run.head_branch": default}
    code, summary = _wake(fake_github, tmp_path, monkeypatch, stem, changes)
    assert code == 0
    assert "Reason: **ci-failed**" in summary
    assert "ci" in {j.signal for j in prime_state(fake_github).in_flight}


def test_missing_token_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name, raising=False)
    assert main(["wake"]) == 2
    assert (
        "GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_TOKEN not set"
        in capsys.readouterr().err
    )


def test_malformed_event_payload_exits_2_naming_the_file(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_github.add_repo(REPO, FILES)
    bad = tmp_path / "event.json"
    bad.write_text("{not json")
    _wake(fake_github, tmp_path, monkeypatch, "workflow_dispatch")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(bad))
    assert main(["wake"]) == 2
    assert "event.json" in capsys.readouterr().err
