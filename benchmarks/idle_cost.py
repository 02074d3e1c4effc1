"""What an idle repository costs in billed runner-minutes a month, org mode against standalone.

Run: `python benchmarks/idle_cost.py [DAYS]` (default 7). Org mode is measured: an idle
managed repository (next wake 6 hours) under Org Prime's hourly alarm clock for DAYS simulated
days on the fake GitHub, counting its workflow runs (its `prime-wake` wakes and its daily
safety tick). Standalone is the schedule: each tick is a job, asleep or not. GitHub bills each
job of a private repository rounded up to a whole minute (every run here takes well under
one: a sleeping tick 0.04 s of work, a wake a few seconds with the install restored from the
Actions cache); standard hosted runners are free for public repositories. The org
repository's own hourly run is shared by all the repositories it looks after.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prime_action.domain import clock as clock_module
from testing.github import FakeGitHub
from testing.graphql import FakeGraphQL
from tests.e2e.harness import Actions
from tests.e2e.idle_month import Clock, add_org, simulate

DAYS_A_MONTH = 30
ORG_RUNS_A_DAY = 24  # the org workflow's hourly schedule
STANDALONE_SCHEDULES = (("hourly", 24), ("every 3 hours (default)", 8), ("every 6 hours", 4))


def org_mode_runs_a_day(days: int) -> float:
    """An idle managed repository's workflow runs a day, measured over `days` days."""
    fake = FakeGitHub(validate_responses=False)
    FakeGraphQL().install(fake)
    clock = Clock(fake)
    with fake, tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock_module.SystemClock, "now", lambda self: clock.now)
        org = add_org(fake, Path(tmp) / "org")
        runs = simulate(fake, clock, Actions(fake, Path(tmp), patch), org, days)
    return sum(runs) / len(runs)


def main() -> None:
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    per_day = org_mode_runs_a_day(days)
    month = per_day * DAYS_A_MONTH
    org_share = ORG_RUNS_A_DAY * DAYS_A_MONTH
    print(f"org mode: {per_day:.2f} workflow runs a day per idle repository ({days} days)")
    print("billed minutes a month per idle repository (private; public: 0):")
    for repos in (10, 100, 1000):
        share = org_share / repos
        print(f"  org mode, {repos:>5} repositories: {month:.0f} + {share:.1f} (org runs) minutes")
    for label, ticks in STANDALONE_SCHEDULES:
        print(f"  standalone, {label}: {ticks * DAYS_A_MONTH} minutes")


if __name__ == "__main__":
    main()
