"""The architect inside a wake: refine the growth signal from the issues, then write the tickets.

The eyes hand the snapshot through `saw` (the seed is one of the files the growth detector
wants, so reading it costs nothing extra); the wake calls `refine` once it has listed the
issues and `write` after the decision was carried out. Tickets go through the same issue
store as every other write, so a dry run notes them instead of making them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from prime_action.domain.errors import ConfigError
from prime_action.domain.models import MergedPull, PrimeState, SignalResult
from prime_action.domain.ports import TrackedIssue
from prime_action.growth.adopt import (
    Candidate,
    HumanTask,
    adopted_body,
    human_tasks,
    to_adopt,
    tracked,
)
from prime_action.growth.architect import next_tickets
from prime_action.growth.implement import task_signals
from prime_action.growth.report import held, recorded, roll
from prime_action.growth.seed import SEED_PATH, Seed, parse_seed
from prime_action.growth.signal import GROWTH, evaluate
from prime_action.repo.act import Actor
from prime_action.signals.base import RepoSnapshot


class TaskTickets(Protocol):
    """Issues carrying the seed's task label, whoever opened them (growth mode only)."""

    # Every issue with the label, open or closed, pull requests left out (one listing).
    def task_issues(self, label: str) -> tuple[Candidate, ...]: ...

    # Replace an issue's body and labels (adoption: Prime's markers and automated label).
    def adopt(self, number: int, body: str, labels: tuple[str, ...]) -> None: ...


@dataclass
class GrowthStep:
    """One wake's architect; holds the seed the eyes read."""

    seed_text: str | None = None
    # The label that hands a ticket to a human (the config's labels.needs_human).
    needs_human: str = "needs-human"
    # Human tickets: the listing by task label (None: not looked at), whom to trust, and
    # the label that makes an adopted ticket one of Prime's issues.
    tickets: TaskTickets | None = None
    trusted: tuple[str, ...] = ()
    automated: str = "automated"
    # What adoption found this wake (read once, even when the wake retries its write).
    humans: dict[str, HumanTask] | None = None
    adopted: list[str] = field(default_factory=list)
    _adopted_issues: tuple[TrackedIssue, ...] = ()
    # The growth report: PRs the gate merged before this wake, the tickets it opened, the
    # issues it saw (for reverts), and why the energy budget holds growth ("" : it does not).
    merges: tuple[MergedPull, ...] = ()
    opened: int = 0
    seen: tuple[TrackedIssue, ...] = ()
    held: str = ""

    def begin(self, state: PrimeState | None, now: datetime) -> None:
        """Read the current cycle from the state: is the energy budget spent?"""
        seed = self._seed()
        if seed is None or state is None:
            return
        report = roll(state.growth, now, seed.energy, state.cost.usd_total)
        report = recorded(report, opened=0, merges=self.merges, issues=(), reason="")
        self.held = held(seed.energy, report.cycles[-1])

    def record(self, state: PrimeState, now: datetime) -> PrimeState:
        """The state with this wake in its growth report (unchanged without a seed)."""
        seed = self._seed()
        if seed is None:
            return state
        report = roll(state.growth, now, seed.energy, state.cost.usd_total)
        report = recorded(report, opened=self.opened, merges=self.merges, issues=self.seen,
                          reason=self.held)  # fmt: skip
        return state.model_copy(update={"growth": report})

    def saw(self, snapshot: RepoSnapshot) -> RepoSnapshot:
        """Keep the seed from the snapshot the detectors look at; return the snapshot."""
        self.seed_text = snapshot.files.get(SEED_PATH)
        return snapshot

    def refine(
        self, signals: tuple[SignalResult, ...], issues: tuple[TrackedIssue, ...]
    ) -> tuple[SignalResult, ...]:
        """The signals with growth's verdict made from the issues (a skipped one stays so),
        plus one agent signal per open ticket (the implementer's work)."""
        seed = self._seed()
        issues = self.seen = self.with_humans(issues)
        refined = tuple(
            self._refined(s, issues) if s.name == GROWTH.name and s.status != "skipped" else s
            for s in signals
        )
        if seed is None:
            return refined
        work = task_signals(seed, issues, self.needs_human, self.humans)
        return tuple(self._hold(s) for s in (*refined, *work))

    def _hold(self, signal: SignalResult) -> SignalResult:
        """Past the energy budget, growth's signals are skipped: no ticket, no dispatch."""
        if not self.held or signal.status != "failing" or not signal.name.startswith("growth"):
            return signal
        return signal.model_copy(update={"status": "skipped", "detail": self.held})

    def with_humans(self, issues: tuple[TrackedIssue, ...]) -> tuple[TrackedIssue, ...]:
        """The issues plus the human tickets adopted now (later wakes list them by marker).

        In a repository with a seed, the first call lists the task-labelled issues once and
        adopts the trusted people's; without a seed nothing is listed.
        """
        seed = self._seed()
        if seed is not None and self.tickets is not None and self.humans is None:
            self._adopt(seed, self.tickets)
        known = {i.number for i in issues}
        return (*issues, *(i for i in self._adopted_issues if i.number not in known))

    def _adopt(self, seed: Seed, tickets: TaskTickets) -> None:
        label = seed.automation_contract.task_label
        candidates = tickets.task_issues(label)
        fresh = to_adopt(candidates, label, self.trusted)
        for c in fresh:
            labels = tuple(dict.fromkeys((*c.labels, self.automated)))
            tickets.adopt(c.number, adopted_body(c), labels)
            self.adopted.append(f"adopted {label} issue #{c.number}: {c.title}")
        done = tuple(c.model_copy(update={"body": adopted_body(c)}) for c in fresh)
        self.humans = human_tasks((*candidates, *done))
        self._adopted_issues = tuple(tracked(c, self.automated) for c in done)

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
        actor.done.extend(self.adopted)
        known = {i.number for i in actor.tracked}
        actor.tracked.extend(i for i in self._adopted_issues if i.number not in known)
        growth = next((s for s in signals if s.name == GROWTH.name), None)
        seed = self._seed()
        if growth is None or growth.status != "failing" or seed is None:
            return
        if state.status == "paused" or GROWTH.name in state.skipped:
            return
        for ticket in next_tickets(seed, tuple(actor.tracked), actor.config.labels.automated):
            number = actor.issues.open_issue(ticket.key, ticket.title, ticket.body, ticket.labels)
            actor.opened(number, ticket.key, ticket.title, labels=ticket.labels)
            actor.done.append(f"opened {ticket.labels[-1]} issue #{number}: {ticket.title}")
            self.opened += 1
