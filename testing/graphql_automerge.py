"""GitHub's native auto-merge in the fake: `enablePullRequestAutoMerge`, and the merge it makes
once the head's checks pass.

As on GitHub ("Automatically merging a pull request"): the repository must allow auto-merge;
a pull request that could be merged right now ("clean": no conflict, every check finished
green) is refused, so the caller merges it instead; an enabled pull request is merged by the
account that enabled it as soon as its head's checks all pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from testing.graphql_nodes import GraphQLFault
from testing.merging import merge_pull
from testing.payloads import node_id
from testing.state import Issue, PullFields, Repo

if TYPE_CHECKING:
    from testing.core import GitHubState

GREEN = frozenset({"success", "neutral", "skipped"})


def enable(fake: GitHubState, values: dict[str, Any]) -> dict[str, Any]:
    """Answer `enablePullRequestAutoMerge(input: {pullRequestId, ...})`."""
    repo, issue, pull = _find(fake, str(values["pullRequestId"]))
    if repo.archived:
        raise GraphQLFault("FORBIDDEN", "Repository was archived so is read-only.")
    if not repo.allow_auto_merge:
        raise GraphQLFault(
            "UNPROCESSABLE", "Pull request Auto merge is not allowed for this repository"
        )
    if issue.state != "open":
        raise GraphQLFault("UNPROCESSABLE", "Pull request Pull request is closed")
    if _clean(repo, pull):
        raise GraphQLFault("UNPROCESSABLE", "Pull request Pull request is in clean status")
    pull.auto_merge = fake.actor.login
    return {"clientMutationId": values.get("clientMutationId"), "actor": None, "pullRequest": None}


def disable(fake: GitHubState, values: dict[str, Any]) -> dict[str, Any]:
    """Answer `disablePullRequestAutoMerge(input: {pullRequestId})`."""
    _, _, pull = _find(fake, str(values["pullRequestId"]))
    pull.auto_merge = None
    return {"clientMutationId": values.get("clientMutationId"), "actor": None, "pullRequest": None}


def checks_passed(repo: Repo, sha: str) -> bool:
    """Every check run and status of the commit finished green (True when it has none)."""
    runs = repo.check_runs.get(sha, [])
    statuses = repo.statuses.get(sha, [])
    return all(r.status == "completed" and r.conclusion in GREEN for r in runs) and all(
        s.state == "success" for s in statuses
    )


def _find(fake: GitHubState, wanted: str) -> tuple[Repo, Issue, PullFields]:
    """The pull request with this node id (NOT_FOUND as GitHub answers)."""
    for repo in fake.repos.values():
        for issue in repo.issues.values():
            if issue.pull is not None and node_id("PullRequest", issue.id) == wanted:
                return repo, issue, issue.pull
    msg = f"Could not resolve to a node with the global id of '{wanted}'"
    raise GraphQLFault("NOT_FOUND", msg)


def _clean(repo: Repo, pull: PullFields) -> bool:
    head = repo.head(pull.head) or pull.head_sha
    base = repo.head(pull.base) or pull.base_sha
    protected = pull.base in repo.protected and not any(r[1] == "APPROVED" for r in pull.reviews)
    return not protected and not repo.git.clashes(base, head) and checks_passed(repo, head)


def merge_ready(fake: GitHubState, repo: Repo) -> list[int]:
    """Merge the open pull requests with auto-merge on whose checks now pass; their numbers."""
    merged = []
    for issue in list(repo.issues.values()):
        pull = issue.pull
        if pull is None or issue.state != "open" or pull.auto_merge is None:
            continue
        if _clean(repo, pull):
            pull.head_sha = repo.head(pull.head) or pull.head_sha
            merge_pull(fake, repo, issue, fake.account(pull.auto_merge), issue.title)
            merged.append(issue.number)
    return merged
