"""The ports the wake cycle talks through; adapters (local files, GitHub) implement them."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

from prime_action.domain.models import DecisionRecord, PrimeState, RunnerType


class TrackedIssue(BaseModel):
    """One of Prime's issues as the issue store sees it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    signal: str
    title: str
    state: Literal["open", "closed"]
    labels: tuple[str, ...] = ()
    fingerprint: str = ""
    # Closed by someone other than Prime: a person, or a merged PR's closing keyword.
    closed_by_human: bool = False
    # GitHub's `state_reason` of a closed issue: `completed` (done, also when a merged PR's
    # `Fixes #n` closed it) or `not_planned` (a "no"); None for issues closed before 2022.
    state_reason: str | None = None

    def said_no(self, closed_now: int | None = None) -> bool:
        """Whether this closed issue is a person's 'no' (DESIGN §4's closing semantics).

        `not_planned` is a 'no'. `completed` is done: a merged PR's `Fixes #n` closes it that
        way, and a drift that comes back after the fix must be fixed again. A person who closes
        it as completed while its signal still fails is read as a 'no' only on the wake of
        that close (`closed_now`), when no merge can have closed it. An issue closed before
        GitHub kept a reason (None) keeps the older rule: any close by a person is a 'no'.
        """
        if self.state != "closed" or not self.closed_by_human:
            return False
        if self.state_reason == "completed":
            return self.number == closed_now
        return True


class StoredState(BaseModel):
    """A state read from a store together with the version a write must build on."""

    model_config = ConfigDict(frozen=True)

    state: PrimeState | None
    version: str | None = None


class StateStore(Protocol):
    """The working memory: state.json plus decisions.jsonl, written compare-and-swap."""

    # Read the state; `state` is None when there is none yet (or it was unreadable).
    def load(self) -> StoredState: ...

    # Write state on top of `expected` and append the decision to the log (pruned to 48 h);
    # raise ConflictError when someone else wrote first.
    def save(
        self, state: PrimeState, record: DecisionRecord | None, expected: str | None
    ) -> str: ...

    # The decision log, oldest first (for `prime explain` and the dashboard).
    def decisions(self) -> tuple[DecisionRecord, ...]: ...


class IssueStore(Protocol):
    """The episodic memory: one tracking issue per signal, found by its marker."""

    # Every tracking issue Prime owns, open or closed.
    def tracking_issues(self) -> list[TrackedIssue]: ...

    # Open a tracking issue for a signal (or reopen the closed one); return its number.
    def open_issue(self, signal: str, title: str, body: str, labels: tuple[str, ...]) -> int: ...

    # Add a comment unless a comment with the same marker already exists.
    def comment(self, number: int, body: str, marker: str) -> None: ...

    # Close the issue as completed, adding `note` to its description (no comment: quiet).
    def close_issue(self, number: int, note: str) -> None: ...

    # Add and remove labels.
    def set_labels(self, number: int, add: tuple[str, ...], remove: tuple[str, ...]) -> None: ...


class JobQueue(Protocol):
    """Where submitted jobs go: a runner workflow, the org dispatcher, or a local file."""

    # The attempt id a job for (signal, fingerprint) gets; reads at most, never writes.
    def attempt_id(self, signal: str, fingerprint: str) -> str: ...

    # Queue a job for a signal and return its attempt id; idempotent per (signal, fingerprint).
    def submit(self, signal: str, runner: RunnerType, approach: str, fingerprint: str) -> str: ...


class DashboardCopy(BaseModel):
    """The dashboard issue as GitHub has it at the moment it was read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int
    body: str = ""


class DashboardStore(Protocol):
    """The dashboard issue (DESIGN §4): found by number or marker, re-read before a write."""

    # The dashboard as it is now (a fresh read, never a copy from earlier in the wake), or
    # None when there is none; `number` is where the last wake left it, when known.
    def read_dashboard(self, number: int | None) -> DashboardCopy | None: ...

    # Create the dashboard (number None) or replace its body; return its number.
    def write_dashboard(self, number: int | None, body: str) -> int: ...


class OrgLink(Protocol):
    """The way to Org Prime: a repository's Prime asks for help (DESIGN §2 delegation)."""

    # Send one `prime-flag` to the org repository; raise GitHubError when it cannot be sent.
    def flag(self, signal: str | None, reason: str) -> None: ...
