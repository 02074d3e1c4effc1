"""The dashboard in a wake: the ticked boxes it read, and the view it will write."""

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
    parse_ticks,
    ticks_to_commands,
)
from prime_action.repo.plan import AWAITING_APPROVAL, hold_reason

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
        NeedsHuman(
            signal=s, reason="blocked: the same attempt would fail again", issue=numbers.get(s)
        )
        for s in sorted(state.blocked)
    )
    refused = (
        NeedsHuman(signal=s, reason="a maintainer said no to this fix", issue=numbers.get(s))
        for s in sorted(state.refused)
        if s not in state.blocked
    )
    return (*blocked, *refused)


def needs_agent(
    signals: tuple[SignalResult, ...], state: PrimeState, config: RepoConfig
) -> tuple[SignalResult, ...]:
    """The failing signals that only an agent can fix, when none is configured (not planned)."""
    if config.has_agent or "agent" not in config.jobs.runners:
        return ()
    return tuple(
        s
        for s in signals
        if s.status == "failing"
        and s.fix is not None
        and s.fix.runner == "agent"
        and s.name not in state.skipped
    )


def awaiting_approval(
    signals: tuple[SignalResult, ...], state: PrimeState, config: RepoConfig, now: datetime
) -> tuple[SignalResult, ...]:
    """The failing, fixable signals held only until a maintainer approves them (approval mode)."""
    return tuple(
        s
        for s in signals
        if s.status == "failing"
        and s.fix is not None
        and hold_reason(s, state, config, now) == AWAITING_APPROVAL
    )


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
        needs_agent=needs_agent(signals, state, config),
        awaiting_approval=awaiting_approval(signals, state, config, now),
        decisions=decisions,
        spend_today=state.cost.usd_today if state.cost.day == f"{now:%Y-%m-%d}" else 0.0,
        budget=config.brain.budget_usd_per_day if config.brain.model else 0.0,
        now=now,
        rebuilt=state.rebuilt,
    )
