"""The dashboard's round trip in a wake: read its ticked boxes, then write it back if changed."""

from __future__ import annotations

from datetime import datetime

from prime_action.config.models import RepoConfig
from prime_action.domain.commands import Command
from prime_action.domain.models import DecisionRecord, PrimeState, SignalResult, WakeReason
from prime_action.domain.ports import DashboardStore, TrackedIssue
from prime_action.repo.dashboard import (
    DashboardView,
    NeedsHuman,
    Ticks,
    merge_for_write,
    needs_write,
    parse_ticks,
    render_dashboard,
    ticks_to_commands,
)

TICK_REASONS = ("dashboard-edited", "local")


def read_ticks(
    store: DashboardStore, reason: WakeReason, number: int | None
) -> tuple[Ticks, tuple[Command, ...]]:
    """The boxes to act on in this wake, and the commands they stand for.

    Only a `dashboard-edited` wake acts on boxes (the event gate has checked that a trusted
    actor made the edit), and a local wake, whose files belong to whoever runs it. Other
    wakes leave ticks alone: the write keeps them ticked.

    Args:
        store: where the dashboard lives.
        reason: why this wake happens.
        number: the dashboard's number from the state, when known.

    Returns:
        The handled ticks and their commands (both empty for other wakes).
    """
    if reason not in TICK_REASONS:
        return Ticks(), ()
    found = store.read_dashboard(number)
    ticks = parse_ticks(found.body if found else None)
    return ticks, ticks_to_commands(ticks)


def needs_human(state: PrimeState, issues: tuple[TrackedIssue, ...]) -> tuple[NeedsHuman, ...]:
    """The signals waiting for a maintainer: blocked after failures, or refused."""
    numbers = {i.signal: i.number for i in sorted(issues, key=lambda i: i.state == "open")}
    blocked = (
        NeedsHuman(signal=s, reason="three attempts failed the same way", issue=numbers.get(s))
        for s in sorted(state.blocked)
    )
    refused = (
        NeedsHuman(signal=s, reason="a maintainer said no to this fix", issue=numbers.get(s))
        for s in sorted(state.refused)
        if s not in state.blocked
    )
    return (*blocked, *refused)


def publish(
    store: DashboardStore,
    view: DashboardView,
    handled: Ticks,
) -> int:
    """Write the dashboard if its text changes; keep boxes ticked since this wake read them.

    The body is re-read just before the write, so a box ticked while this wake ran stays
    ticked for the next wake; a blank or hand-edited body has no valid boxes and is replaced.

    Args:
        store: where the dashboard lives.
        view: what to show.
        handled: the ticks this wake acted on (unticked by the write).

    Returns:
        The dashboard's number (new when it was created).
    """
    fresh = store.read_dashboard(view.state.dashboard_issue)
    current = fresh.body if fresh else None
    body = merge_for_write(current, render_dashboard(view), handled)
    if fresh is not None and not needs_write(current, body):
        return fresh.number
    return store.write_dashboard(fresh.number if fresh else None, body)


def dashboard_view(
    repo: str,
    state: PrimeState,
    *,
    signals: tuple[SignalResult, ...],
    issues: tuple[TrackedIssue, ...],
    decisions: tuple[DecisionRecord, ...],
    config: RepoConfig,
    now: datetime,
) -> DashboardView:
    """Everything the dashboard shows after this wake."""
    return DashboardView(
        repo=repo,
        state=state,
        signals=signals,
        needs_human=needs_human(state, issues),
        decisions=decisions,
        spend_today=state.cost.usd_today if state.cost.day == f"{now:%Y-%m-%d}" else 0.0,
        budget=config.brain.budget_usd_per_day if config.brain.model else 0.0,
        now=now,
        rebuilt=state.rebuilt,
    )
