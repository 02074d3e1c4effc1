"""An idle managed repository under Org Prime's alarm clock, hour by hour (test and benchmark).

Org Prime runs hourly; the repository's workflow runs when Org Prime sends it `prime-wake` and
on its daily safety tick (what `prime init --mode org` writes), and at no other time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.eyes import SIGNAL_NAMES
from prime_action.flows.org import OrgRun, org_on_github
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, Actions
from tests.e2e.org_world import actions_env

OWNER = REPO.split("/")[0]
ORG_REPO = f"{OWNER}/prime-org"
START = datetime(2026, 3, 2, 0, 5, tzinfo=UTC)
# The vendored payload names `master`; the repository's default branch is `main`.
PRIME_WAKE = {"action": "prime-wake", "branch": "main", "repository.default_branch": "main"}
DAILY_TICK_HOUR = 16  # the hour `repo_cron` derives for the daily tick (any hour will do)
# A repository with nothing to do: every signal is off.
QUIET = "jobs:\n  mode: org\nsignals:\n" + "".join(
    f"  {name}:\n    enabled: false\n" for name in SIGNAL_NAMES
)


class Clock:
    """The moment every Prime run reads (SystemClock is patched to it by the caller)."""

    def __init__(self, fake: FakeGitHub) -> None:
        self.fake = fake
        self.now = START

    def set(self, at: datetime) -> None:
        self.now = at
        self.fake.clock.set(at)


def add_org(fake: FakeGitHub, where: Path) -> Path:
    """The org repository and one quiet managed repository; returns the org run's folder."""
    fake.add_repo(ORG_REPO, {".github/prime-org.yml": 'version: 1\ndispatch_workflow: ""\n'})
    fake.add_repo(REPO, FILES | {".github/prime.yml": QUIET})
    where.mkdir()
    return where


def org_run(fake: FakeGitHub, where: Path, now: datetime) -> OrgRun:
    """One `prime org` in the org repository's workflow."""
    environ = actions_env(fake, where) | {"GITHUB_REPOSITORY": ORG_REPO}
    client = GitHubClient("t0ken", fake.base_url, write_spacing=0)
    try:
        return org_on_github(ActionsEnv.from_environ(environ), client, now)
    finally:
        client.close()


def simulate(fake: FakeGitHub, clock: Clock, actions: Actions, org: Path, days: int) -> list[int]:
    """`days` idle days after a first wake; returns the repository's workflow runs each day."""
    if actions.run("workflow_dispatch")[0] != 0:
        msg = "the first wake failed"
        raise AssertionError(msg)
    runs_per_day: list[int] = []
    for day in range(days):
        runs = 0
        for hour in range(24):
            clock.set(START + timedelta(days=day, hours=hour))
            seen = len(fake.repository_dispatches)
            org_run(fake, org, clock.now)
            for dispatch in fake.repository_dispatches[seen:]:
                assert dispatch.event_type == "prime-wake"
                clock.set(clock.now + timedelta(minutes=1))
                assert actions.run("repository_dispatch", PRIME_WAKE)[0] == 0
                runs += 1
            if hour == DAILY_TICK_HOUR:
                clock.set(clock.now + timedelta(minutes=30))
                assert actions.run("schedule")[0] == 0
                runs += 1
        runs_per_day.append(runs)
    return runs_per_day
