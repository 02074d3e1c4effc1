"""The architect inside a wake: refine the growth signal from the issues, then write the tickets.

The eyes hand the snapshot through `saw` (the seed is one of the files the growth detector
wants, so reading it costs nothing extra); the wake calls `refine` once it has listed the
issues and `write` after the decision was carried out. Tickets go through the same issue
store as every other write, so a dry run notes them instead of making them.
"""

from __future__ import annotations

from dataclasses import dataclass

from prime_action.domain.errors import ConfigError
from prime_action.domain.models import PrimeState, SignalResult
from prime_action.domain.ports import TrackedIssue
from prime_action.growth.architect import next_tickets
from prime_action.growth.implement import task_signals
from prime_action.growth.seed import SEED_PATH, Seed, parse_seed
from prime_action.repo.act import Actor
from prime_action.signals.base import RepoSnapshot
from prime_action.signals.growth import GROWTH, evaluate


@dataclass
class GrowthStep:
    """One wake's architect; holds the seed the eyes read."""

    seed_text: str | None = None
    # The label that hands a ticket to a human (the config's labels.needs_human).
    needs_human: str = "needs-human"

    def saw(self, snapshot: RepoSnapshot) -> RepoSnapshot:
        """Keep the seed from the snapshot the detectors look at; return the snapshot."""
        self.seed_text = snapshot.files.get(SEED_PATH)
        return snapshot

    def refine(
        self, signals: tuple[SignalResult, ...], issues: tuple[TrackedIssue, ...]
    ) -> tuple[SignalResult, ...]:
        """The signals with growth's verdict made from the issues (a skipped one stays so),
        plus one agent signal per open ticket (the implementer's work)."""
        refined = tuple(
            self._refined(s, issues) if s.name == GROWTH.name and s.status != "skipped" else s
            for s in signals
        )
        seed = self._seed()
        return (
            refined if seed is None else (*refined, *task_signals(seed, issues, self.needs_human))
        )

    def _refined(self, signal: SignalResult, issues: tuple[TrackedIssue, ...]) -> SignalResult:
        fresh = evaluate(self.seed_text, issues)
        # Keep the config's severity and weight overrides.
        return signal.model_copy(
            update={
                "status": fresh.status,
                "detail": fresh.detail,
                "fingerprint": fresh.fingerprint,
            }
        )

    def _seed(self) -> Seed | None:
        if self.seed_text is None:
            return None
        try:
            return parse_seed(self.seed_text)
        except ConfigError:
            return None

    def write(self, actor: Actor, state: PrimeState, signals: tuple[SignalResult, ...]) -> None:
        """Open the next tickets, unless growth is not failing, Prime is paused or growth skipped.

        Args:
            actor: this wake's actor: its issue store, the issues as they are now, its log.
            state: the prepared state (a pause, `/prime skip growth`).
            signals: the refined signals.
        """
        growth = next((s for s in signals if s.name == GROWTH.name), None)
        seed = self._seed()
        if growth is None or growth.status != "failing" or seed is None:
            return
        if state.status == "paused" or GROWTH.name in state.skipped:
            return
        for ticket in next_tickets(seed, tuple(actor.tracked), actor.config.labels.automated):
            number = actor.issues.open_issue(ticket.key, ticket.title, ticket.body, ticket.labels)
            actor.tracked.append(
                TrackedIssue(
                    number=number,
                    signal=ticket.key,
                    title=ticket.title,
                    state="open",
                    labels=ticket.labels,
                )
            )
            actor.done.append(f"opened {ticket.labels[-1]} issue #{number}: {ticket.title}")
