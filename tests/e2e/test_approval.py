"""Approval mode end to end: nothing is dispatched until a trusted maintainer ticks a box."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.github import FakeGitHub
from tests.e2e.harness import (
    AGENT_CONFIG,
    FILES,
    REPO,
    Actions,
    dashboards,
    prime_state,
    tracking,
)
from tests.e2e.test_dashboard import _edited, _tick

APPROVAL = "jobs:\n  require_approval: true\n" + AGENT_CONFIG


@pytest.fixture
def actions(fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Actions:
    return Actions(fake_github, tmp_path, monkeypatch)


def _section(body: str) -> str:
    return body.split("## Awaiting approval\n", 1)[1].split("\n## ", 1)[0]


def _approval_repo(fake: FakeGitHub, actions: Actions) -> str:
    """The demo repository in approval mode after its first wake; its dashboard body."""
    fake.add_repo(REPO, {**FILES, ".github/prime.yml": APPROVAL})
    assert actions.run("workflow_dispatch")[0] == 0
    (dashboard,) = dashboards(fake)
    return dashboard.body or ""


def test_in_approval_mode_a_wake_dispatches_nothing_and_lists_every_fix_with_a_box(
    fake_github: FakeGitHub, actions: Actions
) -> None:
    body = _approval_repo(fake_github, actions)
    state = prime_state(fake_github)
    assert state.in_flight == ()
    assert state.plan == ()
    assert tracking(fake_github) == {}  # no tracking issue for work nobody approved
    assert fake_github.dispatches == []
    section = _section(body)
    failing = {s.name for s in state.signals if s.status == "failing" and s.fix}
    assert failing
    for name in failing:
        assert f"- [ ] <!-- prime:run={name} --> **{name}**" in section
    assert "Nothing to fix right now." in body  # the plan: nothing may run


def test_a_trusted_tick_approves_that_fix_alone_and_an_untrusted_one_nothing(
    fake_github: FakeGitHub, actions: Actions
) -> None:
    body = _approval_repo(fake_github, actions)
    (dashboard,) = dashboards(fake_github)
    ticked = _tick(body, "run=license")
    dashboard.body = ticked
    stranger = {
        "issue.number": dashboard.number,
        "issue.body": ticked,
        "sender.login": "stranger",
        "issue.user.login": "stranger",
        "issue.author_association": "NONE",
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    assert actions.run("issues.edited", stranger)[0] == 0
    assert prime_state(fake_github).in_flight == ()

    assert _edited(actions, dashboard.number, ticked)[0] == 0
    state = prime_state(fake_github)
    assert [job.signal for job in state.in_flight] == ["license"]
    license_fp = next(s.fingerprint for s in state.signals if s.name == "license")
    assert state.approved == {"license": license_fp}
    after = next(i for i in fake_github.issues(REPO) if i.number == dashboard.number).body or ""
    assert "<!-- prime:run=license -->" not in _section(after)
    assert "[x]" not in after
    # Later wakes still hold everything else back.
    actions.run("workflow_dispatch")
    assert [job.signal for job in prime_state(fake_github).in_flight] == ["license"]
