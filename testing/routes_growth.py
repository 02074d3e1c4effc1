"""Fake routes growth mode needs: a pull request's files, merging it, requesting reviewers."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from testing import payloads
from testing.merging import merge_base, merge_pull
from testing.payloads_issues import pull_request
from testing.router import ApiError, FakeRequest, Reply, Router, paginate
from testing.state import Issue, PullFields, Repo

if TYPE_CHECKING:
    from testing.core import GitHubState

router = Router()
_PULL = "/repos/{owner}/{repo}/pulls/{pull_number}"


def _open_pull(
    state: GitHubState, request: FakeRequest, *, write: bool
) -> tuple[Repo, Issue, PullFields]:
    owner, name = request.params["owner"], request.params["repo"]
    repo = state.writable(owner, name) if write else state.repo(owner, name)
    found = state.issue(repo, request.params["pull_number"])
    pull = found.pull
    if pull is None:
        raise ApiError(404)
    if found.state == "open":
        pull.head_sha = repo.head(pull.head) or pull.head_sha
    return repo, found, pull


def _text(repo: Repo, sha: str, path: str) -> str:
    data = repo.git.read(sha, path)
    return data.decode(errors="replace") if data is not None else ""


def _patch(before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=3)
    return "\n".join(line for line in lines if not line.startswith(("---", "+++")))


@router.route("GET", f"{_PULL}/files")
def list_files(state: GitHubState, request: FakeRequest) -> Reply:
    """GET .../pulls/{pull_number}/files: changed files with line counts and unified patches."""
    repo, _, pull = _open_pull(state, request, write=False)
    base_head = repo.head(pull.base) or pull.base_sha
    since = merge_base(repo, base_head, pull.head_sha)
    before, after = repo.git.files_at(since), repo.git.files_at(pull.head_sha)
    items = []
    for path in sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p)):
        old, new = _text(repo, since, path), _text(repo, pull.head_sha, path)
        patch = _patch(old, new)
        added = sum(1 for x in patch.splitlines() if x.startswith("+"))
        removed = sum(1 for x in patch.splitlines() if x.startswith("-"))
        status = "removed" if path not in after else "added" if path not in before else "modified"
        items.append(
            {
                "sha": (after.get(path) or before[path]).sha,
                "filename": path,
                "status": status,
                "additions": added,
                "deletions": removed,
                "changes": added + removed,
                "blob_url": state.urls.web(f"/{repo.full_name}/blob/{pull.head_sha}/{path}"),
                "raw_url": state.urls.web(f"/{repo.full_name}/raw/{pull.head_sha}/{path}"),
                "contents_url": state.urls.repo(repo, f"/contents/{path}?ref={pull.head_sha}"),
                "patch": patch,
            }
        )
    return paginate(state, request, items)


@router.route("GET", f"{_PULL}/commits")
def list_commits(state: GitHubState, request: FakeRequest) -> Reply:
    """GET .../pulls/{pull_number}/commits: the PR's own commits, oldest first (GitHub lists
    at most 250)."""
    repo, _, pull = _open_pull(state, request, write=False)
    base = repo.head(pull.base) or pull.base_sha
    own = [s for s in repo.git.history(pull.head_sha) if not repo.git.is_ancestor(s, base)]
    items = []
    for sha in list(reversed(own))[:250]:
        found = repo.git.commit(sha)
        if found is not None:
            items.append(payloads.commit(state.urls, repo, sha, found))
    return paginate(state, request, items)


@router.route("GET", f"{_PULL}/reviews")
def list_reviews(state: GitHubState, request: FakeRequest) -> Reply:
    """GET .../pulls/{pull_number}/reviews: oldest first."""
    repo, found, pull = _open_pull(state, request, write=False)
    url = state.urls.repo(repo, f"/pulls/{found.number}")
    items = [
        {
            "id": review_id,
            "node_id": f"PRR_{review_id}",
            "user": payloads.user(state.urls, state.account(login)),
            "body": text.body if (text := pull.review_texts.get(review_id)) else "",
            "state": verdict,
            "commit_id": text.commit_id if text else pull.head_sha,
            "html_url": f"{url}#pullrequestreview-{review_id}",
            "pull_request_url": url,
            "_links": {"html": {"href": url}, "pull_request": {"href": url}},
            "author_association": "COLLABORATOR",
            "submitted_at": found.updated_at,
        }
        for login, verdict, review_id in pull.reviews
    ]
    return paginate(state, request, items)


@router.route("PUT", f"{_PULL}/merge")
def merge(state: GitHubState, request: FakeRequest) -> Reply:
    """PUT .../pulls/{pull_number}/merge: a merge commit on the base (405 when not mergeable);
    the issues its body closes with a keyword are closed as completed."""
    repo, found, pull = _open_pull(state, request, write=True)
    if found.state != "open":
        raise ApiError(405, "Pull Request is not mergeable")
    if pull.base in repo.protected and not any(r[1] == "APPROVED" for r in pull.reviews):
        raise ApiError(
            405, "At least 1 approving review is required by reviewers with write access."
        )
    expected = request.field("sha")
    if expected and expected != pull.head_sha:
        raise ApiError(409, "Head branch was modified. Review and try the merge again.")
    sha = merge_pull(state, repo, found, state.actor, request.field("commit_title") or "")
    return Reply(200, {"sha": sha, "merged": True, "message": "Pull Request successfully merged"})


@router.route("POST", f"{_PULL}/requested_reviewers")
def request_reviewers(state: GitHubState, request: FakeRequest) -> Reply:
    """POST .../pulls/{pull_number}/requested_reviewers: remembered on the fake's pull."""
    repo, found, pull = _open_pull(state, request, write=True)
    asked = [str(login) for login in request.field("reviewers", [])]
    for login in asked:
        state.account(login)
    pull.requested_reviewers = sorted({*pull.requested_reviewers, *asked})
    return Reply(201, pull_request(state.urls, repo, found, state.pushed_at(repo)))
