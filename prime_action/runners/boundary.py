"""The PR boundary (DESIGN §6): every change a runner makes reaches a repository through here.

One branch per (repo, signal), `prime/<signal>`; no diff means no PR; a commit always builds
on the branch's head and the ref moves without force, so a human's commits on the branch are
never overwritten; identical content is never committed twice; nothing is written under
`.github/workflows/` unless the caller is permitted to; one open PR per branch, updated in
place, labelled `automated`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from prime_action.domain.markers import PREFIX
from prime_action.domain.models import Frozen

BRANCH_PREFIX = "prime/"
WORKFLOWS_DIR = ".github/workflows/"


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

    # The open pull request whose head is `branch`, if any.
    def find_pull(self, branch: str) -> Pull | None: ...

    # Open a pull request and label it.
    def open_pull(
        self, branch: str, base: str, title: str, body: str, labels: tuple[str, ...]
    ) -> Pull: ...

    # Change a pull request's title and body.
    def update_pull(self, number: int, title: str, body: str) -> Pull: ...


class Proposal(Frozen):
    """What the boundary did: the PR (None: no diff), and whether a commit was made."""

    pull: Pull | None = None
    committed: bool = False
    note: str = ""


class BoundaryError(Exception):
    """A change the boundary refuses (e.g. a workflow file without permission)."""


def branch_name(signal: str) -> str:
    """The one branch of a signal's fixes: `prime/<signal>`."""
    return f"{BRANCH_PREFIX}{signal}"


def check_paths(paths: tuple[str, ...], *, allow_workflows: bool) -> None:
    """Refuse writes under .github/workflows/ unless configured and permitted."""
    blocked = [p for p in paths if p.lstrip("/").lower().startswith(WORKFLOWS_DIR)]
    if blocked and not allow_workflows:
        msg = f"refused to write {', '.join(blocked)}: workflow files need explicit permission"
        raise BoundaryError(msg)


def propose(
    host: PullRequestHost,
    signal: str,
    files: Mapping[str, str],
    *,
    title: str,
    body: str,
    labels: tuple[str, ...] = ("automated",),
    allow_workflows: bool = False,
) -> Proposal:
    """Put `files` on `prime/<signal>` and open or update its one pull request.

    Args:
        host: the target repository.
        signal: the signal the change fixes.
        files: path -> full new content.
        title: the PR title.
        body: the PR body (carries `Fixes #n` and a Prime marker).
        labels: labels of a new PR.
        allow_workflows: whether paths under .github/workflows/ may be written.

    Returns:
        The proposal; `pull` is None when nothing differs from the default branch.

    Raises:
        BoundaryError: a path the boundary may not write.
    """
    paths = tuple(sorted(files))
    check_paths(paths, allow_workflows=allow_workflows)
    if not body.lstrip().startswith(PREFIX):
        msg = "a Prime PR body starts with its hidden marker (<!-- prime:...)"
        raise BoundaryError(msg)
    base, base_sha = host.default_branch()
    if not paths or _same(host.files_at(base_sha, paths), files):
        return Proposal(note=f"no diff against {base}: nothing to propose")
    branch = branch_name(signal)
    head = host.branch_head(branch)
    committed = False
    if head is None or not _same(host.files_at(head, paths), files):
        message = f"prime: fix {signal}"
        host.commit(branch, head or base_sha, files, message, create=head is None)
        committed = True
    pull = host.find_pull(branch)
    if pull is None:
        pull = host.open_pull(branch, base, title, body, labels)
    elif (pull.title, pull.body) != (title, body):
        pull = host.update_pull(pull.number, title, body)
    return Proposal(pull=pull, committed=committed)


def _same(current: Mapping[str, str | None], wanted: Mapping[str, str]) -> bool:
    return all(current.get(path) == text for path, text in wanted.items())
