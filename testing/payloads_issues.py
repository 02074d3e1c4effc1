"""JSON bodies for issues, pull requests, comments and labels, shaped like GitHub's answers."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from testing.payloads import Body, Urls, node_id, repository, user
from testing.state import Comment, Issue, Label, PullFields, Repo, User

_EMPTY_REACTIONS = dict.fromkeys(
    ("total_count", "+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"), 0
)


def label(urls: Urls, repo: Repo, found: Label) -> Body:
    """A label."""
    return {
        "id": found.id,
        "node_id": node_id("Label", found.id),
        "url": urls.repo(repo, f"/labels/{quote(found.name)}"),
        "name": found.name,
        "color": found.color,
        "description": found.description,
        "default": False,
    }


def labels_of(urls: Urls, repo: Repo, names: list[str]) -> list[Body]:
    """The label objects of an issue, in the order they were added."""
    return [label(urls, repo, found) for name in names if (found := repo.label(name))]


def issue(urls: Urls, repo: Repo, found: Issue) -> Body:
    """An issue; a pull request's issue carries the `pull_request` key, as on GitHub."""
    base = urls.repo(repo, f"/issues/{found.number}")
    kind = "pull" if found.pull else "issues"
    body: Body = {
        "id": found.id,
        "node_id": node_id("PullRequest" if found.pull else "Issue", found.id),
        "url": base,
        "repository_url": urls.repo(repo),
        "labels_url": f"{base}/labels{{/name}}",
        "comments_url": f"{base}/comments",
        "events_url": f"{base}/events",
        "timeline_url": f"{base}/timeline",
        "html_url": urls.web(f"/{repo.full_name}/{kind}/{found.number}"),
        "number": found.number,
        "state": found.state,
        "state_reason": found.state_reason,
        "title": found.title,
        "body": found.body,
        "user": user(urls, found.user),
        "labels": labels_of(urls, repo, found.labels),
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "locked": found.locked,
        "active_lock_reason": None,
        "comments": sum(1 for c in repo.comments.values() if c.number == found.number),
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "closed_at": found.closed_at,
        "closed_by": user(urls, found.closed_by) if found.closed_by else None,
        "author_association": found.author_association,
        "reactions": {**_EMPTY_REACTIONS, "url": f"{base}/reactions"},
    }
    if found.pull:
        pr_url = urls.repo(repo, f"/pulls/{found.number}")
        html = body["html_url"]
        body["pull_request"] = {
            "url": pr_url,
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": found.closed_at if found.pull.merged else None,
        }
        body["draft"] = found.pull.draft
    return body


def _kind(repo: Repo, number: int) -> str:
    """`pull` for a pull request's comments, `issues` for an issue's, as in GitHub's web links."""
    issue = repo.issues.get(number)
    return "pull" if issue is not None and issue.pull is not None else "issues"


def comment(urls: Urls, repo: Repo, found: Comment) -> Body:
    """An issue-comment."""
    anchor = f"{found.number}#issuecomment-{found.id}"
    return {
        "id": found.id,
        "node_id": node_id("IssueComment", found.id),
        "url": urls.repo(repo, f"/issues/comments/{found.id}"),
        "html_url": urls.web(f"/{repo.full_name}/{_kind(repo, found.number)}/{anchor}"),
        "issue_url": urls.repo(repo, f"/issues/{found.number}"),
        "body": found.body,
        "user": user(urls, found.user),
        "author_association": found.author_association,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "reactions": {
            **_EMPTY_REACTIONS,
            "url": urls.repo(repo, f"/issues/comments/{found.id}/reactions"),
        },
    }


def _side(urls: Urls, repo: Repo, ref: str, sha: str, pushed_at: str) -> Body:
    return {
        "label": f"{repo.owner.login}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(urls, repo.owner),
        "repo": repository(urls, repo, pushed_at),
    }


