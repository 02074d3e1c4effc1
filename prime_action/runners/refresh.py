"""Refresh a conflicted fileops PR: its fix re-applied on the moved base, as a merge commit.

The branch moves forward only (a commit whose parents are its head and the base's head, the
way GitHub's "Update branch" merges), so a person's push in between makes the move fail
instead of being overwritten; a branch that already has a person's commit is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol

from prime_action.domain.errors import UsageError
from prime_action.domain.values import Frozen
from prime_action.fileops.fixes import plan_fix
from prime_action.runners import guardrails as rules
from prime_action.runners.fileops import RepoListing


class RefreshHost(Protocol):
    """What a refresh reads and writes in the repository."""

    # The default branch's name and head commit.
    def default_branch(self) -> tuple[str, str]: ...

    # A branch's head commit, or None when it does not exist.
    def branch_head(self, branch: str) -> str | None: ...

    # The commit messages and changed paths of `head` past `base`.
    def compare(self, base: str, head: str) -> tuple[tuple[str, ...], tuple[str, ...]]: ...

    # The text of each path at a commit (None: absent).
    def files_at(self, sha: str, paths: tuple[str, ...]) -> dict[str, str | None]: ...

    # Commit `files` over `base`'s tree with parents (head, base); fast-forward `branch`.
    def merge_commit(
        self, branch: str, head: str, base: str, files: Mapping[str, str], message: str
    ) -> str: ...


class Refreshed(Frozen):
    """What a refresh did: rebuilt the branch, found the base has it all, or left the PR."""

    # left: gone, or a person's commit; foreign: more than a templated fix (an agent's change).
    outcome: Literal["refreshed", "obsolete", "left", "foreign"]
    note: str
    # The refreshed change's content hash (for the PR body's marker).
    content: str = ""


def fix_files(
    signals: tuple[str, ...], listing: RepoListing, year: int
) -> tuple[dict[str, str], frozenset[str]] | None:
    """The files the signals' fileops fixes create on this listing, and every path they
    cover (created, or already there); None when a signal has no fileops fix."""
    files: dict[str, str] = {}
    covered: set[str] = set()
    for signal in signals:
        try:
            plan = plan_fix(
                signal,
                listing.paths,
                owner=listing.owner,
                license_id=listing.license_id,
                year=year,
                files=listing.files,
            )
        except UsageError:
            return None
        files.update(plan.create)
        covered.update((*plan.create, *plan.present))
    return files, frozenset(covered)


def refresh(
    host: RefreshHost, branch: str, files: Mapping[str, str], fixed: frozenset[str]
) -> Refreshed:
    """Rebuild `branch` on the default branch's head with `files`.

    Args:
        host: the target repository.
        branch: the PR's head branch.
        files: the fix re-rendered on the base's head (path -> content).
        fixed: every path the fix covers: a branch changing others is not a templated fix.

    Returns:
        refreshed, obsolete (the base already has every file), or left or foreign with why.
    """
    base, base_sha = host.default_branch()
    head = host.branch_head(branch)
    if head is None:
        return Refreshed(outcome="left", note=f"{branch} is gone")
    messages, changed = host.compare(base_sha, head)
    if rules.human_commits(messages):
        return Refreshed(outcome="left", note=f"{branch} has a commit Prime did not write")
    if not set(changed) <= fixed:
        return Refreshed(outcome="foreign", note=f"{branch} changes more than a templated fix")
    before = host.files_at(base_sha, tuple(sorted(files)))
    if all(before.get(p) == text for p, text in files.items()):
        return Refreshed(outcome="obsolete", note=f"{base} already has the fix")
    message = f"{rules.PRIME_COMMIT_PREFIX}refresh {branch} on {base}"
    host.merge_commit(branch, head, base_sha, files, message)
    return Refreshed(
        outcome="refreshed", note=f"re-applied on {base}", content=rules.content_hash(files)
    )
