"""State store over PATH/.prime/state.json and decisions.jsonl, with a content-hash version."""

from __future__ import annotations

import hashlib
from pathlib import Path

from prime_action.adapters.local.files import write_atomic
from prime_action.domain.errors import ConflictError
from prime_action.domain.models import DecisionRecord, PrimeState
from prime_action.domain.ports import StoredState
from prime_action.repo.memory import (
    append_decision,
    dump_decisions,
    dump_state,
    parse_decisions,
    parse_state,
)


def _version(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class LocalStateStore:
    """The working memory of a local checkout; a write must build on the version it read."""

    def __init__(self, root: Path) -> None:
        self._dir = root / ".prime"
        self._state = self._dir / "state.json"
        self._decisions = self._dir / "decisions.jsonl"

    def load(self) -> StoredState:
        """Read state and decisions; an unreadable state reads as none (rebuilt from issues)."""
        if not self._state.exists():
            return StoredState(state=None)
        text = self._state.read_text(encoding="utf-8", errors="replace")
        return StoredState(state=parse_state(text), version=_version(text))

    def decisions(self) -> tuple[DecisionRecord, ...]:
        """The decision log; a damaged line loses one record, never the log."""
        if not self._decisions.exists():
            return ()
        return parse_decisions(self._decisions.read_text(encoding="utf-8", errors="replace"))

    def save(self, state: PrimeState, record: DecisionRecord | None, expected: str | None) -> str:
        """Write state and append the decision if nobody wrote since `expected` was read."""
        current = (
            _version(self._state.read_text(encoding="utf-8")) if self._state.exists() else None
        )
        if current != expected:
            msg = f"{self._state} changed since it was read; re-read and retry"
            raise ConflictError(msg)
        text = dump_state(state)
        write_atomic(self._decisions, dump_decisions(append_decision(self.decisions(), record)))
        write_atomic(self._state, text)
        return _version(text)
