"""The attempt ledger's file format (attempts.jsonl) and the pure updates made to it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pydantic import ValidationError

from prime_action.domain.errors import StoreError
from prime_action.domain.models import Attempt, AttemptStatus

LEDGER_FILE = "attempts.jsonl"
# Waiting for a runner or being worked on: not concluded, so never dispatched again.
OPEN: frozenset[AttemptStatus] = frozenset({"pending", "running"})
KEEP_PER_KEY = 10
KEEP_DAYS = 30


def parse_ledger(text: str) -> tuple[Attempt, ...]:
    """Read attempts.jsonl (a byte-order mark, CRLF line ends and blank lines are fine).

    Raises:
        StoreError: on a line that is not an attempt. Skipping it could forget a pending
            attempt and dispatch its item twice, and a rewrite would lose the line: the
            data plane stops, naming the line, until someone repairs or deletes it.
    """
    attempts = []
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            attempts.append(Attempt.model_validate_json(line))
        except ValidationError as e:
            problem = e.errors()[0]["msg"]
            msg = (
                f"{LEDGER_FILE} line {number} is not an attempt ({problem}): repair or delete "
                "that line on the prime-state branch; nothing is dispatched until then"
            )
            raise StoreError(msg) from e
    return tuple(attempts)


def dump_ledger(attempts: Iterable[Attempt]) -> str:
    """attempts.jsonl's text: one attempt a line, oldest first."""
    return "".join(attempt.model_dump_json() + "\n" for attempt in attempts)


def upsert(attempts: tuple[Attempt, ...], *changed: Attempt) -> tuple[Attempt, ...]:
    """Replace attempts by id, appending the new ones, keeping the ledger's order."""
    by_id = {attempt.id: attempt for attempt in changed}
    kept = tuple(by_id.pop(a.id, a) for a in attempts)
    return (*kept, *by_id.values())


def find(attempts: tuple[Attempt, ...], attempt_id: str) -> Attempt | None:
    """The attempt with this id, if the ledger has it."""
    return next((a for a in attempts if a.id == attempt_id), None)


def history(attempts: tuple[Attempt, ...], repo: str, signal: str) -> list[Attempt]:
    """The attempts of one (repo, signal), oldest first (repository names ignore case)."""
    key = (repo.lower(), signal)
    found = [a for a in attempts if (a.repo.lower(), a.signal) == key]
    return sorted(found, key=lambda a: a.created_at)


def latest(attempts: tuple[Attempt, ...], repo: str, signal: str) -> Attempt | None:
    """The most recent attempt of one (repo, signal)."""
    found = history(attempts, repo, signal)
    return found[-1] if found else None


def compact(
    attempts: tuple[Attempt, ...],
    now: datetime,
    keep: int = KEEP_PER_KEY,
    days: float = KEEP_DAYS,
) -> tuple[Attempt, ...]:
    """Keep the last `keep` attempts of each (repo, signal) and everything of the last `days`.

    Open attempts are always kept: forgetting one would let the dispatcher start it twice.
    """
    recent = now - timedelta(days=days)
    newest: set[str] = set()
    for key in {(a.repo.lower(), a.signal) for a in attempts}:
        newest |= {a.id for a in history(attempts, *key)[-keep:]}
    return tuple(
        a for a in attempts if a.id in newest or a.created_at >= recent or a.status in OPEN
    )
