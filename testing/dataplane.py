"""In-memory fakes of the dispatcher's ports: an attempt ledger and a recording launcher."""

from __future__ import annotations

from dataclasses import dataclass, field

from prime_action.dispatch.ports import Change
from prime_action.domain.errors import GitHubError
from prime_action.domain.models import Attempt, RunSheetItem


@dataclass
class MemoryLedger:
    """attempts.jsonl in memory; counts writes (a change that changes nothing writes nothing)."""

    attempts: tuple[Attempt, ...] = ()
    writes: int = 0

    def load(self) -> tuple[Attempt, ...]:
        return self.attempts

    def change(self, change: Change) -> tuple[Attempt, ...]:
        after = change(self.attempts)
        if after != self.attempts:
            self.attempts = after
            self.writes += 1
        return self.attempts


@dataclass
class RecordingLauncher:
    """Records each launch; `fail_at` makes the n-th launch (0-based) raise, as a crash would."""

    launched: list[tuple[Attempt, RunSheetItem]] = field(default_factory=list)
    fail_at: int | None = None
    pauses: int = 0
    next_run: int = 1000

    def launch(self, attempt: Attempt, item: RunSheetItem) -> int | None:
        if self.fail_at is not None and len(self.launched) == self.fail_at:
            self.fail_at = None
            msg = "dispatch: GitHub did not answer (ConnectionError); rerun to reconcile"
            raise GitHubError(msg)
        self.launched.append((attempt, item))
        self.next_run += 1
        return self.next_run

    def pause(self) -> None:
        self.pauses += 1

    def started(self, attempt_ids: frozenset[str]) -> dict[str, int]:
        runs = {attempt.id: 1001 + index for index, (attempt, _) in enumerate(self.launched)}
        return {a: run for a, run in runs.items() if a in attempt_ids}
