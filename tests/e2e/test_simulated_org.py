"""A simulated organisation over simulated days: Repo Prime wakes on cron and on events while
simulated humans break CI, fix it, close issues and comment; invariants hold after every step,
and the same days with 10% of requests failing end in the same state.

This is the start of issue 9's simulation: Repo Prime only (Org Prime, the dispatcher and the
runners are not yet part of the loop), three repositories and one day, so it runs in seconds.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient, RetryPolicy
from prime_action.adapters.github.wake import wake_on_github
from prime_action.domain.errors import PrimeError
from prime_action.domain.markers import DASHBOARD, find_signal
from prime_action.domain.models import PrimeState
from prime_action.testing.faults import Fault
from prime_action.testing.github import FakeGitHub
from tests.e2e.harness import FILES, TOKEN
from tests.e2e.invariants import PRIME_LOGIN, check
from tests.events.payloads import payload

REPOS = ("acme/api", "acme/web", "acme/cli")
START = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)
DAYS = 1
KINDS = (Fault.SERVER_ERROR, Fault.SECONDARY_RATE_LIMIT, Fault.APPLIED_THEN_ERROR, Fault.TIMEOUT)
HOURLY_LIMIT = 1000  # GITHUB_TOKEN's REST requests per repository per hour


# repo, (signal or "dashboard", issue state), comment keys, plan signals, refused signals
Final = tuple[str, list[tuple[str, str]], list[str], list[str] | None, list[str] | None]


@dataclass
class World:
    """The fake GitHub, the simulated clock, the event files, and what was counted."""

    fake: FakeGitHub
    tmp: Path
    faults: random.Random | None = None
    now: datetime = START
    requests: Counter[tuple[str, int]] = field(default_factory=Counter)
    failed_wakes: int = 0

    def wake(self, repo: str, event: str, changes: dict[str, Any] | None = None) -> None:
        """One workflow run of `prime wake` for `event` in `repo`, at the simulated now."""
        here: dict[str, Any] = {"repository.full_name": repo, "repository.default_branch": "main"}
        changes = here | (changes or {})
        path = self.tmp / "event.json"
        path.write_text(json.dumps(payload(event, changes)))
        env = ActionsEnv(
            repository=repo, event_name=event.partition(".")[0], event_path=path, token=TOKEN,
            api_url=self.fake.base_url, write_spacing=0,
        )  # fmt: skip
        client = GitHubClient(
            TOKEN, self.fake.base_url, policy=RetryPolicy(sleep=lambda _: None), write_spacing=0
        )
        self.fake.clock.set(self.now)
        self.fake.reset_counts()
        self._inject()
        try:
            wake_on_github(env, client, self.now)
        except PrimeError:
            self.failed_wakes += 1  # the next tick or event picks up where this one stopped
        finally:
            client.close()
        self.requests[(repo, int(self.now.timestamp()) // 3600)] += len(self.fake.requests)
        check(self.fake, repo)

    def _inject(self) -> None:
        if self.faults is None:
            return
        for position in range(1, 60):
            if self.faults.random() < 0.1:
                self.fake.fail(position, self.faults.choice(KINDS))

    def settle(self) -> None:
        """Faults off; one manual wake per repository, as a maintainer's "wake now"."""
        self.faults = None
        self.fake._faults.clear()  # faults left past a wake's end
        for repo in REPOS:
            self.wake(repo, "workflow_dispatch")


def _issue_event(world: World, repo: str, number: int, action: str) -> None:
    issue = world.fake.repos[repo].issues[number]
    changes = {"issue.number": number, "issue.body": issue.body, "issue.title": issue.title}
    world.wake(repo, f"issues.{action}", changes)