def pull_request(urls: Urls, repo: Repo, found: Issue, pushed_at: str) -> Body:
    """A pull-request (GET/POST/PATCH of /pulls); `pull_request_simple` trims it for lists."""
    pull = found.pull
    if pull is None:
        msg = f"issue #{found.number} of {repo.full_name} is not a pull request"
        raise ValueError(msg)
    api = urls.repo(repo, f"/pulls/{found.number}")
    html = urls.web(f"/{repo.full_name}/pull/{found.number}")
    issue_api = urls.repo(repo, f"/issues/{found.number}")
    links = {
        "self": api,
        "html": html,
        "issue": issue_api,
        "comments": f"{issue_api}/comments",
        "review_comments": f"{api}/comments",
        "review_comment": urls.repo(repo, "/pulls/comments{/number}"),
        "commits": f"{api}/commits",
        "statuses": urls.repo(repo, f"/statuses/{pull.head_sha}"),
    }
    merged_at = found.closed_at if pull.merged else None
    body: dict[str, Any] = {
        "url": api,
        "id": found.id,
        "node_id": node_id("PullRequest", found.id),
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        **{f"{key}_url": link for key, link in links.items() if key not in ("self", "html")},
        "number": found.number,
        "state": found.state,
        "locked": found.locked,
        "title": found.title,
        "user": user(urls, found.user),
        "body": found.body,
        # pull-request(-simple) describes a label's description as a string, never null.
        "labels": [
            {**found_label, "description": found_label["description"] or ""}
            for found_label in labels_of(urls, repo, found.labels)
        ],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": found.created_at,
        "updated_at": found.updated_at,
        "closed_at": found.closed_at,
        "merged_at": merged_at,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        # Logins only: the fake keeps no ids for people asked to review (id 0, as a ghost).
        "requested_reviewers": [user(urls, User(login, 0)) for login in pull.requested_reviewers],
        "requested_teams": [],
        # An open PR's head follows its branch, as on GitHub; a closed one keeps its last.
        "head": _side(urls, repo, pull.head, _head_sha(repo, found, pull), pushed_at),
        "base": _side(urls, repo, pull.base, pull.base_sha, pushed_at),
        "_links": {key: {"href": link} for key, link in links.items()},
        "author_association": found.author_association,
        "auto_merge": _auto_merge(urls, pull.auto_merge),
        "draft": pull.draft,
        "merged": pull.merged,
        "mergeable": pull.mergeable,
        "rebaseable": None,
        "mergeable_state": pull.mergeable_state,
        "merged_by": None,
        "comments": sum(1 for c in repo.comments.values() if c.number == found.number),
        "review_comments": 0,
        "maintainer_can_modify": pull.maintainer_can_modify,
        "commits": 1,
        "additions": 0,
        "deletions": 0,
        "changed_files": 0,
    }
    return body


def _head_sha(repo: Repo, found: Issue, pull: PullFields) -> str:
    moved = repo.head(pull.head) if found.state == "open" else None
    return moved or pull.head_sha


def _auto_merge(urls: Urls, enabler: str | None) -> Body | None:
    """GitHub's auto-merge object: who enabled it and how it will merge (None: off)."""
    if enabler is None:
        return None
    return {"enabled_by": user(urls, User(enabler, 0)), "merge_method": "squash",
            "commit_title": "", "commit_message": ""}  # fmt: skip


# What a listed pull request (pull-request-simple) lacks: GitHub answers these per PR only.
FULL_ONLY = (
    "additions", "changed_files", "comments", "commits", "deletions", "maintainer_can_modify",
    "mergeable", "mergeable_state", "merged", "merged_by", "rebaseable", "review_comments",
)  # fmt: skip


def pull_request_simple(urls: Urls, repo: Repo, found: Issue, pushed_at: str) -> Body:
    """A pull request as GET /pulls lists it: no mergeability, no counts."""
    full = pull_request(urls, repo, found, pushed_at)
    return {key: value for key, value in full.items() if key not in FULL_ONLY}
