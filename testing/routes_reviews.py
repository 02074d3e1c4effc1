"""Fake route for posting a pull request review, with GitHub's refusals: an author's own
approval or change request, an approval from GitHub Actions, an inline line outside the diff."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from testing import payloads
from testing.merging import merge_base
from testing.router import ApiError, FakeRequest, Reply, Router
from testing.routes_growth import _open_pull, _patch, _text
from testing.state import Issue, PullFields, Repo, ReviewText

if TYPE_CHECKING:
    from testing.core import GitHubState

router = Router()
_PULL = "/repos/{owner}/{repo}/pulls/{pull_number}"
_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
STATES = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}
# What GitHub says when the repository keeps its default: Actions may not approve PRs.
ACTIONS_APPROVE = "GitHub Actions is not permitted to approve pull requests."
OWN = {"APPROVE": "Can not approve your own pull request",
       "REQUEST_CHANGES": "Can not request changes on your own pull request"}  # fmt: skip


def diff_lines(patch: str) -> dict[str, set[int]]:
    """The lines a review comment may sit on: per side, the numbers inside the patch's hunks."""
    sides: dict[str, set[int]] = {"LEFT": set(), "RIGHT": set()}
    old = new = 0
    for line in patch.splitlines():
        hunk = _HUNK.match(line)
        if hunk:
            old, new = int(hunk[1]), int(hunk[2])
        elif line.startswith("+"):
            sides["RIGHT"].add(new)
            new += 1
        elif line.startswith("-"):
            sides["LEFT"].add(old)
            old += 1
        elif not line.startswith("\\"):
            sides["LEFT"].add(old)
            sides["RIGHT"].add(new)
            old, new = old + 1, new + 1
    return sides


def _patches(repo: Repo, pull: PullFields) -> dict[str, str]:
    since = merge_base(repo, repo.head(pull.base) or pull.base_sha, pull.head_sha)
    before, after = repo.git.files_at(since), repo.git.files_at(pull.head_sha)
    changed = (p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    return {p: _patch(_text(repo, since, p), _text(repo, pull.head_sha, p)) for p in changed}


def _check_comments(repo: Repo, pull: PullFields, comments: list[dict[str, Any]]) -> None:
    """422 as GitHub answers it (nothing is saved) when a comment's line is not in the diff."""
    patches = _patches(repo, pull) if comments else {}
    for comment in comments:
        patch = patches.get(str(comment.get("path")))
        line, side = comment.get("line"), comment.get("side") or "RIGHT"
        if patch is None or line is None or line not in diff_lines(patch)[side]:
            raise ApiError(422, "Unprocessable Entity", errors=["Line could not be resolved"])


def _refuse(state: GitHubState, found: Issue, event: str | None, body: str) -> None:
    login = state.actor.login
    if event in OWN and login == found.user.login:
        raise ApiError(422, "Unprocessable Entity", errors=[OWN[event]])
    if event == "APPROVE" and login == "github-actions[bot]":
        raise ApiError(422, ACTIONS_APPROVE)
    if event in {"REQUEST_CHANGES", "COMMENT"} and not body:
        raise ApiError(422, "Unprocessable Entity", errors=["Body is required"])


@router.route("POST", f"{_PULL}/reviews")
def create_review(state: GitHubState, request: FakeRequest) -> Reply:
    """POST .../pulls/{pull_number}/reviews: a review of a commit, inline comments on lines of
    the diff; without `event` it stays PENDING."""
    repo, found, pull = _open_pull(state, request, write=True)
    event, body = request.field("event"), request.field("body") or ""
    _refuse(state, found, event, body)
    comments = list(request.field("comments") or [])
    _check_comments(repo, pull, comments)
    commit = request.field("commit_id") or pull.head_sha
    review_id = state.ids()
    verdict = STATES.get(event or "", "PENDING")
    pull.reviews.append((state.actor.login, verdict, review_id))
    pull.review_texts[review_id] = ReviewText(body=body, commit_id=commit, comments=comments)
    url = state.urls.repo(repo, f"/pulls/{found.number}")
    return Reply(200, {
        "id": review_id, "node_id": f"PRR_{review_id}",
        "user": payloads.user(state.urls, state.actor), "body": body, "state": verdict,
        "commit_id": commit,
        "html_url": f"{url}#pullrequestreview-{review_id}", "pull_request_url": url,
        "_links": {"html": {"href": url}, "pull_request": {"href": url}},
        "author_association": "CONTRIBUTOR", "submitted_at": found.updated_at,
    })  # fmt: skip