def _humans(world: World, hour: int) -> None:
    """What people do at a given hour of the simulation (the same in every run)."""
    if hour == 5:  # CI breaks on api's main branch; the failed run wakes Prime
        world.fake.set_ci("acme/api", "failure", failing=["test"])
        changes = {"workflow_run.conclusion": "failure", "workflow_run.head_branch": "main"}
        world.wake("acme/api", "workflow_run.completed", changes)
    if hour == 9:  # a maintainer says no to web's first tracking issue by closing it
        mine = [i for i in world.fake.issues("acme/web") if find_signal(i.body)]
        if mine:
            mine[0].state = "closed"
            _issue_event(world, "acme/web", mine[0].number, "closed")
    if hour == 18:  # CI on api is fixed
        world.fake.set_ci("acme/api", "success")
        changes = {"workflow_run.conclusion": "success", "workflow_run.head_branch": "main"}
        world.wake("acme/api", "workflow_run.completed", changes)
    if hour == 14:  # a maintainer asks for the status on cli's dashboard
        (board,) = [i for i in world.fake.issues("acme/cli") if DASHBOARD in (i.body or "")]
        comment = world.fake.add_comment("acme/cli", board.number, "/prime status")
        command: dict[str, Any] = {
            "comment.id": comment,
            "comment.body": "/prime status",
            "issue.number": board.number,
        }
        world.wake("acme/cli", "issue_comment.created", command)


def simulate(tmp: Path, faults: random.Random | None) -> tuple[World, tuple[Final, ...]]:
    """Run the simulated days; return the world and its final state (faults must not change it)."""
    fake = FakeGitHub(validate_responses=False)
    with fake:
        for repo in REPOS:
            fake.add_repo(repo, FILES)
            fake.set_ci(repo, "success")
        world = World(fake, tmp, faults)
        for hour in range(24 * DAYS):
            world.now = START + timedelta(hours=hour, minutes=7)
            for repo in REPOS:
                world.wake(repo, "schedule")
            _humans(world, hour)
        world.settle()
        return world, final_state(fake)


def final_state(fake: FakeGitHub) -> tuple[Final, ...]:
    """Issues (by signal and state), dashboards, comments by marker, and each plan."""
    found: list[Final] = []
    for repo in REPOS:
        mine = [i for i in fake.issues(repo) if i.user.login == PRIME_LOGIN]
        text = fake.read(repo, "state.json", ref="prime-state")
        state = PrimeState.model_validate(json.loads(text)) if text else None
        found.append(
            (
                repo,
                sorted((find_signal(i.body) or "dashboard", i.state) for i in mine),
                # Comment keys without the attempt id, which carries the moment of submission.
                sorted(
                    c.body.split("\n", 1)[0].split(" ")[1].rsplit("-", 1)[0]
                    for i in mine
                    for c in fake.comments(repo, i.number)
                    if c.user.login == PRIME_LOGIN
                ),
                [p.signal for p in state.plan] if state else None,
                sorted(state.refused) if state else None,
            )
        )
    return tuple(found)


def _counts(world: World) -> str:
    fake = world.fake
    issues = sum(len(fake.issues(r)) for r in REPOS)
    requests = sum(world.requests.values())
    return f"{issues} issues, {requests} requests, {world.failed_wakes} failed wakes"


def test_three_repositories_over_a_day_keep_every_invariant_and_faults_change_no_outcome(
    tmp_path: Path,
) -> None:
    clean, clean_state = simulate(tmp_path, None)
    faulty, faulty_state = simulate(tmp_path, random.Random(9))  # noqa: S311 -- reproducible faults, not secrets
    print(f"\nwithout faults: {_counts(clean)}\nwith 10% faults: {_counts(faulty)}")
    assert clean.failed_wakes == 0
    assert faulty.failed_wakes > 0  # the faults did bite
    assert max(clean.requests.values()) < HOURLY_LIMIT
    assert max(faulty.requests.values()) < HOURLY_LIMIT
    assert faulty_state == clean_state
    by_repo = {state[0]: state for state in clean_state}
    assert ("dependabot", "closed") in by_repo["acme/web"][1]
    assert by_repo["acme/web"][4] == ["dependabot"]  # the close was taken as a "no"
    assert "prime:comment=reply" in by_repo["acme/cli"][2]  # the /prime status answered once
