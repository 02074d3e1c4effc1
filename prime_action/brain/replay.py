"""The LLM brain split in two jobs: a decision recorded without a write token, replayed with one.

The reasoning job runs the wake as a dry run (it writes nothing, so its token may only read)
and keeps the brain's decision; the writing job runs the wake again on its own reads, and its
brain answers with that decision. The wake's policy (`enforce`) then checks every action
against the writing job's own picture, as it checks any brain's (DESIGN §8).
"""

from __future__ import annotations

from pydantic import ValidationError

from prime_action.brain.port import Brain, BrainInput
from prime_action.domain.models import Decision

DECISION_FILE = "decision.json"
MAX_DECISION_BYTES = 1024 * 1024  # the decision keeps its (masked) prompt


class DecisionRefused(ValueError):
    """A recorded decision that the writing job will not use; the message says why."""


class RecordingBrain:
    """A brain that keeps the decisions it makes (the reasoning job's)."""

    def __init__(self, inner: Brain) -> None:
        """Record what `inner` decides."""
        self._inner = inner
        self.decisions: list[Decision] = []

    def decide(self, picture: BrainInput) -> Decision:
        """Decide with the inner brain, and keep the decision."""
        decision = self._inner.decide(picture)
        self.decisions.append(decision)
        return decision


class ReplayBrain:
    """A brain that answers with a recorded decision, or, with none, asks its fallback."""

    def __init__(self, decision: Decision | None, fallback: Brain) -> None:
        """Replay `decision`; None: the reasoning job recorded none (the fallback decides)."""
        self._decision = decision
        self._fallback = fallback

    def decide(self, picture: BrainInput) -> Decision:
        """The recorded decision (policy checks it after), else the fallback's."""
        if self._decision is None:
            return self._fallback.decide(picture)
        return self._decision


def read_decision(data: bytes) -> Decision:
    """A recorded decision, bounded and validated against the Decision schema.

    Raises:
        DecisionRefused: too large, or not a decision.
    """
    if len(data) > MAX_DECISION_BYTES:
        msg = f"{DECISION_FILE} is larger than {MAX_DECISION_BYTES // 1024} KiB"
        raise DecisionRefused(msg)
    try:
        return Decision.model_validate_json(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        msg = f"{DECISION_FILE} is not a decision ({where}: {first['msg']})"
        raise DecisionRefused(msg) from e
