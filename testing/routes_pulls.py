"""Fake routes for pull requests (they share issue numbers, as on GitHub)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from testing import payloads_issues as render
from testing.router import ApiError, FakeRequest, Reply, Router, invalid, paginate
from testing.routes_issues import apply_state, sorted_issues
from testing.state import Issue, PullFields, Repo

if TYPE_CHECKING:
    from testing.core import GitHubState

router = Router()
_PULLS = "/repos/{owner}/{repo}/pulls"


def _repo(state: GitHubState, request: FakeRequest, *, write: bool = False) -> Repo:
    owner, name = request.params["owner"], request.params["repo"]
    return state.writable(owner, name) if write else state.repo(owner, name)


def _pull(state: GitHubState, repo: Repo, number: str) -> Issue:
    found = state.issue(repo, number)
    if found.pull is None:
        raise ApiError(404)
    return found


def _render(state: GitHubState, repo: Repo, found: Issue) -> Reply:
    check_mergeable(repo, found)
    return Reply(200, render.pull_request(state.urls, repo, found, state.pushed_at(repo)))


def check_mergeable(repo: Repo, found: Issue) -> None:
    """GitHub's mergeability job, run as a get, create or edit of a pull request reads it.

    The first read after the base or the head moved starts the job and answers `mergeable`
    null ("unknown"); a later read sees its answer: `dirty` (false) when the branches
    conflict, `draft` for a draft, otherwise `clean`. A closed pull request is never checked.
    """
    pull = found.pull
    if pull is None or found.state != "open":
        if pull is not None:
            pull.checked, pull.mergeable, pull.mergeable_state = None, None, "unknown"
        return
    sides = (repo.head(pull.base) or pull.base_sha, repo.head(pull.head) or pull.head_sha)
    if pull.checked != sides:
        pull.checked, pull.mergeable, pull.mergeable_state = sides, None, "unknown"
        return
    clashes = repo.git.clashes(*sides)
    pull.mergeable = not clashes
    pull.mergeable_state = "dirty" if clashes else "draft" if pull.draft else "clean"


def _head_branch(repo: Repo, head: str) -> str:
    """`owner:branch` or `branch` -> branch (cross-repository heads are not faked)."""
    owner, sep, branch = head.partition(":")
    if sep and owner.lower() != repo.owner.login.lower():
        raise invalid("PullRequest", "head")
    return branch if sep else head


def _matches(request: FakeRequest, repo: Repo, found: Issue) -> bool:
    pull = found.pull
    if pull is None:
        return False
    head, base = request.arg("head"), request.arg("base")
    wanted = request.arg("state", "open")
    return (
        wanted in ("all", found.state)
        and (head is None or _head_branch(repo, head) == pull.head)
        and (base is None or base == pull.base)
    )


@router.route("GET", _PULLS)
def list_pulls(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/pulls (state, head=owner:branch, base filters)."""
    repo = _repo(state, request)
    found = sorted_issues(request, [i for i in repo.issues.values() if _matches(request, repo, i)])
    pushed_at = state.pushed_at(repo)
    return paginate(
        state, request, [render.pull_request_simple(state.urls, repo, i, pushed_at) for i in found]
    )


@router.route("POST", _PULLS)
def create_pull(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/pulls: the head must exist, differ and have no open PR."""
    repo = _repo(state, request, write=True)
    if not repo.actions_may_open_pulls:
        raise ApiError(403, "GitHub Actions is not permitted to create or approve pull requests.")
    head = _head_branch(repo, request.field("head"))
    base = request.field("base")
    head_sha, base_sha = repo.head(head), repo.head(base)
    if head_sha is None:
        raise invalid("PullRequest", "head")
    if base_sha is None:
        raise invalid("PullRequest", "base")
    if repo.git.is_ancestor(head_sha, base_sha):
        raise ApiError(422, f"No commits between {base} and {head}")
    if any(i.pull and i.pull.head == head and i.state == "open" for i in repo.issues.values()):
        message = f"A pull request already exists for {repo.owner.login}:{head}."
        raise ApiError(
            422, errors=[{"resource": "PullRequest", "code": "custom", "message": message}]
        )
    fields = PullFields(
        head,
        base,
        head_sha,
        base_sha,
        draft=bool(request.field("draft", False)),
        maintainer_can_modify=bool(request.field("maintainer_can_modify", False)),
    )
    title = request.field("title") or head
    found = state.open_issue(
        repo,
        title,
        request.field("body"),
        labels=[],
        user=state.actor,
        association=state.actor_association,
        pull=fields,
    )
    reply = _render(state, repo, found)
    return Reply(201, reply.body)


@router.route("GET", f"{_PULLS}/{{pull_number}}")
def get_pull(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/pulls/{pull_number} (the head sha follows the branch)."""
    repo = _repo(state, request)
    found = _pull(state, repo, request.params["pull_number"])
    if found.pull and found.state == "open":
        found.pull.head_sha = repo.head(found.pull.head) or found.pull.head_sha
    return _render(state, repo, found)


@router.route("PATCH", f"{_PULLS}/{{pull_number}}")
def update_pull(state: GitHubState, request: FakeRequest) -> Reply:
    """PATCH /repos/{owner}/{repo}/pulls/{pull_number}: title, body, state, base."""
    repo = _repo(state, request, write=True)
    found = _pull(state, repo, request.params["pull_number"])
    body = request.body or {}
    if "title" in body:
        found.title = body["title"]
    if "body" in body:
        found.body = body["body"]
    if "base" in body and found.pull is not None:
        found.pull.base = body["base"]
    if "state" in body:
        apply_state(state, found, body["state"], None)
    found.updated_at = state.timestamp()
    return _render(state, repo, found)
