"""Org Prime as the alarm clock: `prime-wake` to due repositories only, once per due time."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from prime_action.adapters.github.org import Home
from prime_action.domain import clock as clock_module
from prime_action.domain.errors import GitHubError
from prime_action.flows import org as flows_org
from prime_action.org.model import OrgState
from testing.github import FakeGitHub
from tests.e2e.harness import REPO, Actions, prime_state
from tests.e2e.idle_month import ORG_REPO, OWNER, START, Clock, add_org, org_run, simulate


@pytest.fixture
def clock(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock(fake_github)
    monkeypatch.setattr(clock_module.SystemClock, "now", lambda self: found.now)
    found.set(START)
    return found


@pytest.fixture
def org(fake_github: FakeGitHub, tmp_path: Path) -> Path:
    return add_org(fake_github, tmp_path / "org")


def wakes(fake: FakeGitHub) -> list[str]:
    return [d.repo for d in fake.repository_dispatches if d.event_type == "prime-wake"]


def org_state(fake: FakeGitHub) -> OrgState:
    text = fake.read(ORG_REPO, "org-state.json", ref="prime-state")
    return OrgState.model_validate_json(text or "{}")


def test_org_prime_wakes_a_repository_once_when_its_next_wake_has_passed(
    fake_github: FakeGitHub,
    org: Path,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actions = Actions(fake_github, tmp_path, monkeypatch)
    assert actions.run("workflow_dispatch")[0] == 0
    due = prime_state(fake_github).next_wake_at
    assert due is not None

    org_run(fake_github, org, clock.now)
    assert wakes(fake_github) == []  # asleep: nobody is woken

    clock.set(due + timedelta(minutes=1))
    run = org_run(fake_github, org, clock.now)
    assert (run.woken, wakes(fake_github)) == (1, [REPO])
    assert fake_github.repository_dispatches[-1].client_payload == {"due": due.isoformat()}
    assert org_state(fake_github).woken == {REPO: due}

    # A rerun (or the next hour) before the repository woke: the same due time, no second event.
    org_run(fake_github, org, clock.now + timedelta(hours=1))
    assert wakes(fake_github) == [REPO]


def test_a_concurrent_org_run_that_loses_the_state_race_sends_no_wake(
    fake_github: FakeGitHub, org: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = json.dumps({"next_wake_at": "2026-03-01T00:00:00Z"})
    fake_github.push(REPO, {"state.json": state}, branch="prime-state")
    org_run(fake_github, org, clock.now)  # creates the org's prime-state branch
    assert wakes(fake_github) == [REPO]
    state = json.dumps({"next_wake_at": "2026-03-02T00:00:00Z"})
    fake_github.push(REPO, {"state.json": state}, branch="prime-state")
    # Another run moves the org state between this run's read and its write.
    read = flows_org.read_home

    def read_then_race(*args: Any, **kwargs: Any) -> Home:
        home = read(*args, **kwargs)
        fake_github.push(ORG_REPO, {"other.txt": "x"}, branch="prime-state")
        return home

    monkeypatch.setattr(flows_org, "read_home", read_then_race)
    with pytest.raises(GitHubError):
        org_run(fake_github, org, clock.now)
    assert wakes(fake_github) == [REPO]


def test_wakes_beyond_the_cap_wait_for_the_next_run_longest_overdue_first(
    fake_github: FakeGitHub, org: Path, clock: Clock
) -> None:
    config = 'version: 1\nmax_wakes_per_run: 2\ndispatch_workflow: ""\n'
    fake_github.push(ORG_REPO, {".github/prime-org.yml": config})
    for index, hours in enumerate((5, 1, 3, 2)):
        name = f"{OWNER}/svc-{index}"
        due = (clock.now - timedelta(hours=hours)).isoformat()
        fake_github.add_repo(name, {"README.md": "x\n"})
        state = json.dumps({"next_wake_at": due})
        fake_github.push(name, {"state.json": state}, branch="prime-state")

    first = org_run(fake_github, org, clock.now)
    assert (first.woken, first.wakes_deferred) == (2, 2)
    assert wakes(fake_github) == [f"{OWNER}/svc-0", f"{OWNER}/svc-2"]
    second = org_run(fake_github, org, clock.now + timedelta(hours=1))
    assert (second.woken, second.wakes_deferred) == (2, 0)
    assert wakes(fake_github)[2:] == [f"{OWNER}/svc-3", f"{OWNER}/svc-1"]


@pytest.mark.slow
def test_an_idle_managed_repository_costs_at_most_five_workflow_runs_a_day(
    fake_github: FakeGitHub,
    org: Path,
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A simulated idle month: Org Prime runs hourly; the repository runs when woken and on
    its daily safety tick (the workflow `prime init --mode org` writes), nothing else."""
    actions = Actions(fake_github, tmp_path, monkeypatch)
    runs_per_day = simulate(fake_github, clock, actions, org, days=30)
    print(f"\nworkflow runs a day of an idle managed repository: {runs_per_day}")
    assert max(runs_per_day) <= 5
    assert prime_state(fake_github).last_wake_reason == "org-wake"
