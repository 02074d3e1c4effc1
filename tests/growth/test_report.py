"""Growth mode's report per cycle and its energy budget (pure), and the hold inside the step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prime_action.domain.models import (
    GrowthCycle,
    GrowthReport,
    MergedPull,
    PrimeState,
    SignalResult,
    Spend,
)
from prime_action.domain.ports import TrackedIssue
from prime_action.growth import step
from prime_action.growth.report import chart, held, recorded, roll, rows, ticket_records
from prime_action.growth.seed import Energy, parse_seed
from prime_action.growth.step import GrowthInputs
from prime_action.repo.dashboard import DashboardView, render_dashboard
from tests.growth.seeds import VALID

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
TOKENIZER = "growth.parser.tokenizer"


def _merge(pull: int, lines: int = 10, coverage: float | None = None) -> MergedPull:
    return MergedPull(pull=pull, signal=f"growth.e.t{pull}", at=NOW, rounds=1, lines=lines,
                      coverage=coverage)  # fmt: skip


def test_a_cycle_lasts_its_hours_then_a_new_one_starts_from_the_spend_so_far() -> None:
    energy = Energy(cycle_hours=24)
    first = roll(GrowthReport(), NOW, energy, 1.0)
    same = roll(first, NOW + timedelta(hours=23), energy, 1.5)
    assert len(same.cycles) == 1
    assert (same.cycles[-1].spend_start_usd, same.cycles[-1].spend_now_usd) == (1.0, 1.5)
    nxt = roll(same, NOW + timedelta(hours=24), energy, 2.0)
    assert [c.started for c in nxt.cycles] == [NOW, NOW + timedelta(hours=24)]
    assert nxt.cycles[-1].spend_start_usd == 2.0


def test_only_the_newest_twelve_cycles_are_kept() -> None:
    report = GrowthReport()
    for day in range(15):
        report = roll(report, NOW + timedelta(days=day), Energy(), 0.0)
    assert len(report.cycles) == 12
    assert report.cycles[0].started == NOW + timedelta(days=3)


@pytest.mark.parametrize(
    ("energy", "cycle", "reason"),
    [
        (Energy(), GrowthCycle(started=NOW, spend_now_usd=99.0, merged=(_merge(1, 9999),)), ""),
        (Energy(max_cost_usd=2.0), GrowthCycle(started=NOW, spend_start_usd=1.0,
                                                spend_now_usd=3.5), "$2.50 of $2.00 spent"),
        (Energy(max_cost_usd=2.0), GrowthCycle(started=NOW, spend_now_usd=1.0), ""),
        (Energy(max_lines_changed=15), GrowthCycle(started=NOW, merged=(_merge(1), _merge(2))),
         "20 of 15 lines changed"),
        (Energy(max_lines_changed=25), GrowthCycle(started=NOW, merged=(_merge(1), _merge(2))),
         ""),
    ],
)  # fmt: skip
def test_growth_is_held_once_the_cycles_cost_or_lines_reach_the_budget(
    energy: Energy, cycle: GrowthCycle, reason: str
) -> None:
    found = held(energy, cycle)
    assert (reason in found) if reason else found == ""
    if reason:
        assert found.startswith("energy: ")


def test_merges_and_reverts_are_counted_once_across_reruns() -> None:
    report = roll(GrowthReport(), NOW, Energy(), 0.0)
    merge = MergedPull(pull=5, signal=TOKENIZER, at=NOW, rounds=2, lines=7)
    reopened = (TrackedIssue(number=3, signal=TOKENIZER, title="t", state="open"),)
    report = recorded(report, opened=2, merges=(merge,), issues=(), reason="")
    report = recorded(report, opened=0, merges=(merge,), issues=reopened, reason="")
    report = recorded(report, opened=0, merges=(), issues=reopened, reason="")
    cycle = report.cycles[-1]
    assert (cycle.tickets_opened, len(cycle.merged), cycle.reverted) == (2, 1, (TOKENIZER,))


def test_rows_give_rounds_coverage_and_spend_per_merged_pr_and_the_chart_carries_coverage() -> None:
    report = GrowthReport(
        cycles=(
            GrowthCycle(started=NOW, merged=(_merge(1, coverage=81.25), _merge(2)),
                        spend_start_usd=1.0, spend_now_usd=3.0),
            GrowthCycle(started=NOW + timedelta(days=1)),
        )
    )  # fmt: skip
    first, second = rows(report)
    assert (first.merged, first.rounds, first.coverage, first.per_merged) == (
        2, "#1: 1, #2: 1", 81.25, 1.0,
    )  # fmt: skip
    assert (second.merged, second.per_merged, second.coverage) == (0, None, None)
    assert chart((second, first)) == ([2, 0], [81.2, 81.2])


def _failing(name: str) -> SignalResult:
    return SignalResult(name=name, status="failing", detail="d", fingerprint="f")


def test_past_the_budget_the_step_skips_growths_signals_so_nothing_is_opened_or_dispatched() -> (
    None
):
    growth = GrowthInputs(seed=parse_seed(VALID + "energy: {max_cost_usd: 1.0}\n"))
    spent = PrimeState(cost=Spend(usd_total=5.0), growth=GrowthReport(
        cycles=(GrowthCycle(started=NOW, spend_start_usd=3.0, spend_now_usd=3.0),)))  # fmt: skip
    reason = step.hold(growth, spent, NOW + timedelta(hours=1))
    assert reason.startswith("energy: $2.00 of $1.00 spent this cycle")
    ticket = TrackedIssue(number=9, signal=TOKENIZER, title="t", state="open",
                          labels=("automated", "ai-task"))  # fmt: skip
    refined = step.refine((_failing("growth"), _failing("license")), (ticket,), seed=growth.seed,
                          humans=None, needs_human="needs-human", reason=reason)  # fmt: skip
    status = {s.name: (s.status, s.detail) for s in refined}
    assert status["growth"] == ("skipped", reason)
    assert status[TOKENIZER] == ("skipped", reason)  # the open ticket is not dispatched
    assert status["license"][0] == "failing"  # other signals are not growth's budget
    state = step.record(spent, growth, NOW + timedelta(hours=1), opened=0, seen=(ticket,),
                        reason=reason)  # fmt: skip
    assert state.growth.cycles[-1].held == reason


def test_the_dashboard_shows_the_growth_section_with_its_hold_and_chart() -> None:
    cycle = GrowthCycle(started=NOW, tickets_opened=2, merged=(_merge(4, coverage=90.0),),
                        held="energy: 10 of 10 lines changed this cycle")  # fmt: skip
    view = DashboardView(repo="o/r", state=PrimeState(growth=GrowthReport(cycles=(cycle,))),
                         now=NOW)  # fmt: skip
    body = render_dashboard(view)
    assert "**Held:** energy: 10 of 10 lines changed this cycle." in body
    assert "| 2026-03-20 07:00 UTC | 2 | 1 | #4: 1 | 0 | 90.0% | 10 | $0.00 | $0.00 |" in body
    assert "  line [90.0]" in body
    assert "## Growth" not in render_dashboard(view.model_copy(update={"state": PrimeState()}))


def test_ticket_records_keep_one_ticket_per_growth_signal_the_open_one_first_with_its_pr() -> None:
    issues = (
        TrackedIssue(number=3, signal=TOKENIZER, title="t", state="closed"),
        TrackedIssue(number=8, signal=TOKENIZER, title="t", state="open"),
        TrackedIssue(number=5, signal="growth.export.csv", title="c", state="closed"),
        TrackedIssue(number=6, signal="growth.manual.6", title="m", state="open"),
        TrackedIssue(number=7, signal="growth", title="the architect's signal", state="open"),
        TrackedIssue(number=9, signal="license", title="l", state="open"),
    )
    pulls = {TOKENIZER: 11, "growth.export.csv": 12}
    assert [(t.signal, t.issue, t.state, t.pull) for t in ticket_records(issues, pulls)] == [
        ("growth.export.csv", 5, "closed", None),  # a closed ticket's PR is not its work
        ("growth.manual.6", 6, "open", None),
        (TOKENIZER, 8, "open", 11),
    ]
