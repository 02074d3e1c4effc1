"""`prime growth`'s report as a value: each task's status from the recorded tickets and
merges, and the current cycle's energy beside the seed's limits (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prime_action.domain.models import (
    GrowthCycle,
    GrowthReport,
    GrowthTicket,
    MergedPull,
    PrimeState,
)
from prime_action.growth.overview import TaskView, overview
from prime_action.growth.seed import parse_seed
from tests.growth.seeds import VALID

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
SEED = parse_seed(VALID + "energy: {max_cost_usd: 2.0, max_lines_changed: 50}\n")
TOKENIZER, PARSE, CSV = "growth.parser.tokenizer", "growth.parser.parse", "growth.export.csv"


def _ticket(signal: str, issue: int, state: str = "open", pull: int | None = None) -> GrowthTicket:
    return GrowthTicket.model_validate(
        {"signal": signal, "issue": issue, "state": state, "pull": pull}
    )


def _merge(signal: str, pull: int, lines: int = 10, rounds: int = 1) -> MergedPull:
    return MergedPull(pull=pull, signal=signal, at=NOW, rounds=rounds, lines=lines)


def _tasks(report: GrowthReport) -> dict[str, TaskView]:
    made = overview(SEED, PrimeState(growth=report), NOW)
    return {t.signal: t for e in made.epics for t in e.tasks}


@pytest.mark.parametrize(
    ("tickets", "merged", "signal", "expected"),
    [
        ((), (), TOKENIZER, ("ready", None, None, ())),
        ((), (), PARSE, ("waiting", None, None, ("tokenizer",))),
        ((_ticket(TOKENIZER, 4),), (), TOKENIZER, ("open", 4, None, ())),
        ((_ticket(TOKENIZER, 4, pull=9),), (), TOKENIZER, ("review", 4, 9, ())),
        ((_ticket(TOKENIZER, 4, "closed"),), (), TOKENIZER, ("closed", 4, None, ())),
        ((_ticket(TOKENIZER, 4, "closed"),), (), PARSE, ("ready", None, None, ())),
        ((_ticket(TOKENIZER, 4, "closed"),), (_merge(TOKENIZER, 9),), TOKENIZER,
         ("merged", 4, 9, ())),
        # Merged, then reopened by a person (reverted): open again, not merged.
        ((_ticket(TOKENIZER, 4),), (_merge(TOKENIZER, 9),), TOKENIZER, ("open", 4, None, ())),
    ],
)  # fmt: skip
def test_a_tasks_status_follows_its_ticket_its_pr_and_the_merges(
    tickets: tuple[GrowthTicket, ...],
    merged: tuple[MergedPull, ...],
    signal: str,
    expected: tuple[str, int | None, int | None, tuple[str, ...]],
) -> None:
    report = GrowthReport(cycles=(GrowthCycle(started=NOW, merged=merged),), tickets=tickets)
    task = _tasks(report)[signal]
    assert (task.status, task.issue, task.pull, task.waits_for) == expected


def test_the_cycle_shows_spend_lines_and_open_tickets_beside_the_seeds_limits() -> None:
    old = GrowthCycle(started=NOW - timedelta(days=2), merged=(_merge(CSV, 3, lines=99),))
    current = GrowthCycle(
        started=NOW - timedelta(hours=5), tickets_opened=2, spend_start_usd=1.0,
        spend_now_usd=1.75, merged=(_merge(TOKENIZER, 9, lines=30, rounds=2),),
        reverted=(CSV,), held="energy: spent",
    )  # fmt: skip
    tickets = (_ticket(TOKENIZER, 4, "closed"), _ticket(PARSE, 5), _ticket(CSV, 2))
    report = GrowthReport(cycles=(old, current), tickets=tickets)
    made = overview(SEED, PrimeState(growth=report), NOW)
    assert made.cycle is not None
    c = made.cycle
    assert (c.started, c.ends, c.over) == (current.started, current.started + timedelta(hours=24),
                                           False)  # fmt: skip
    assert (c.tickets_opened, c.merged, c.reverted, c.held) == (2, 1, 1, "energy: spent")
    assert (c.spend_usd, c.max_cost_usd) == (0.75, 2.0)
    assert (c.lines_changed, c.max_lines_changed) == (30, 50)  # this cycle's merges only
    assert (c.tickets_in_flight, c.max_tickets_in_flight) == (2, 2)
    parser, export = made.epics
    assert (parser.id, parser.done, parser.merged_this_cycle, parser.lines_this_cycle) == (
        "parser", 1, 1, 30,
    )  # fmt: skip
    assert (export.id, export.done, export.merged_this_cycle) == ("export", 0, 0)
    assert (made.tasks, made.done) == (3, 1)
    merged = parser.tasks[0]
    assert (merged.status, merged.pull, merged.rounds, merged.lines) == ("merged", 9, 2, 30)


def test_a_cycle_past_its_hours_is_over_until_the_next_wake_starts_one() -> None:
    report = GrowthReport(cycles=(GrowthCycle(started=NOW - timedelta(hours=24)),))
    made = overview(SEED, PrimeState(growth=report), NOW)
    assert made.cycle is not None
    assert made.cycle.over


def test_before_any_growth_wake_there_is_no_cycle_and_every_task_waits_for_its_ticket() -> None:
    made = overview(SEED, PrimeState(), NOW)
    assert made.cycle is None
    assert [t.status for e in made.epics for t in e.tasks] == ["ready", "waiting", "ready"]


def test_adopted_tickets_are_listed_apart_from_the_seeds_epics() -> None:
    report = GrowthReport(
        cycles=(GrowthCycle(started=NOW),),
        tickets=(_ticket("growth.manual.7", 7, pull=12), _ticket(TOKENIZER, 4)),
    )
    made = overview(SEED, PrimeState(growth=report), NOW)
    assert [(t.signal, t.status, t.issue, t.pull) for t in made.adopted] == [
        ("growth.manual.7", "review", 7, 12)
    ]


def test_epics_come_in_priority_order_ties_in_seed_order() -> None:
    text = VALID.replace("priority: 1", "priority: 4")
    made = overview(parse_seed(text), PrimeState(), NOW)
    assert [e.id for e in made.epics] == ["export", "parser"]
