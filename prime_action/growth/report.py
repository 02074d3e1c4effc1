"""Growth mode's report per cycle, and its energy budget: what a cycle did, spent and may do.

Pure. A cycle lasts seed.yaml `energy.cycle_hours` from the first wake after the last one
ended. The report lives in the state (the newest cycles only); the dashboard shows it.
Past the cycle's cost or lines budget, growth is held: no ticket is opened and no ticket is
dispatched until the next cycle, and the reason is on the dashboard.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from prime_action.domain.models import GrowthCycle, GrowthReport, GrowthTicket, MergedPull
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen
from prime_action.growth.architect import PREFIX
from prime_action.growth.seed import Energy

MAX_CYCLES = 12


class Row(Frozen):
    """One cycle as the dashboard shows it."""

    started: datetime
    opened: int
    merged: int
    rounds: str
    reverted: int
    coverage: float | None
    lines: int
    spend: float
    per_merged: float | None
    held: str


def _last(report: GrowthReport, **changes: object) -> GrowthReport:
    last = report.cycles[-1].model_copy(update=changes)
    return report.model_copy(update={"cycles": (*report.cycles[:-1], last)})


def roll(report: GrowthReport, now: datetime, energy: Energy, spend_usd: float) -> GrowthReport:
    """The report with a current cycle: a new one when the last has run its hours.

    Args:
        report: the state's report.
        now: the current moment.
        energy: the seed's budget (its cycle length).
        spend_usd: the state's total LLM spend now.

    Returns:
        The report whose last cycle is the current one, its spend reading updated.
    """
    last = report.cycles[-1] if report.cycles else None
    if last is None or now >= last.started + timedelta(hours=energy.cycle_hours):
        fresh = GrowthCycle(started=now, spend_start_usd=spend_usd, spend_now_usd=spend_usd)
        return GrowthReport(cycles=(*report.cycles, fresh)[-MAX_CYCLES:])
    return _last(report, spend_now_usd=spend_usd)


def held(energy: Energy, cycle: GrowthCycle) -> str:
    """Why growth stops for the rest of the cycle ("" while the budget lasts)."""
    spend = cycle.spend_now_usd - cycle.spend_start_usd
    if energy.max_cost_usd is not None and spend >= energy.max_cost_usd:
        limit = f"${energy.max_cost_usd:.2f}"
        return f"energy: ${spend:.2f} of {limit} spent this cycle (seed.yaml energy.max_cost_usd)"
    lines = sum(m.lines for m in cycle.merged)
    if energy.max_lines_changed is not None and lines >= energy.max_lines_changed:
        limit = str(energy.max_lines_changed)
        return f"energy: {lines} of {limit} lines changed this cycle (energy.max_lines_changed)"
    return ""


def reverted(report: GrowthReport, issues: tuple[TrackedIssue, ...]) -> tuple[str, ...]:
    """Signals of merged tickets that are open again and were not counted yet."""
    merged = {m.signal for c in report.cycles for m in c.merged}
    counted = {s for c in report.cycles for s in c.reverted}
    return tuple(
        sorted({i.signal for i in issues if i.state == "open" and i.signal in merged} - counted)
    )


def recorded(
    report: GrowthReport,
    *,
    opened: int,
    merges: tuple[MergedPull, ...],
    issues: tuple[TrackedIssue, ...],
    reason: str,
) -> GrowthReport:
    """The current cycle with this wake's tickets, merges, reverts and hold added.

    A merge already in the report (a rerun of the same gate) is not counted twice.
    """
    cycle = report.cycles[-1]
    known = {m.pull for c in report.cycles for m in c.merged}
    fresh = tuple(m for m in merges if m.pull not in known)
    return _last(
        report,
        tickets_opened=cycle.tickets_opened + opened,
        merged=(*cycle.merged, *fresh),
        reverted=(*cycle.reverted, *reverted(report, issues)),
        held=reason,
    )


def ticket_records(
    issues: tuple[TrackedIssue, ...], pulls: Mapping[str, int]
) -> tuple[GrowthTicket, ...]:
    """The growth tickets among the issues, one per signal (an open one before a closed one,
    then the newest), with the open PR of each open ticket; sorted by signal.

    Args:
        issues: the issues as they are after this wake's writes.
        pulls: signal -> number of Prime's open PR for it.
    """
    chosen: dict[str, TrackedIssue] = {}
    for issue in sorted(issues, key=lambda i: (i.state == "open", i.number)):
        if issue.signal.startswith(PREFIX):  # growth.EPIC.TASK, growth.manual.N
            chosen[issue.signal] = issue
    return tuple(
        GrowthTicket(
            signal=signal,
            issue=i.number,
            state=i.state,
            pull=pulls.get(signal) if i.state == "open" else None,
        )
        for signal, i in sorted(chosen.items())
    )


def rows(report: GrowthReport) -> tuple[Row, ...]:
    """The cycles as dashboard rows, oldest first; coverage is the cycle's newest reading."""
    found: list[Row] = []
    for c in report.cycles:
        readings = [m.coverage for m in c.merged if m.coverage is not None]
        spend = c.spend_now_usd - c.spend_start_usd
        found.append(
            Row(
                started=c.started,
                opened=c.tickets_opened,
                merged=len(c.merged),
                rounds=", ".join(f"#{m.pull}: {m.rounds}" for m in c.merged) or "-",
                reverted=len(c.reverted),
                coverage=readings[-1] if readings else None,
                lines=sum(m.lines for m in c.merged),
                spend=spend,
                per_merged=spend / len(c.merged) if c.merged else None,
                held=c.held,
            )
        )
    return tuple(found)


def chart(shown: tuple[Row, ...]) -> tuple[list[int], list[float]]:
    """Per row, oldest first: PRs merged, and coverage (the last reading carried on; 0 before)."""
    merged, coverage, last = [], [], 0.0
    for row in sorted(shown, key=lambda r: r.started):
        last = row.coverage if row.coverage is not None else last
        merged.append(row.merged)
        coverage.append(round(last, 1))
    return merged, coverage
