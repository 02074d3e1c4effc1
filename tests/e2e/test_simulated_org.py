"""The simulated organisation end to end (issue 9): repository wakes on cron and events, Org
Prime, the dispatcher, runners, reports and job-result wakes, and simulated people, over an
advancing clock, with the invariants of `tests/e2e/invariants.py` checked after every run.

CI runs a small organisation (3 repositories x 1 simulated day, then quiet hours); the
acceptance size (30 x 3 days, with and without 10% faults) takes minutes and is the benchmark
`python benchmarks/simulated_org.py`, which prints the same figures.
"""

from __future__ import annotations

import pytest

from tests.e2e import sim_report
from tests.e2e.simulation import Settings, Simulation, simulate

pytestmark = pytest.mark.slow

SMALL = Settings(repos=3, days=1, settle_hours=36)


@pytest.fixture(scope="module")
def runs() -> tuple[Simulation, Simulation]:
    clean = simulate(SMALL)
    faulty = simulate(Settings(**{**SMALL.__dict__, "fault_rate": 0.1}))
    print("\n" + sim_report.table(sim_report.figures(clean), sim_report.figures(faulty)))
    return clean, faulty


def test_every_invariant_holds_after_every_run_with_and_without_faults(
    runs: tuple[Simulation, Simulation],
) -> None:
    # The per-run invariants raise inside the simulation; these are the end-of-run ones.
    for sim in runs:
        assert sim_report.broken_invariants(sim) == []
        most = max(n for (repo, _), n in sim.tally.requests.items() if repo != "acme/prime-org")
        assert most < sim_report.HOURLY_LIMIT


def test_the_whole_loop_ran_prs_were_merged_and_failing_runners_escalated(
    runs: tuple[Simulation, Simulation],
) -> None:
    clean, _ = runs
    figures = sim_report.figures(clean)
    assert clean.tally.runs["org"]
    assert clean.tally.runs["dispatch"]
    assert clean.tally.runs["run"] == clean.tally.runs["report"] > 0
    assert figures["merged"]
    assert figures["problems fixed"]
    assert figures["escalations (blocked attempts)"]  # the agent escalates a failing CI
    assert clean.tally.crashes == {}


def test_the_faults_bit_and_every_failed_run_was_rerun_without_a_duplicate(
    runs: tuple[Simulation, Simulation],
) -> None:
    _, faulty = runs
    assert sum(faulty.tally.failed.values()) > sum(runs[0].tally.failed.values())
    assert faulty.tally.races > 0


def test_the_same_days_with_ten_percent_faults_end_in_the_same_world(
    runs: tuple[Simulation, Simulation],
) -> None:
    # The same tracking issues open and closed, the same PRs merged or closed, the same files
    # on main. The full final state (labels, comments, Prime's memory, the ledger's last word)
    # is compared by `sim_report.differences` and printed: it can differ where a fault
    # swallowed a notification, e.g. a job result whose every delivery failed leaves its job
    # "in flight" until the repository's Prime expires it.
    clean, faulty = runs
    assert sim_report.world(faulty) == sim_report.world(clean)
    assert sim_report.fixed_problems(faulty) > 0  # a failed first wake once left none
    print("\n".join(sim_report.differences(clean, faulty)) or "final states: the same")


def test_faults_do_not_multiply_the_notifications(
    runs: tuple[Simulation, Simulation],
) -> None:
    # A GitHub error must not become a comment of its own (an outage cancels quietly). Counted
    # as issues + PRs + comments over the same days: the per-fixed-problem figure also falls
    # when faults slow the fixing down, which is not noise.
    def notifications(sim: Simulation) -> int:
        figures = sim_report.figures(sim)
        return sum(int(str(figures[key])) for key in ("issues", "pull requests", "comments"))

    quiet, noisy = (notifications(sim) for sim in runs)
    assert noisy <= 1.5 * quiet
