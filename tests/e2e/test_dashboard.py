"""The dashboard issue end to end: created once, boxes acted on once, repaired, never idle."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from prime_action.domain.models import PrimeState
from prime_action.testing.github import FakeGitHub
from prime_action.testing.state import Issue
from tests.e2e.harness import FILES, REPO, Actions, comment_count, dashboards, tracking


@pytest.fixture
def actions(fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Actions:
    fake_github.add_repo(REPO, FILES)
    return Actions(fake_github, tmp_path, monkeypatch)


def _state(fake: FakeGitHub) -> PrimeState:
    return PrimeState.model_validate(json.loads(fake.read(REPO, "state.json", ref="prime-state")))


def _dashboard(fake: FakeGitHub) -> Issue:
    (found,) = dashboards(fake)
    return found


def _tick(body: str, key: str) -> str:
    box = f"- [ ] <!-- prime:{key} -->"
    assert box in body, f"no unticked {key} box"
    return body.replace(box, f"- [x] <!-- prime:{key} -->")


def _edited(actions: Actions, number: int, body: str) -> tuple[int, str]:
    changes = {
        "issue.number": number,
        "issue.body": body,
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    return actions.run("issues.edited", changes)


def test_first_wake_creates_one_dashboard_and_remembers_its_number(actions: Actions) -> None:
    actions.run("workflow_dispatch")
    dashboard = _dashboard(actions.fake)
    assert "- [ ] <!-- prime:wake -->" in dashboard.body
    assert "- [ ] <!-- prime:run=security-policy -->" in dashboard.body  # a plan box
    assert "**dependabot**: fileops runner" in dashboard.body  # in flight
    assert _state(actions.fake).dashboard_issue == dashboard.number
    assert "automated" in dashboard.labels
    actions.run("workflow_dispatch")
    actions.run("workflow_dispatch")
    assert actions.fake.writes == 0  # the third wake: nothing changed, nothing written
    assert len(dashboards(actions.fake)) == 1


def test_ticked_pause_box_is_acted_on_once_then_unticked(actions: Actions) -> None:
    actions.run("workflow_dispatch")
    dashboard = _dashboard(actions.fake)
    dashboard.body = _tick(dashboard.body or "", "pause")
    code, summary = _edited(actions, dashboard.number, dashboard.body)
    assert code == 0
    assert "dashboard-edited" in summary
    assert _state(actions.fake).status == "paused"
    body = _dashboard(actions.fake).body or ""
    assert "[x]" not in body
    assert "- [ ] <!-- prime:resume -->" in body  # the controls follow the state
    issues, comments = len(actions.fake.issues(REPO)), comment_count(actions.fake)
    code, _ = _edited(actions, dashboard.number, body)  # the unticking edit's event
    assert code == 0
    assert actions.fake.writes == 0
    assert (len(actions.fake.issues(REPO)), comment_count(actions.fake)) == (issues, comments)


def test_run_now_box_submits_that_job_past_the_in_flight_limit(actions: Actions) -> None:
    actions.run("workflow_dispatch")
    assert {job.signal for job in _state(actions.fake).in_flight} == {
        "dependabot",
        "workflow-permissions",
    }
    dashboard = _dashboard(actions.fake)
    dashboard.body = _tick(dashboard.body or "", "run=license")
    _edited(actions, dashboard.number, dashboard.body)
    state = _state(actions.fake)
    assert "license" in {job.signal for job in state.in_flight}
    assert "license" in tracking(actions.fake)
    assert "[x]" not in (_dashboard(actions.fake).body or "")


def test_box_ticked_while_a_wake_runs_is_kept_for_the_next_wake(actions: Actions) -> None:
    actions.run("workflow_dispatch")
    dashboard = _dashboard(actions.fake)
    ticked_wake = _tick(dashboard.body or "", "wake")
    dashboard.body = ticked_wake

    def tick_pause_meanwhile(fake: FakeGitHub) -> None:
        fake.issues(REPO)[dashboard.number - 1].body = _tick(
            fake.issues(REPO)[dashboard.number - 1].body or "", "pause"
        )

    # A maintainer ticks "pause" after the wake read the boxes (as it reads its decisions).
    actions.fake.on_request(lambda r: r.path.endswith("/decisions.jsonl"), tick_pause_meanwhile)
    _edited(actions, dashboard.number, ticked_wake)
    body = _dashboard(actions.fake).body or ""
    assert "- [ ] <!-- prime:wake -->" in body  # handled, unticked
    assert "- [x] <!-- prime:pause -->" in body  # not seen by that wake: kept
    assert _state(actions.fake).status == "active"
    _edited(actions, dashboard.number, body)
    assert _state(actions.fake).status == "paused"


def test_untrusted_editor_ticking_a_box_changes_nothing(actions: Actions) -> None:
    actions.run("workflow_dispatch")
    dashboard = _dashboard(actions.fake)
    dashboard.body = _tick(dashboard.body or "", "pause")
    changes = {
        "issue.number": dashboard.number,
        "issue.body": dashboard.body,
        "issue.author_association": "NONE",
        "sender.login": "stranger",
        "issue.user.login": "stranger",
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    code, summary = actions.run("issues.edited", changes)
    assert code == 0
    assert "untrusted" in summary
    assert actions.fake.writes == 0
    assert _state(actions.fake).status == "active"


@pytest.mark.parametrize("damage", ["", "I deleted everything\n- [x] not a box", "   "])
def test_blank_or_hand_edited_dashboard_is_repaired_in_place(actions: Actions, damage: str) -> None:
    actions.run("workflow_dispatch")
    number = _dashboard(actions.fake).number
    actions.fake.issues(REPO)[number - 1].body = damage
    code, _ = actions.run("workflow_dispatch")
    assert code == 0
    repaired = _dashboard(actions.fake)
    assert repaired.number == number
    assert "<!-- prime:wake -->" in (repaired.body or "")


def test_lost_state_branch_is_rebuilt_from_the_issues_and_the_dashboard_says_so(
    actions: Actions,
) -> None:
    actions.run("workflow_dispatch")
    fake = actions.fake
    issues = tracking(fake)
    fake.label_issue(REPO, issues["dependabot"], "needs-human")
    fake.delete_branch(REPO, "prime-state")
    code, _ = actions.run("workflow_dispatch")
    assert code == 0
    state = _state(fake)
    assert state.rebuilt
    assert state.blocked == {"dependabot": _fingerprint(fake, issues["dependabot"])}
    # The in-progress label brought back the job that was in flight: not submitted twice.
    assert {job.signal for job in state.in_flight} >= {"workflow-permissions"}
    assert tracking(fake) == issues
    assert "rebuilt from its issues" in (_dashboard(fake).body or "")
    actions.run("workflow_dispatch")
    assert not _state(fake).rebuilt
    assert "rebuilt from its issues" not in (_dashboard(fake).body or "")


def _fingerprint(fake: FakeGitHub, number: int) -> str:
    body = fake.issues(REPO)[number - 1].body or ""
    found = re.search(r'"fingerprint":"([^"]*)"', body)
    assert found is not None
    return found.group(1)
