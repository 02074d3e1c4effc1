"""Merging a pull request in the fake, as GitHub does it: a merge commit on the base, and the
issues its body names with a closing keyword closed as `completed` when the base is the
default branch (GitHub's "Linking a pull request to an issue": close, closes, closed, fix,
fixes, fixed, resolve, resolves, resolved, any case, an optional colon, `#N` or `OWNER/REPO#N`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from testing.gitstore import Commit, Signature
from testing.router import ApiError
from testing.state import Issue, PullFields, Repo, User

if TYPE_CHECKING:
    from testing.core import GitHubState

_KEYWORD = re.compile(
    r"(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+(?:([\w.-]+/[\w.-]+))?#(\d+)\b"
)


def linked_issues(repo: Repo, body: str | None) -> list[int]:
    """The issues of `repo` that a pull request's body closes with a keyword."""
    found = []
    for where, number in _KEYWORD.findall(body or ""):
        if where and where.lower() != repo.full_name.lower():
            continue  # another repository's issue: closed there, not modelled here
        found.append(int(number))
    return list(dict.fromkeys(found))


def merge_base(repo: Repo, base: str, head: str) -> str:
    """The newest commit of `head`'s history that `base` also holds (404 when none)."""
    common = repo.git.merge_base(base, head)
    if common is None:
        raise ApiError(404)
    return common


def merge_pull(state: GitHubState, repo: Repo, found: Issue, who: User, title: str = "") -> str:
    """Merge an open pull request (405 when it conflicts); close what its body links.

    Returns:
        The merge commit's sha.
    """
    pull = found.pull
    if pull is None or found.state != "open":
        raise ApiError(405, "Pull Request is not mergeable")
    base = repo.head(pull.base) or pull.base_sha
    since = merge_base(repo, base, pull.head_sha)
    if repo.git.clashes(base, pull.head_sha):
        raise ApiError(405, "Pull Request is not mergeable")
    ours, theirs, start = (repo.git.files_at(s) for s in (base, pull.head_sha, since))
    changed = {p for p in start.keys() | theirs.keys() if start.get(p) != theirs.get(p)}
    tree = {p: e for p, e in ours.items() if p not in changed}
    tree |= {p: theirs[p] for p in changed if p in theirs}
    message = title or f"Merge pull request #{found.number}"
    sign = Signature(who.login, f"{who.id}+{who.login}@users.noreply", state.timestamp())
    sha = repo.git.put_commit(
        Commit(repo.git.build(tree), (base, pull.head_sha), message, sign, sign)
    )
    repo.git.refs[f"refs/heads/{pull.base}"] = sha
    _close_merged(state, repo, found, pull, who)
    return sha


def _close_merged(
    state: GitHubState, repo: Repo, found: Issue, pull: PullFields, who: User
) -> None:
    at = state.timestamp()
    pull.merged = True
    found.state, found.closed_at, found.updated_at, found.closed_by = "closed", at, at, who
    if pull.base != repo.default_branch:
        return  # keywords act only on pull requests into the default branch
    for number in linked_issues(repo, found.body):
        issue = repo.issues.get(number)
        if issue is None or issue.pull is not None or issue.state == "closed":
            continue
        issue.state, issue.state_reason, issue.closed_by = "closed", "completed", who
        issue.closed_at = issue.updated_at = at
