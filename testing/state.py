"""The fake GitHub's state: repositories, issues, comments, labels, CI and Actions runs."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from testing.gitstore import GitStore

if TYPE_CHECKING:
    from testing.ci import ActionsJob

START = datetime(2026, 1, 1, tzinfo=UTC)


class Clock:
    """Deterministic time: starts at a fixed instant and moves one second per reading."""

    def __init__(self, start: datetime = START) -> None:
        """Start the clock.

        Args:
            start: The first instant the clock reads.
        """
        self._next = start

    def __call__(self) -> datetime:
        """Return the current instant and advance by one second."""
        now, self._next = self._next, self._next + timedelta(seconds=1)
        return now

    def set(self, instant: datetime) -> None:
        """Jump to an instant (later readings count on from there)."""
        self._next = instant


def iso(instant: datetime) -> str:
    """Format an instant the way the REST API does (`2026-01-01T00:00:00Z`)."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class User:
    """A GitHub account: a user, a bot or an organisation."""

    login: str
    id: int
    type: str = "User"  # User | Bot | Organization


@dataclass
class Label:
    """A repository label."""

    id: int
    name: str
    color: str = "ededed"
    description: str | None = None


@dataclass
class Comment:
    """An issue or pull-request comment."""

    id: int
    number: int
    body: str
    user: User
    author_association: str
    created_at: str
    updated_at: str


@dataclass
class PullFields:
    """What a pull request has beyond its issue."""

    head: str
    base: str
    head_sha: str
    base_sha: str
    merged: bool = False
    draft: bool = False
    maintainer_can_modify: bool = False
    requested_reviewers: list[str] = field(default_factory=list)  # logins asked to review
    # GitHub's mergeability job: the (base, head) commits it last ran for, and its answer.
    checked: tuple[str, str] | None = None
    mergeable: bool | None = None
    mergeable_state: str = "unknown"
    # (login, APPROVED | CHANGES_REQUESTED | COMMENTED, review id), oldest first.
    reviews: list[tuple[str, str, int]] = field(default_factory=list)
    # GitHub's native auto-merge: who enabled it (None: off); it merges once checks pass.
    auto_merge: str | None = None
    # Review id -> what a review posted through the API said (body, commit, inline comments).
    review_texts: dict[int, ReviewText] = field(default_factory=dict)


@dataclass
class ReviewText:
    """A posted review's words: its body, the commit it reviewed, its inline comments."""

    body: str
    commit_id: str
    comments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Edit:
    """One saved version of an issue's body and who saved it (GraphQL's UserContentEdit)."""

    editor: User
    body: str
    at: str


@dataclass
class Issue:
    """An issue, or a pull request's issue half (same number sequence, like GitHub)."""

    id: int
    number: int
    title: str
    body: str | None
    user: User
    author_association: str
    created_at: str
    updated_at: str
    state: str = "open"
    state_reason: str | None = None
    closed_at: str | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    locked: bool = False
    pull: PullFields | None = None
    closed_by: User | None = None  # who closed it (the merger, for a closing keyword)
    # The body's versions once it was edited, oldest first (the first is the created one).
    edits: list[Edit] = field(default_factory=list)


@dataclass
class Annotation:
    """A check-run annotation (what a problem matcher or a `::error` line leaves)."""

    path: str
    line: int
    message: str
    level: str = "failure"  # notice | warning | failure
    title: str = ""


@dataclass
class CheckRun:
    """A check run on a commit."""

    id: int
    name: str
    head_sha: str
    status: str  # queued | in_progress | completed
    conclusion: str | None  # success | failure | ... when completed
    started_at: str
    completed_at: str | None
    annotations: list[Annotation] = field(default_factory=list)


@dataclass
class CommitStatus:
    """A commit status (the older statuses API)."""

    id: int
    context: str
    state: str  # error | failure | pending | success
    description: str | None
    created_at: str


@dataclass
class WorkflowRun:
    """A GitHub Actions run."""

    id: int
    workflow_id: int
    path: str
    name: str
    event: str
    head_branch: str | None
    head_sha: str
    run_number: int
    created_at: str
    updated_at: str
    actor: User
    status: str = "queued"
    conclusion: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    # The workflow's `run-name` with its inputs filled in ("" when it has none).
    title: str = ""
    run_attempt: int = 1  # 2 and more after a re-run


@dataclass(frozen=True)
class Dispatch:
    """A recorded workflow_dispatch."""

    repo: str
    workflow: str  # the id or file name the caller used
    path: str  # the workflow file it resolved to
    ref: str
    inputs: dict[str, Any]
    run_id: int


@dataclass(frozen=True)
class RepositoryDispatch:
    """A recorded repository_dispatch."""

    repo: str
    event_type: str
    client_payload: dict[str, Any]


@dataclass
class Repo:
    """One repository with everything the fake keeps about it."""

    id: int
    owner: User
    name: str
    default_branch: str
    created_at: str
    private: bool = False
    archived: bool = False
    fork: bool = False
    topics: list[str] = field(default_factory=list)
    description: str | None = None
    git: GitStore = field(default_factory=GitStore)
    issues: dict[int, Issue] = field(default_factory=dict)
    comments: dict[int, Comment] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)  # by lower-cased name
    check_runs: dict[str, list[CheckRun]] = field(default_factory=dict)  # by commit sha
    statuses: dict[str, list[CommitStatus]] = field(default_factory=dict)  # by commit sha
    runs: dict[int, WorkflowRun] = field(default_factory=dict)
    # Actions jobs by id (a job's id is its check run's id): testing/ci.py scripts them.
    jobs: dict[int, ActionsJob] = field(default_factory=dict)
    actions_may_open_pulls: bool = True  # "Allow GitHub Actions to create ... pull requests"
    # Protected branches: merging into one needs an approving review, else 405 (GitHub's
    # "required pull request reviews" rule).
    protected: set[str] = field(default_factory=set)
    # "Allow auto-merge" in the repository's settings (`allow_auto_merge` in its payload).
    allow_auto_merge: bool = False
    # Branch protection's required status checks: branch -> check names (its `contexts`).
    required_checks: dict[str, list[str]] = field(default_factory=dict)
    # login (lower case) -> admin | maintain | write | triage | read; the owner is admin.
    permissions: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        """`owner/name`."""
        return f"{self.owner.login}/{self.name}"

    def next_number(self) -> int:
        """The number the next issue or pull request gets."""
        return max(self.issues, default=0) + 1

    def label(self, name: str) -> Label | None:
        """Find a label by name, case-insensitively like GitHub."""
        return self.labels.get(name.lower())

    def head(self, branch: str | None = None) -> str | None:
        """The commit a branch (default: the default branch) points at."""
        return self.git.refs.get(f"refs/heads/{branch or self.default_branch}")


class Ids:
    """Unique numeric ids, shared by every kind of object like GitHub's database ids."""

    def __init__(self, start: int = 1000) -> None:
        """Start counting.

        Args:
            start: The first id handed out.
        """
        self._counter: Iterator[int] = itertools.count(start)

    def __call__(self) -> int:
        """Return the next id."""
        return next(self._counter)


Now = Callable[[], datetime]
