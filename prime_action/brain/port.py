"""What every brain is given and the port it implements."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from prime_action.config.models import RepoConfig
from prime_action.domain.conversation import Message
from prime_action.domain.models import Decision, PlanItem, PrimeState, SignalResult, WakeReason
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen


class BrainInput(Frozen):
    """The whole picture of one wake, as a value."""

    state: PrimeState
    signals: tuple[SignalResult, ...]
    issues: tuple[TrackedIssue, ...]
    plan: tuple[PlanItem, ...]
    reason: WakeReason
    config: RepoConfig
    now: datetime
    # Signals a maintainer asked to run now (`/prime run`, a run-now box): first, past
    # `jobs.max_in_flight`.
    requested: tuple[str, ...] = ()
    # Trusted maintainers' messages to Prime in this wake (conversation): highest priority.
    messages: tuple[Message, ...] = ()

    def open_issue(self, signal: str) -> TrackedIssue | None:
        """The open tracking issue of a signal, if any."""
        return next((i for i in self.issues if i.signal == signal and i.state == "open"), None)


class Brain(Protocol):
    """Decides once per wake."""

    # Return one decision for the picture; never raises for a bad model answer.
    def decide(self, picture: BrainInput) -> Decision: ...
