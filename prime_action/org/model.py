"""The values Org Prime reasons about: repositories as read, its own memory, what it concludes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from prime_action.domain.models import PrimeState, RunSheetItem, SignalResult, Spend
from prime_action.domain.values import Frozen

ORG_STATE_VERSION = 1


class RepoFacts(Frozen):
    """One repository as Org Prime read it: its Repo Prime's state, or signals seen remotely."""

    repo: str  # OWNER/NAME
    archived: bool = False
    fork: bool = False
    topics: tuple[str, ...] = ()
    # A Repo Prime runs there: its prime-state:state.json was read.
    managed: bool = False
    state: PrimeState | None = None
    signals: tuple[SignalResult, ...] = ()
    # Why the repository could not be read (404, access denied, ...); never fatal.
    error: str | None = None


class CommandComment(Frozen):
    """A comment on the org dashboard issue, as far as commands need it."""

    id: int
    author: str
    association: str
    body: str
    bot: bool = False


class PriorityEntry(Frozen):
    """A maintainer's priority set with `/prime priority`, kept in the org state."""

    weight: float
    note: str = ""
    by: str = ""
    comment: int | None = None


class Flag(Frozen):
    """A repository's Prime asked Org Prime for help (`prime-flag` repository_dispatch)."""

    repo: str
    signal: str | None = None
    reason: str
    at: datetime


# sending: recorded before the event goes out; sent: GitHub accepted it; failed: GitHub refused
# it (nothing sent); unknown: the run stopped or GitHub did not answer, so it may not have gone.
DelegationStatus = Literal["sending", "sent", "failed", "unknown"]


class Delegation(Frozen):
    """A signal Org Prime handed to a repository's Prime with `prime-delegate`."""

    repo: str
    signal: str
    reason: str
    fingerprint: str
    # "@login" for a `/prime delegate` command, "pattern" for the automatic rule.
    by: str
    comment: int | None = None
    status: DelegationStatus = "sending"
    at: datetime
    error: str = ""

    @property
    def key(self) -> str:
        return f"{self.repo}:{self.signal}"


class Onboarding(Frozen):
    """An onboarding PR `prime onboard` opened, and what became of it."""

    repo: str
    number: int
    url: str = ""
    # open: waiting for a person; merged: onboarded; declined: closed unmerged, never again.
    status: Literal["open", "merged", "declined"] = "open"
    at: datetime


class OrgState(Frozen):
    """Org Prime's working memory (org-state.json on the org repository's prime-state branch)."""

    schema_version: int = ORG_STATE_VERSION
    # "repo:OWNER/NAME" or "signal:NAME" -> the priority a maintainer set.
    priorities: dict[str, PriorityEntry] = Field(default_factory=dict)
    # Comment ids whose commands were applied (answered once, never twice).
    applied: tuple[int, ...] = ()
    flags: tuple[Flag, ...] = ()
    # "OWNER/NAME:signal" -> fingerprint last delegated with `prime-delegate`.
    delegated: dict[str, str] = Field(default_factory=dict)
    # The latest delegations with how their sending went (the dashboard lists them).
    delegations: tuple[Delegation, ...] = ()
    # Org Prime's own LLM spend (re-ranking), against the org config's brain.budget_usd_per_day.
    spend: Spend = Spend()
    # The deterministic top the model last ordered: unchanged, its order is reused, no call.
    rerank_key: str = ""
    # The onboarding PRs, one per repository: never a second one (a closed one is a "no").
    onboarding: tuple[Onboarding, ...] = ()
    # OWNER/NAME -> the `next_wake_at` it was last sent `prime-wake` for: one wake per due time.
    woken: dict[str, datetime] = Field(default_factory=dict)


class Pattern(Frozen):
    """The same signal failing in several repositories: one problem, reported once."""

    signal: str
    repos: tuple[str, ...]


class NeedsHuman(Frozen):
    """Work Org Prime will not schedule until a maintainer acts."""

    repo: str
    signal: str
    reason: str


class Excluded(Frozen):
    """A repository left out by the org config's filters, and which filter did it."""

    repo: str
    reason: str


class Reply(Frozen):
    """One answer to a dashboard command; the marker keeps it from being posted twice."""

    comment: int
    marker: str
    body: str


class Ranked(Frozen):
    """The run sheet with what ranking left out."""

    items: tuple[RunSheetItem, ...]
    needs_human: tuple[NeedsHuman, ...] = ()
