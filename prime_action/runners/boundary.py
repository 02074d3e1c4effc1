"""The PR boundary (DESIGN §6): every change a runner makes reaches a repository through here.

One branch per (repo, signal), `prime/<signal>`; no diff means no PR; the change is checked
against the repository's guardrails before anything is written; identical content already
open in a PR is reused, not proposed again; an open PR touching the same files means skip; a
branch with commits Prime did not write is left to its human; rate and concurrency limits per
repository and per organisation (security fixes pass the concurrency limits); nothing is
written under `.github/workflows/` unless configured; one open PR per branch, updated in place.
The rules are pure (`guardrails`); this module reads through the host and applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from prime_action.domain.markers import PREFIX
from prime_action.domain.values import Frozen
from prime_action.runners import guardrails as rules
from prime_action.runners.guardrails import Activity, Guardrails, Limits, PullInfo

BRANCH_PREFIX = "prime/"
COMMIT_PREFIX = rules.PRIME_COMMIT_PREFIX


class Pull(Frozen):
    """An open pull request as the boundary sees it."""

    number: int
    url: str
    title: str
    body: str


class PullRequestHost(Protocol):
    """One repository's branches, files and pull requests."""

    # The default branch's name and head commit.
    def default_branch(self) -> tuple[str, str]: ...

    # A branch's head commit, or None when it does not exist.
    def branch_head(self, branch: str) -> str | None: ...

    # The text of each path at a commit (None: absent).
    def files_at(self, sha: str, paths: tuple[str, ...]) -> dict[str, str | None]: ...

    # Commit files on `parent` and point `branch` at it (create it, or fast-forward it).
    def commit(
        self, branch: str, parent: str, files: Mapping[str, str], message: str, *, create: bool
    ) -> str: ...

    # The most recently created pull requests (open and closed), newest first.
    def pulls(self) -> tuple[PullInfo, ...]: ...

    # The commit messages and changed paths of `head` past `base`.
    def compare(self, base: str, head: str) -> tuple[tuple[str, ...], tuple[str, ...]]: ...

    # Open a pull request and label it; None when GitHub says there are no commits between.
    def open_pull(
        self, branch: str, base: str, title: str, body: str, labels: tuple[str, ...]
    ) -> Pull | None: ...

    # Change a pull request's title and body.
    def update_pull(self, number: int, title: str, body: str) -> Pull: ...


class PrPolicy(Frozen):
    """The repository's rules for Prime's PRs, and Prime's PR activity across the org."""

    rails: Guardrails = Guardrails()
    limits: Limits = Limits()
    org: Activity = Activity()


DEFAULT_POLICY = PrPolicy()


class Proposal(Frozen):
    """What the boundary did: the PR (None: nothing to propose, or skipped), and why."""

    pull: Pull | None = None
    committed: bool = False
    skipped: bool = False  # a rule said "not now" (conflict, limits): nothing was written
    note: str = ""


class BoundaryError(Exception):
    """A change the boundary refuses: it is not pushed, and the attempt ends with the reason."""


class PathRefused(BoundaryError):
    """A change outside the repository's contract: the same input would be refused again."""


class WorkflowRefused(PathRefused):
    """A change under .github/workflows/ without permission; a human must make it by hand."""

    def __init__(self, files: Mapping[str, str]) -> None:
        """Keep the refused files so that the runner can explain the change in an issue."""
        self.files = dict(files)
        paths = ", ".join(sorted(files))
        super().__init__(
            f"refused to write {paths}: workflow files need explicit permission "
            "(guardrails.allow_workflows: true, and a token with the workflows permission)"
        )


def branch_name(signal: str) -> str:
    """The one branch of a signal's fixes: `prime/<signal>`."""
    return f"{BRANCH_PREFIX}{signal}"


