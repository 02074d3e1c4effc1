"""One dispatcher cycle over the ports: record every attempt first, then dispatch (DESIGN §6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from prime_action.dispatch.ledger import compact, find, upsert
from prime_action.dispatch.ports import AttemptLedger, Launcher
from prime_action.dispatch.rules import Chosen, DispatchSettings, Skipped, expire, select
from prime_action.domain.errors import PrimeError
from prime_action.domain.models import Attempt, RunSheetItem
from prime_action.domain.values import Frozen

NOT_STARTED = "not dispatched: the cycle stopped at an error before this attempt"
NEVER_CONFIRMED = (
    "not dispatched: GitHub never confirmed the dispatch and no runner run carries this "
    "attempt; released for the next cycle"
)
# How long a dispatch may take to show up among the runner's runs.
CONFIRM_AFTER = timedelta(minutes=10)


class DispatchReport(Frozen):
    """What a cycle did: dispatched attempts, skipped items, attempts that timed out."""

    dispatched: tuple[Attempt, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    timed_out: tuple[Attempt, ...] = ()
    error: str | None = None


@dataclass
class _Plan:
    """What the (pure, possibly repeated) ledger change decided, kept for after the write."""

    chosen: list[Chosen] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    timed_out: list[Attempt] = field(default_factory=list)


def run_cycle(
    ledger: AttemptLedger,
    launcher: Launcher,
    items: tuple[RunSheetItem, ...],
    settings: DispatchSettings,
    now: datetime,
    *,
    ids: dict[tuple[str, str], str] | None = None,
) -> DispatchReport:
    """Time out stale attempts, choose what runs, record it, then dispatch it.

    The pending attempts are written before any dispatch: a crash between the write and a
    dispatch leaves a pending attempt, which a rerun skips (it times out later), so nothing
    is ever dispatched twice. After an error, the attempts not yet tried are released
    (`cancelled`) and the error is reported.

    Args:
        ledger: the attempt ledger.
        launcher: starts runner workflows.
        items: the run sheet.
        settings: the dispatcher's limits.
        now: the current moment.
        ids: attempt ids to use per (repo, signal) (standalone mode).

    Returns:
        What the cycle did.
    """
    plan = _Plan()
    runs: dict[frozenset[str], dict[str, int]] = {}

    def started(ids: frozenset[str]) -> dict[str, int]:
        if ids not in runs:  # `decide` may run again after a lost race: ask GitHub once
            runs[ids] = launcher.started(ids)
        return runs[ids]

    def decide(attempts: tuple[Attempt, ...]) -> tuple[Attempt, ...]:
        attempts = _reconcile(attempts, started, now)
        fresh = expire(attempts, now, settings.timeout_hours)
        plan.chosen, plan.skipped = select(items, fresh, settings, now, ids)
        plan.timed_out = [a for a, b in zip(fresh, attempts, strict=True) if a != b]
        return compact(upsert(fresh, *(c.attempt for c in plan.chosen)), now)

    ledger.change(decide)
    launched, error = _launch(launcher, plan.chosen)
    untried = {c.attempt.id for c in plan.chosen[len(launched) + (error is not None) :]}
    if launched or untried:
        final = ledger.change(lambda attempts: _settle(attempts, launched, untried, now))
    else:
        final = ()
    return DispatchReport(
        dispatched=tuple(
            find(final, c.attempt.id) or c.attempt for c in plan.chosen if c.attempt.id in launched
        ),
        skipped=tuple(plan.skipped),
        timed_out=tuple(plan.timed_out),
        error=error,
    )


def _reconcile(
    attempts: tuple[Attempt, ...],
    started: Callable[[frozenset[str]], dict[str, int]],
    now: datetime,
) -> tuple[Attempt, ...]:
    """Settle pending attempts whose dispatch GitHub never confirmed (a 5xx, a lost answer).

    A runner run carrying the attempt id means it did start: note its run id. None after
    CONFIRM_AFTER means it never started: release the attempt, so its item is not held until
    the timeout. Only then is GitHub asked (one request).
    """
    unsure = frozenset(
        a.id
        for a in attempts
        if a.status == "pending" and a.run_id is None and now - a.created_at >= CONFIRM_AFTER
    )
    if not unsure:
        return attempts
    found = started(unsure)
    changed = [
        a.model_copy(update={"run_id": found[a.id]})
        if a.id in found
        else a.model_copy(
            update={"status": "cancelled", "reason": NEVER_CONFIRMED, "updated_at": now}
        )
        for a in attempts
        if a.id in unsure
    ]
    return upsert(attempts, *changed)


def _launch(launcher: Launcher, chosen: list[Chosen]) -> tuple[dict[str, int | None], str | None]:
    """Dispatch in rank order, spaced; stop at the first error (its attempt stays pending)."""
    launched: dict[str, int | None] = {}
    for index, choice in enumerate(chosen):
        if index:
            launcher.pause()
        try:
            launched[choice.attempt.id] = launcher.launch(choice.attempt, choice.item)
        except PrimeError as e:
            return launched, f"dispatching {choice.attempt.id} failed: {e}"
    return launched, None


def _settle(
    attempts: tuple[Attempt, ...],
    launched: dict[str, int | None],
    untried: set[str],
    now: datetime,
) -> tuple[Attempt, ...]:
    """Note run ids of what started, and release what was never tried."""
    changed = []
    for attempt in attempts:
        if attempt.status != "pending":
            continue  # a runner may already have reported or started
        if attempt.id in launched and launched[attempt.id] is not None and attempt.run_id is None:
            changed.append(attempt.model_copy(update={"run_id": launched[attempt.id]}))
        elif attempt.id in untried:
            update = {"status": "cancelled", "reason": NOT_STARTED, "updated_at": now}
            changed.append(attempt.model_copy(update=update))
    return upsert(attempts, *changed)
