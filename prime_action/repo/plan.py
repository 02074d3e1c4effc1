"""Which failing signals are work to do now, and which wait (in flight, blocked, refused...)."""

from __future__ import annotations

from datetime import datetime, timedelta

from prime_action.config.models import RepoConfig
from prime_action.domain.conversation import Priority
from prime_action.domain.models import DecisionRecord, PlanItem, PrimeState, SignalResult

DECISION_RETENTION = timedelta(hours=48)
# The agent runner would only report "no agent" (issue 16's dead loops): such an item waits,
# listed on the dashboard with the line of config that gives it an agent.
NEEDS_AGENT = "needs an agent: set agent.command or agent.model in .github/prime.yml"
# Approval mode (jobs.require_approval): an item waits for a maintainer's tick on its box.
AWAITING_APPROVAL = "awaiting approval: tick its box on the dashboard"


def hold_reason(signal: SignalResult, state: PrimeState, config: RepoConfig, now: datetime) -> str:
    """Why a failing, fixable signal must not get a new job now ("" when it may).

    Args:
        signal: a failing signal with a fix.
        state: the repository's working memory.
        config: the repository config (allowed runners).
        now: the current moment.

    Returns:
        A short reason, or "" when the signal is free to be worked on.
    """
    name, fp = signal.name, signal.fingerprint
    until = state.cooldown_until.get(name)
    runner = signal.fix.runner if signal.fix else None
    checks = (
        (name in state.skipped, "skipped by a maintainer (/prime skip)"),
        (any(job.signal == name for job in state.in_flight), "a job is already in flight"),
        (state.blocked.get(name) == fp, "blocked: its attempts need a human; waiting for one"),
        (state.refused.get(name) == fp, "a maintainer said no to this fix; waiting for a change"),
        (until is not None and now < until, f"cooling down until {until}"),
        (runner is not None and runner not in config.jobs.runners,
         f"runner '{runner}' is not allowed by jobs.runners"),
        (runner == "agent" and not config.has_agent, NEEDS_AGENT),
        (config.jobs.require_approval and state.approved.get(name) != fp, AWAITING_APPROVAL),
    )  # fmt: skip
    return next((reason for hit, reason in checks if hit), "")


def build_plan(
    signals: tuple[SignalResult, ...], state: PrimeState, config: RepoConfig, now: datetime
) -> tuple[PlanItem, ...]:
    """The failing, fixable signals free to be worked on, heaviest first (a maintainer's
    priority change aside: up first, down last).

    An item keeps the `added_at` of the previous plan, so its age survives wakes.
    """
    previous = {item.signal: item.added_at for item in state.plan}
    items = [
        PlanItem(
            signal=s.name,
            runner=s.fix.runner,
            approach=s.fix.approach,
            reason=s.detail,
            weight=s.weight,
            fingerprint=s.fingerprint,
            added_at=previous.get(s.name, now),
        )
        for s in signals
        if s.fix is not None and s.status == "failing" and not hold_reason(s, state, config, now)
    ]
    return order_plan(tuple(items), state.priorities, now)


# A maintainer's priority change: up first, then the rest by weight, then down.
_RANK = {"up": 0, None: 1, "down": 2}


def active(priorities: dict[str, Priority], now: datetime) -> dict[str, Priority]:
    """The priority changes that have not expired."""
    return {signal: p for signal, p in priorities.items() if now < p.until}


def order_plan(
    plan: tuple[PlanItem, ...], priorities: dict[str, Priority], now: datetime
) -> tuple[PlanItem, ...]:
    """The plan with each item's priority noted: up first, down last, the rest by weight."""
    live = active(priorities, now)
    noted = (
        i.model_copy(update={"priority": live[i.signal].direction if i.signal in live else None})
        for i in plan
    )
    return tuple(sorted(noted, key=lambda i: (_RANK[i.priority], -i.weight, i.signal)))


def expire_in_flight(
    state: PrimeState, signals: tuple[SignalResult, ...], now: datetime, timeout: float
) -> PrimeState:
    """Forget jobs whose signal recovered, or that never reported within `timeout` hours."""
    failing = {s.name for s in signals if s.status == "failing"}
    limit = timedelta(hours=timeout)
    kept = tuple(
        job for job in state.in_flight if job.signal in failing and now - job.submitted_at < limit
    )
    return state if kept == state.in_flight else state.model_copy(update={"in_flight": kept})


def prune_decisions(
    records: tuple[DecisionRecord, ...], now: datetime
) -> tuple[DecisionRecord, ...]:
    """Keep the decisions of the last 48 hours (DESIGN §4)."""
    return tuple(r for r in records if now - r.at <= DECISION_RETENTION)
