"""The GitHub event that started a job, as a value (`events/payload.py` parses payloads into it)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from prime_action.domain.values import Frozen

SOURCE = "GITHUB_EVENT_PATH"


class Issue(Frozen):
    """The issue an `issues` or `issue_comment` event is about."""

    number: int
    title: str
    body: str = ""
    labels: tuple[str, ...] = ()
    state: str
    is_pull_request: bool = False
    author: str


class Comment(Frozen):
    """The comment an `issue_comment` event carries."""

    id: int
    body: str
    author: str


class PullHead(Frozen):
    """A pull request a check suite or workflow run belongs to, by its head."""

    number: int
    head_ref: str
    # OWNER/NAME of the head branch's repository (GitHub lists a fork's pull requests rarely).
    head_repo: str | None = None


class WorkflowRun(Frozen):
    """The run a `workflow_run` event reports on."""

    id: int
    name: str
    conclusion: str | None = None
    head_branch: str | None = None
    # What started the run: `push`, `schedule`, `pull_request`, ...
    event: str
    head_repo: str | None = None
    pulls: tuple[PullHead, ...] = ()


class CheckSuite(Frozen):
    """The check suite a `check_suite` event reports on (an App's checks of one commit)."""

    id: int
    head_branch: str | None = None
    head_sha: str
    conclusion: str | None = None
    pulls: tuple[PullHead, ...] = ()


class PullRequest(Frozen):
    """The pull request a `pull_request` event is about."""

    number: int
    merged: bool
    head_ref: str
    # Full name of the repository the head branch lives in; None once a fork is deleted.
    head_repo: str | None = None
    author: str
    labels: tuple[str, ...] = ()
    # The signals the PR's body names (Prime's grouped fileops PR carries several).
    signals: tuple[str, ...] = ()


class Event(Frozen):
    """One GitHub event, as much of it as the gate and the wake need, and nothing untyped.

    `author_association` belongs to whoever wrote the text the event carries: the comment's
    author for `issue_comment`, the issue's for `issues`, the pull request's for
    `pull_request`. GitHub never says how the sender of `issues: edited` relates to the
    repository; `editor_association` is for the shell to fill in when it looks that up.
    """

    name: str
    action: str | None = None
    # The sender; empty for `schedule`, which has none.
    actor: str = ""
    actor_type: str = ""
    author_association: str | None = None
    editor_association: str | None = None
    # `issues: edited` of a body: the body before the edit (None when the body did not change).
    body_before: str | None = None
    repository: str = ""
    default_branch: str = ""
    issue: Issue | None = None
    comment: Comment | None = None
    workflow_run: WorkflowRun | None = None
    check_suite: CheckSuite | None = None
    pull_request: PullRequest | None = None
    ref: str | None = None
    client_payload: dict[str, Any] = Field(default_factory=dict)

    @property
    def is_bot(self) -> bool:
        """Whether the sender is a bot (an App, or a login GitHub marks with `[bot]`)."""
        return self.actor_type == "Bot" or self.actor.endswith("[bot]")
