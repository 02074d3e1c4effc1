"""The dashboard issue end to end: created once, boxes acted on once, repaired, never idle."""

from __future__ import annotations

import re

import pytest

from testing.github import FakeGitHub
from testing.state import Issue
from tests.e2e.harness import REPO, Actions, comment_count, dashboards, prime_state, tracking


def _dashboard(fake: FakeGitHub) -> Issue:
    (found,) = dashboards(fake)
    return found


def _tick(body: str, key: str) -> str:
    box = f"- [ ] <!-- prime:{key} -->"
    assert box in body, f"no unticked {key} box"
    return body.replace(box, f"- [x] <!-- prime:{key} -->")


def _edited(
    repo_actions: Actions, number: int, body: str, before: str | None = None
) -> tuple[int, str]:
    """The `issues: edited` event of an edit that ticked every box ticked in `body`."""
    changes = {
        "issue.number": number,
        "issue.body": body,
        "changes": {"body": {"from": body.replace("- [x]", "- [ ]") if before is None else before}},
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    return repo_actions.run("issues.edited", changes)


def test_first_wake_creates_one_dashboard_and_remembers_its_number(repo_actions: Actions) -> None:
    repo_actions.run("workflow_dispatch")
    dashboard = _dashboard(repo_actions.fake)
    assert "- [ ] <!-- prime:wake -->" in dashboard.body
    assert "- [ ] <!-- prime:run=security-policy -->" in dashboard.body  # a plan box
    assert "**dependabot**: fileops runner" in dashboard.body  # in flight
    assert prime_state(repo_actions.fake).dashboard_issue == dashboard.number
    assert "automated" in dashboard.labels
    repo_actions.run("workflow_dispatch")
    repo_actions.run("workflow_dispatch")
    assert repo_actions.fake.writes == 0  # the third wake: nothing changed, nothing written
    assert len(dashboards(repo_actions.fake)) == 1


def test_ticked_pause_box_is_acted_on_once_then_unticked(repo_actions: Actions) -> None:
    repo_actions.run("workflow_dispatch")
    dashboard = _dashboard(repo_actions.fake)
    dashboard.body = _tick(dashboard.body or "", "pause")
    code, summary = _edited(repo_actions, dashboard.number, dashboard.body)
    assert code == 0
    assert "dashboard-edited" in summary
    assert prime_state(repo_actions.fake).status == "paused"
    body = _dashboard(repo_actions.fake).body or ""
    assert "[x]" not in body
    assert "- [ ] <!-- prime:resume -->" in body  # the controls follow the state
    issues, comments = len(repo_actions.fake.issues(REPO)), comment_count(repo_actions.fake)
    code, _ = _edited(repo_actions, dashboard.number, body)  # the unticking edit's event
    assert code == 0
    assert repo_actions.fake.writes == 0
    assert (len(repo_actions.fake.issues(REPO)), comment_count(repo_actions.fake)) == (
        issues,
        comments,
    )


def test_run_now_box_submits_that_job_past_the_in_flight_limit(repo_actions: Actions) -> None:
    repo_actions.run("workflow_dispatch")
    assert {job.signal for job in prime_state(repo_actions.fake).in_flight} == {
        "dependabot",
        "workflow-permissions",
    }
    dashboard = _dashboard(repo_actions.fake)
    dashboard.body = _tick(dashboard.body or "", "run=license")
    _edited(repo_actions, dashboard.number, dashboard.body)
    state = prime_state(repo_actions.fake)
    assert "license" in {job.signal for job in state.in_flight}
    assert tracking(repo_actions.fake) == {}  # the job's PR will be its record
    assert "[x]" not in (_dashboard(repo_actions.fake).body or "")


def test_box_ticked_while_a_wake_runs_is_kept_for_the_next_wake(repo_actions: Actions) -> None:
    repo_actions.run("workflow_dispatch")
    dashboard = _dashboard(repo_actions.fake)
    ticked_wake = _tick(dashboard.body or "", "wake")
    dashboard.body = ticked_wake

    def tick_pause_meanwhile(fake: FakeGitHub) -> None:
        fake.issues(REPO)[dashboard.number - 1].body = _tick(
            fake.issues(REPO)[dashboard.number - 1].body or "", "pause"
        )

    # A maintainer ticks "pause" after the wake read the boxes (as it reads its decisions).
    repo_actions.fake.on_request(
        lambda r: r.path.endswith("/decisions.jsonl"), tick_pause_meanwhile
    )
    _edited(repo_actions, dashboard.number, ticked_wake)
    body = _dashboard(repo_actions.fake).body or ""
    assert "- [ ] <!-- prime:wake -->" in body  # handled, unticked
    assert "- [x] <!-- prime:pause -->" in body  # not seen by that wake: kept
    assert prime_state(repo_actions.fake).status == "active"
    _edited(repo_actions, dashboard.number, body)
    assert prime_state(repo_actions.fake).status == "paused"


def test_untrusted_editor_ticking_a_box_changes_nothing(repo_actions: Actions) -> None:
    repo_actions.run("workflow_dispatch")
    dashboard = _dashboard(repo_actions.fake)
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
    code, summary = repo_actions.run("issues.edited", changes)
    assert code == 0
    assert "untrusted" in summary
    assert repo_actions.fake.writes == 0
    assert prime_state(repo_actions.fake).status == "active"


@pytest.mark.parametrize("damage", ["", "I deleted everything\n- [x] not a box", "   "])
def test_blank_or_hand_edited_dashboard_is_repaired_in_place(
    repo_actions: Actions, damage: str
) -> None:
    repo_actions.run("workflow_dispatch")
    number = _dashboard(repo_actions.fake).number
    repo_actions.fake.issues(REPO)[number - 1].body = damage
    code, _ = repo_actions.run("workflow_dispatch")
    assert code == 0
    repaired = _dashboard(repo_actions.fake)
    assert repaired.number == number
    assert "<!-- prime:wake -->" in (repaired.body or "")


def test_lost_state_branch_is_rebuilt_from_the_issues_and_the_dashboard_says_so(
    followed_actions: Actions,
) -> None:
    repo_actions = followed_actions
    repo_actions.run("workflow_dispatch")
    fake = repo_actions.fake
    issues = tracking(fake)
    fake.label_issue(REPO, issues["dependabot"], "needs-human")
    fake.delete_branch(REPO, "prime-state")
    code, _ = repo_actions.run("workflow_dispatch")
    assert code == 0
    state = prime_state(fake)
    assert state.rebuilt
    assert state.blocked == {"dependabot": _fingerprint(fake, issues["dependabot"])}
    # The in-progress label brought back the job that was in flight: not submitted twice.
    assert {job.signal for job in state.in_flight} >= {"workflow-permissions"}
    assert tracking(fake) == issues
    assert "rebuilt from its issues" in (_dashboard(fake).body or "")
    repo_actions.run("workflow_dispatch")
    assert not prime_state(fake).rebuilt
    assert "rebuilt from its issues" not in (_dashboard(fake).body or "")


def _fingerprint(fake: FakeGitHub, number: int) -> str:
    body = fake.issues(REPO)[number - 1].body or ""
    found = re.search(r'"fingerprint":"([^"]*)"', body)
    assert found is not None
    return found.group(1)
