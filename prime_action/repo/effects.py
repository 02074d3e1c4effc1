"""What a wake writes, as values: the effects of a plan, their lines, and how they settle.

A wake plans every write before it makes one. Writes that need the result of an earlier one
(the number of an issue opened in the same wake) name it by signal; `settle` fills the
number in from what the executor has done so far, so the plan stays a pure value.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from prime_action.domain.models import DecisionRecord, PrimeState, RunnerType
from prime_action.domain.values import Frozen
from prime_action.repo.dashboard import DashboardView, Ticks
from prime_action.repo.memory_update import changed

# The number of an issue this wake opens: known only once the executor has opened it.
OPENED_NOW = 0


class IssueRef(Frozen):
    """An issue a write is for: its number, or (None) the one this wake opens for `signal`."""

    issue: int | None = None
    signal: str | None = None

    @property
    def where(self) -> str:
        """The issue, in a dry run's words."""
        return f"#{self.issue}" if self.issue is not None else f"the issue opened for {self.signal}"


class Adopt(Frozen):
    """Make a person's task ticket one of Prime's issues (its markers and labels)."""

    kind: Literal["adopt"] = "adopt"
    number: int
    title: str
    # The seed's task label, as the report names the ticket.
    label: str
    body: str
    labels: tuple[str, ...]

    def describe(self) -> str:
        """The write, in a dry run's words."""
        labels = ", ".join(self.labels)
        return f"adopt #{self.number}: add Prime's marker and the labels {labels}"


class OpenIssue(Frozen):
    """Open the issue of a signal, or reopen its closed one (found by its marker)."""

    kind: Literal["open-issue"] = "open-issue"
    signal: str
    title: str
    body: str
    labels: tuple[str, ...]
    # A growth ticket is reported by its title, a tracking issue by its signal.
    ticket: bool = False

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"open (or reopen) the issue for {self.signal}: {self.title}"


class Comment(IssueRef):
    """Comment on an issue unless its marker is already there."""

    kind: Literal["comment"] = "comment"
    body: str
    marker: str
    # The brain's own comments are reported; bookkeeping ones are not.
    reported: bool = False

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"comment on {self.where}"


class SetLabels(IssueRef):
    """Add and remove labels on an issue."""

    kind: Literal["set-labels"] = "set-labels"
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    reported: bool = False

    def describe(self) -> str:
        """The write, in a dry run's words."""
        where = self.where
        return f"label {where}: +{','.join(self.add)} -{','.join(self.remove)}"


class Close(IssueRef):
    """Close an issue as completed, `note` added to its description."""

    kind: Literal["close"] = "close"
    note: str
    reason: str

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"close {self.where}"


class Submit(Frozen):
    """Queue a job (its attempt id was named before planning)."""

    kind: Literal["submit"] = "submit"
    signal: str
    runner: RunnerType
    approach: str
    fingerprint: str
    attempt: str

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"submit a {self.runner} job for {self.signal} (attempt {self.attempt})"


class RerunFailedJobs(Frozen):
    """Re-run the failed jobs of a default-branch workflow run, once (CI triage)."""

    kind: Literal["rerun-failed-jobs"] = "rerun-failed-jobs"
    run_id: int
    checks: tuple[str, ...]
    why: str  # infrastructure | first-time

    def describe(self) -> str:
        """The write, in a dry run's words."""
        checks = ", ".join(self.checks)
        return f"re-run the failed jobs of run {self.run_id} once ({self.why}: {checks})"


class Flag(Frozen):
    """Send one `prime-flag` to Org Prime."""

    kind: Literal["flag"] = "flag"
    signal: str | None = None
    reason: str

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"flag to Org Prime: {self.reason}"


class WriteDashboard(Frozen):
    """Write the dashboard if its text changes (re-read first, keeping new ticks)."""

    kind: Literal["write-dashboard"] = "write-dashboard"
    view: DashboardView
    # The boxes this wake acted on: the write unticks them.
    handled: Ticks = Ticks()

    def describe(self) -> str:
        """The write, in a dry run's words."""
        number = self.view.state.dashboard_issue
        if number is None:
            return "create the dashboard"
        return f"update the dashboard #{number} if its text changed"


class SaveState(Frozen):
    """Write state.json and the decision log on top of `expected` (compare-and-swap)."""

    kind: Literal["save-state"] = "save-state"
    state: PrimeState
    record: DecisionRecord
    expected: str | None = None
    # The state as read: a save that changes nothing is not made.
    before: PrimeState | None = None

    @property
    def needed(self) -> bool:
        """Whether the state differs from what was read (the wake count aside)."""
        return changed(self.before, self.state)

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"write state.json (next wake {self.state.next_wake_at}) and the decision log"


class Reply(Frozen):
    """Answer a `/prime` command or a message to Prime once (the marker names the comment)."""

    kind: Literal["reply"] = "reply"
    issue: int
    body: str
    marker: str

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"reply once to the comment on #{self.issue}"


