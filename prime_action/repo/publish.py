"""The dashboard in a wake: the ticked boxes it read, and the view it will write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from prime_action.config.models import RepoConfig
from prime_action.domain.commands import Command
from prime_action.domain.models import DecisionRecord, PrimeState, SignalResult
from prime_action.domain.ports import DashboardCopy, DashboardStore, TrackedIssue
from prime_action.repo.dashboard import DashboardMemory, DashboardView, NeedsHuman, remembered
from prime_action.repo.dashboard_ticks import Ticks, parse_ticks, ticks_of, ticks_to_commands
from prime_action.repo.plan import AWAITING_APPROVAL, hold_reason

# Which of the ticked boxes a trusted person ticked (the dashboard as read, its ticked keys).
Vouch = Callable[[DashboardCopy, frozenset[str]], frozenset[str]]


def read_ticks(
    store: DashboardStore, number: int | None, vouch: Vouch | None
) -> tuple[Ticks, tuple[Command, ...], DashboardMemory]:
    """The boxes this wake handles, and the commands of those a trusted person ticked.

    Every wake reads the boxes, so a tick whose own run never happened (cancelled, failed)
    is acted on by the next wake. A box that no trusted person ticked (a bot, a stranger, a
    history too short to tell) is handled too: unticked, without acting on it.

    Args:
        store: where the dashboard lives.
        number: the dashboard's number from the state, when known.
        vouch: which ticked boxes count; None trusts them all (a local wake, whose files
            belong to whoever runs it).

    Returns:
        The handled ticks, the commands they stand for, and the memory the body carries
        (pause, skips, refusals: what survives a lost state branch).
    """
    found = store.read_dashboard(number)
    body = found.body if found else None
    ticks, memory = parse_ticks(body), remembered(body)
    if found is None or ticks.empty or vouch is None:
        return ticks, ticks_to_commands(ticks), memory
    counted = ticks_of(vouch(found, ticks.keys()) & ticks.keys())
    return ticks, ticks_to_commands(counted), memory


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
