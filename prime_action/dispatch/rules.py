"""Whether each run-sheet item may run now (DESIGN §6): skip reasons as values, never guesses."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timedelta

from pydantic import Field

from prime_action.dispatch.ledger import OPEN, latest
from prime_action.domain.clock import iso
from prime_action.domain.models import Attempt, RunnerType, RunSheetItem
from prime_action.domain.values import Frozen


class DispatchSettings(Frozen):
    """The dispatcher's limits: from the org config, or from a standalone repo's `jobs:`."""

    # Open attempts allowed per runner type; a type not named has no limit of its own.
    capacity: dict[RunnerType, int] = Field(default_factory=dict)
    # Open attempts allowed in all (standalone: jobs.max_in_flight); None: no total limit.
    max_open: int | None = None
    max_per_cycle: int = Field(default=20, ge=1)
    timeout_hours: float = Field(default=24.0, gt=0)
    spacing_seconds: float = Field(default=1.0, ge=0)


class Chosen(Frozen):
    """An item that runs now, with the attempt recorded for it."""

    item: RunSheetItem
    attempt: Attempt


class Skipped(Frozen):
    """An item that does not run now, and why."""

    item: RunSheetItem
    reason: str


def attempt_id(repo: str, signal: str, previous: str | None) -> str:
    """The next attempt's id: the signal and a hash chained on the previous attempt's id.

    The same ledger always gives the same next id, so a rerun of a wake or a cycle that failed
    before its write names its job the same way (and finds the comments it already posted).
    """
    digest = hashlib.sha256(f"{repo.lower()}|{signal}|{previous or ''}".encode()).hexdigest()
    return f"{signal}-{digest[:10]}"


def next_attempt_id(attempts: tuple[Attempt, ...], repo: str, signal: str) -> str:
    """The id the next attempt of (repo, signal) gets, given the ledger."""
    last = latest(attempts, repo, signal)
    return attempt_id(repo, signal, last.id if last else None)


def fingerprint_of(item: RunSheetItem) -> str:
    """The signal's fingerprint an item carries (an extra key of the run sheet), or ""."""
    value = (item.model_extra or {}).get("fingerprint", "")
    return value if isinstance(value, str) else ""


def hold_reason(
    item: RunSheetItem, attempts: tuple[Attempt, ...], settings: DispatchSettings, now: datetime
) -> str:
    """Why an item may not run now, from its own history ("" when it may).

    Args:
        item: the run-sheet item.
        attempts: the ledger (with this cycle's new attempts).
        settings: the dispatcher's limits.
        now: the current moment.

    Returns:
        A short reason, or "".
    """
    last = latest(attempts, item.repo, item.signal)
    if last is None:
        return ""
    if last.status in OPEN:
        return f"attempt {last.id} is {last.status}"
    if last.status == "blocked" and last.fingerprint == fingerprint_of(item):
        return f"blocked since {iso(last.updated_at)}: waiting for a change or a human"
    # An item added after a success is new work, not a retry: the success's PR merged, the
    # item left the sheet, and the drift came back (it must be fixed again, not in 72 h).
    if last.status == "success" and item.added_at > last.updated_at:
        return ""
    until = last.created_at + timedelta(hours=item.cooldown_hours)
    if last.status != "cancelled" and now < until:
        return f"cooling down until {iso(until)}"
    return ""


def _reused(given: str | None, attempts: tuple[Attempt, ...]) -> str:
    """A job id the ledger knows was dispatched already: the same job never starts twice."""
    known = next((a for a in attempts if a.id == given), None) if given else None
    return f"attempt {known.id} was dispatched already ({known.status})" if known else ""


def _capacity_reason(
    runner: RunnerType, attempts: tuple[Attempt, ...], settings: DispatchSettings
) -> str:
    open_attempts = [a for a in attempts if a.status in OPEN]
    by_runner = Counter(a.runner for a in open_attempts)
    limit = settings.capacity.get(runner)
    if limit is not None and by_runner[runner] >= limit:
        return f"runner '{runner}' at capacity ({limit} open)"
    if settings.max_open is not None and len(open_attempts) >= settings.max_open:
        return f"{settings.max_open} attempts open already"
    return ""


def select(
    items: tuple[RunSheetItem, ...],
    attempts: tuple[Attempt, ...],
    settings: DispatchSettings,
    now: datetime,
    ids: dict[tuple[str, str], str] | None = None,
) -> tuple[list[Chosen], list[Skipped]]:
    """Walk the run sheet by rank and choose what runs now.

    Args:
        items: the run sheet (any order; walked by rank).
        attempts: the ledger, timeouts already applied.
        settings: the dispatcher's limits.
        now: the current moment.
        ids: (repo, signal) -> attempt id to use (standalone: the id the wake gave the job).

    Returns:
        The chosen items with their new pending attempts, and the skipped ones with reasons.
    """
    chosen: list[Chosen] = []
    skipped: list[Skipped] = []
    seen: set[tuple[str, str]] = set()
    for item in sorted(items, key=lambda i: i.rank):
        key = (item.repo.lower(), item.signal)
        reason = "listed twice in the run sheet" if key in seen else ""
        seen.add(key)
        given = (ids or {}).get((item.repo, item.signal))
        reason = reason or _reused(given, attempts)
        reason = reason or hold_reason(item, attempts, settings, now)
        reason = reason or _capacity_reason(item.runner, attempts, settings)
        if not reason and len(chosen) >= settings.max_per_cycle:
            reason = f"this cycle's limit of {settings.max_per_cycle} dispatches reached"
        if reason:
            skipped.append(Skipped(item=item, reason=reason))
            continue
        attempt = new_attempt(item, now, given or next_attempt_id(attempts, item.repo, item.signal))
        attempts = (*attempts, attempt)
        chosen.append(Chosen(item=item, attempt=attempt))
    return chosen, skipped


def new_attempt(item: RunSheetItem, now: datetime, given_id: str) -> Attempt:
    """The pending attempt recorded before an item's runner is dispatched."""
    return Attempt(
        id=given_id,
        repo=item.repo,
        signal=item.signal,
        runner=item.runner,
        fingerprint=fingerprint_of(item),
        created_at=now,
        updated_at=now,
    )


def expire(
    attempts: tuple[Attempt, ...], now: datetime, timeout_hours: float
) -> tuple[Attempt, ...]:
    """Open attempts with no report (and no heartbeat) for `timeout_hours` become `timeout`."""
    limit = timedelta(hours=timeout_hours)

    def stale(a: Attempt) -> bool:
        return a.status in OPEN and now - (a.heartbeat_at or a.created_at) >= limit

    reason = f"no report within {timeout_hours:g} hours"
    return tuple(
        a.model_copy(update={"status": "timeout", "reason": reason, "updated_at": now})
        if stale(a)
        else a
        for a in attempts
    )