class ClosePull(Frozen):
    """Close one of Prime's PRs with one comment; its body says Prime closed it (not a "no")."""

    kind: Literal["close-pull"] = "close-pull"
    number: int
    body: str
    why: Literal["stale", "superseded"]
    # The PR that replaces it (superseded).
    by: int | None = None
    # The signals it fixes (a stale PR's cool down: Prime asks again only later).
    signals: tuple[str, ...] = ()

    def describe(self) -> str:
        """The write, in a dry run's words."""
        by = f" by #{self.by}" if self.by is not None else ""
        return f"close PR #{self.number} as {self.why}{by}"


class RefreshPull(Frozen):
    """Re-apply a conflicted fileops PR's fix on the moved base (never over a person's commit).

    When the base already has all of it, the PR is closed with `closing` instead.
    """

    kind: Literal["refresh-pull"] = "refresh-pull"
    number: int
    branch: str
    signals: tuple[str, ...]
    # The comment when the base already has the fix; the body note when Prime cannot redo it.
    closing: str
    manual: str

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"refresh PR #{self.number} ({self.branch}) on the moved base"


class ReworkPull(Frozen):
    """Send a conflicted growth PR back to the implementer: its base cannot be merged in
    cleanly, so the agent merges it on the PR's branch (once per head)."""

    kind: Literal["rework-pull"] = "rework-pull"
    number: int
    branch: str
    base: str

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"send PR #{self.number} ({self.branch}) back: merge {self.base} into it"


class NotePull(Frozen):
    """Add a note to a PR's body once (found by its marker): an edit notifies nobody."""

    kind: Literal["note-pull"] = "note-pull"
    number: int
    marker: str
    note: str

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"note in PR #{self.number}'s body why Prime leaves its conflict"


class UnmarkPull(Frozen):
    """Take "closed by Prime" out of a reopened PR's body: a later close is a person's again."""

    kind: Literal["unmark-pull"] = "unmark-pull"
    number: int

    def describe(self) -> str:
        """The write, in a dry run's words."""
        return f"take Prime's closing mark out of the reopened PR #{self.number}"


Effect = Annotated[
    Adopt
    | OpenIssue
    | Comment
    | SetLabels
    | Close
    | Submit
    | RerunFailedJobs
    | Flag
    | WriteDashboard
    | SaveState
    | Reply
    | ClosePull
    | RefreshPull
    | ReworkPull
    | NotePull
    | UnmarkPull,
    Field(discriminator="kind"),
]


class Outcome(Frozen):
    """What the executor has done so far in a wake."""

    # signal -> the number of the issue this wake opened (or reopened) for it.
    opened: dict[str, int] = Field(default_factory=dict)
    # The report's lines, in order.
    done: tuple[str, ...] = ()
    dashboard: int | None = None
    wrote_state: bool = False
    # The state save lost a race: the wake re-plans on the winner's state.
    conflict: bool = False


def settle(effect: Effect, outcome: Outcome) -> Effect | None:
    """The effect with what earlier effects returned filled in; None when it has no target.

    Args:
        effect: a planned effect.
        outcome: what this wake has done so far.

    Returns:
        The effect to carry out: issue numbers resolved, the dashboard's number in the state.
    """
    if isinstance(effect, IssueRef) and effect.issue is None:
        number = outcome.opened.get(effect.signal or "")
        return None if number is None else effect.model_copy(update={"issue": number})
    if isinstance(effect, WriteDashboard):
        return effect.model_copy(update={"view": settle_view(effect.view, outcome)})
    if isinstance(effect, SaveState):
        return effect.model_copy(update={"state": settled_state(effect.state, outcome)})
    return effect


def settle_view(view: DashboardView, outcome: Outcome) -> DashboardView:
    """The dashboard naming the issues this wake opened by their numbers."""
    needs = tuple(
        n.model_copy(update={"issue": outcome.opened.get(n.signal)}) if n.issue == 0 else n
        for n in view.needs_human
    )
    return view.model_copy(update={"needs_human": needs})


def settled_state(state: PrimeState, outcome: Outcome) -> PrimeState:
    """The state as saved: with the number of the dashboard this wake wrote, and the
    numbers of the growth tickets it opened."""
    state = _settled_tickets(state, outcome)
    if outcome.dashboard is None:
        return state
    return state.model_copy(update={"dashboard_issue": outcome.dashboard})


def _settled_tickets(state: PrimeState, outcome: Outcome) -> PrimeState:
    """Growth tickets planned with number 0 get the number they were opened under (a
    ticket whose opening failed is left out: the next wake lists the issues again)."""
    tickets = state.growth.tickets
    if all(t.issue != OPENED_NOW for t in tickets):
        return state
    settled = tuple(
        t if t.issue != OPENED_NOW else t.model_copy(update={"issue": outcome.opened[t.signal]})
        for t in tickets
        if t.issue != OPENED_NOW or t.signal in outcome.opened
    )
    growth = state.growth.model_copy(update={"tickets": settled})
    return state.model_copy(update={"growth": growth})


def dry_run_lines(effects: tuple[Effect, ...]) -> tuple[str, ...]:
    """A dry run's list: one line per write the plan would make (an unchanged state: none)."""
    return tuple(e.describe() for e in effects if not (isinstance(e, SaveState) and not e.needed))
