"""The dispatcher's ports: the attempt ledger and the thing that starts runner workflows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from prime_action.domain.models import Attempt, RunSheetItem

Change = Callable[[tuple[Attempt, ...]], tuple[Attempt, ...]]


class AttemptLedger(Protocol):
    """attempts.jsonl, read whole and changed compare-and-swap."""

    # Every attempt, oldest first.
    def load(self) -> tuple[Attempt, ...]: ...

    # Apply `change` to the current ledger and write the result; on a lost race re-read and
    # apply it again (so `change` must be pure). Writes nothing when nothing changed.
    def change(self, change: Change) -> tuple[Attempt, ...]: ...


class Launcher(Protocol):
    """Starts the runner workflow for one attempt."""

    # Dispatch the runner with the attempt's inputs; return the run id when GitHub tells it.
    def launch(self, attempt: Attempt, item: RunSheetItem) -> int | None: ...

    # Wait between two dispatches (GitHub's content-creation limits).
    def pause(self) -> None: ...

    # Run ids of the recent runner runs that carry these attempt ids (in their run-name).
    def started(self, attempt_ids: frozenset[str]) -> dict[str, int]: ...