def propose(
    host: PullRequestHost,
    signal: str,
    files: Mapping[str, str],
    *,
    title: str,
    body: str,
    now: datetime,
    policy: PrPolicy = DEFAULT_POLICY,
    labels: tuple[str, ...] = ("automated",),
    branch: str | None = None,
) -> Proposal:
    """Put `files` on `prime/<signal>` and open or update its one pull request.

    Args:
        host: the target repository.
        signal: the signal the change fixes.
        files: path -> full new content.
        title: the PR title.
        body: the PR body (starts with a Prime marker; carries `Fixes #n`).
        now: the current moment (for the hourly limits).
        policy: guardrails, limits and the organisation's PR activity.
        labels: labels of a new PR.
        branch: another branch than `prime/<signal>` (a group's, shared by several signals).

    Returns:
        The proposal; `pull` is None when nothing differs or a rule skipped it.

    Raises:
        BoundaryError: a change the boundary refuses (guardrails, workflow files, a human's
            commits on the branch, GitHub refusing to let Actions open PRs).
    """
    if not body.lstrip().startswith(PREFIX):
        msg = "a Prime PR body starts with its hidden marker (<!-- prime:...)"
        raise BoundaryError(msg)
    files = {rules.normalise(p): text for p, text in files.items()}
    paths = tuple(sorted(files))
    blocked = {p: t for p, t in files.items() if rules.is_workflow(p)}
    if blocked and not policy.rails.allow_workflows:
        raise WorkflowRefused(blocked)
    base, base_sha = host.default_branch()
    before = host.files_at(base_sha, paths)
    if not paths or _same(before, files):
        return Proposal(note=f"no diff against {base}: nothing to propose")
    reason = rules.check_guardrails(files, before, policy.rails)
    if reason:
        raise PathRefused(f"not pushed: {reason}")
    digest = rules.content_hash(files)
    body = f"{body.rstrip()}\n{rules.content_marker(digest)}\n"
    pulls = host.pulls()
    same = rules.same_change(pulls, digest)
    if same is not None:
        pull = Pull(number=same.number, url=same.url, title=title, body=same.body)
        return Proposal(pull=pull, note=f"the same change is already open in #{same.number}")
    refused = rules.refused_change(pulls, digest)
    if refused is not None:
        # The repository's Prime learns the "no" from the PR's closed event; until that
        # reaches its memory, the boundary keeps the same change from being asked again.
        note = f"#{refused.number} with this same change was closed unmerged"
        return Proposal(skipped=True, note=note)
    return _push(
        host,
        signal=signal,
        files=files,
        pulls=pulls,
        base=(base, base_sha),
        title=title,
        body=body,
        now=now,
        policy=policy,
        labels=labels,
        branch=branch or branch_name(signal),
    )


def _push(
    host: PullRequestHost,
    *,
    signal: str,
    files: dict[str, str],
    pulls: tuple[PullInfo, ...],
    base: tuple[str, str],
    title: str,
    body: str,
    now: datetime,
    policy: PrPolicy,
    labels: tuple[str, ...],
    branch: str,
) -> Proposal:
    exists, head = _live_head(host, base[1], branch)
    skip = _skip_reason(
        host,
        files=files,
        pulls=pulls,
        base=base[1],
        branch=branch,
        signal=signal,
        now=now,
        policy=policy,
    )
    if skip:
        return Proposal(skipped=True, note=skip)
    committed = False
    if head is None or not _same(host.files_at(head, tuple(sorted(files))), files):
        message = f"{COMMIT_PREFIX}fix {signal}"
        host.commit(branch, head or base[1], files, message, create=not exists)
        committed = True
    own = _own_open(pulls, branch)
    if own is None:
        pull = host.open_pull(branch, base[0], title, body, labels)
        if pull is None:
            return Proposal(note=f"no commits between {base[0]} and {branch}: nothing to propose")
        return Proposal(pull=pull, committed=committed)
    if (own.title, own.body) != (title, body):
        return Proposal(pull=host.update_pull(own.number, title, body), committed=committed)
    return Proposal(pull=Pull(number=own.number, url=own.url, title=title, body=body),
                    committed=committed)  # fmt: skip


def _live_head(host: PullRequestHost, base: str, branch: str) -> tuple[bool, str | None]:
    """Whether the branch exists, and its head to build on: None when there is no branch or
    all of it is on the base.

    A branch whose commits are all on the base (its PR merged) is built afresh on the base:
    that commit fast-forwards the branch, so a drift that came back after the merge gets a
    new PR. A branch with a human's commits is never built on (BoundaryError).
    """
    head = host.branch_head(branch)
    if head is None:
        return False, None
    messages, _ = host.compare(base, head)
    _refuse_human_commits(messages, branch)
    return True, head if messages else None


def _refuse_human_commits(messages: tuple[str, ...], branch: str) -> None:
    humans = rules.human_commits(messages)
    if humans:
        msg = (
            f"{branch} has {humans} commit(s) that Prime did not write; Prime never pushes over "
            f"a human's work: merge or close its PR, or delete {branch}, and the next attempt "
            "starts afresh"
        )
        raise BoundaryError(msg)


def _skip_reason(
    host: PullRequestHost,
    *,
    files: dict[str, str],
    pulls: tuple[PullInfo, ...],
    base: str,
    branch: str,
    signal: str,
    now: datetime,
    policy: PrPolicy,
) -> str | None:
    others = [p for p in pulls if p.state == "open" and p.head != branch]
    touched = {p.number: host.compare(base, p.head_sha)[1] for p in others}
    reason = rules.conflict(tuple(files), touched)
    if reason or _own_open(pulls, branch) is not None:
        return reason  # updating the PR Prime already has adds none: no limit applies
    return rules.check_limits(
        pulls, policy.org, policy.limits, signal=signal, now=now, prefix=BRANCH_PREFIX
    )


def _own_open(pulls: tuple[PullInfo, ...], branch: str) -> PullInfo | None:
    return next((p for p in pulls if p.state == "open" and p.head == branch), None)


def _same(current: Mapping[str, str | None], wanted: Mapping[str, str]) -> bool:
    return all(current.get(path) == text for path, text in wanted.items())
