"""Fake routes for issues, issue comments and labels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from testing import payloads_issues as render
from testing.router import ApiError, FakeRequest, Reply, Router, invalid, paginate
from testing.state import Issue, Label, Repo

if TYPE_CHECKING:
    from testing.core import GitHubState

router = Router()
_REPO = "/repos/{owner}/{repo}"
_ISSUE = f"{_REPO}/issues/{{issue_number}}"
_STATE_REASONS = {"open": (None, "reopened"), "closed": ("completed", "not_planned", "duplicate")}


def _repo(state: GitHubState, request: FakeRequest, *, write: bool = False) -> Repo:
    owner, name = request.params["owner"], request.params["repo"]
    return state.writable(owner, name) if write else state.repo(owner, name)


def label_names(items: Any) -> list[str]:
    """Label names from a body's `labels`: strings or objects with a `name`."""
    return [item["name"] if isinstance(item, dict) else str(item) for item in items or []]


def _matches(request: FakeRequest, found: Issue) -> bool:
    wanted_state = request.arg("state", "open")
    wanted_labels = {
        n.strip().lower() for n in (request.arg("labels") or "").split(",") if n.strip()
    }
    creator, since = request.arg("creator"), request.arg("since")
    return (
        wanted_state in ("all", found.state)
        and wanted_labels <= {n.lower() for n in found.labels}
        and (creator is None or creator.lower() == found.user.login.lower())
        and (since is None or found.updated_at >= since)
    )


def sorted_issues(request: FakeRequest, issues: list[Issue]) -> list[Issue]:
    """Order issues as the `sort` and `direction` query parameters ask (newest first)."""
    key = request.arg("sort", "created")
    field = {"created": "created_at", "updated": "updated_at"}.get(key or "", "created_at")
    ordered = sorted(issues, key=lambda i: (getattr(i, field), i.number))
    return ordered if request.arg("direction") == "asc" else ordered[::-1]


@router.route("GET", f"{_REPO}/issues")
def list_issues(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues: pull requests included, as on GitHub."""
    repo = _repo(state, request)
    found = sorted_issues(request, [i for i in repo.issues.values() if _matches(request, i)])
    return paginate(state, request, [render.issue(state.urls, repo, i) for i in found])


@router.route("POST", f"{_REPO}/issues")
def create_issue(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/issues: unknown labels are created, as on GitHub."""
    repo = _repo(state, request, write=True)
    title = request.field("title")
    if not str(title or "").strip():
        raise invalid("Issue", "title", "missing_field")
    labels = label_names(request.field("labels"))
    found = state.open_issue(
        repo,
        str(title),
        request.field("body"),
        labels=labels,
        user=state.actor,
        association=state.actor_association,
    )
    return Reply(201, render.issue(state.urls, repo, found))


@router.route("GET", _ISSUE)
def get_issue(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}."""
    repo = _repo(state, request)
    found = state.issue(repo, request.params["issue_number"])
    return Reply(200, render.issue(state.urls, repo, found))


def apply_state(state: GitHubState, found: Issue, new_state: str, reason: str | None) -> None:
    """Open or close an issue, keeping closed_at and state_reason as GitHub does."""
    if new_state not in _STATE_REASONS:
        raise invalid("Issue", "state")
    if new_state == found.state:
        found.state_reason = reason or found.state_reason
        return
    if reason is not None and reason not in _STATE_REASONS[new_state]:
        raise invalid("Issue", "state_reason")
    found.state = new_state
    found.closed_at = state.timestamp() if new_state == "closed" else None
    found.closed_by = state.actor if new_state == "closed" else None
    default = "completed" if new_state == "closed" else "reopened"
    found.state_reason = reason or default


@router.route("PATCH", _ISSUE)
def update_issue(state: GitHubState, request: FakeRequest) -> Reply:
    """PATCH /repos/{owner}/{repo}/issues/{issue_number}: labels given here replace the set."""
    repo = _repo(state, request, write=True)
    found = state.issue(repo, request.params["issue_number"])
    body = request.body or {}
    if "title" in body:
        found.title = body["title"]
    if "body" in body:
        state.edit_body(found, body["body"], state.actor)
    if "labels" in body:
        found.labels = [state.ensure_label(repo, n).name for n in label_names(body["labels"])]
    if "assignees" in body:
        found.assignees = list(body["assignees"] or [])
    if "state" in body:
        apply_state(state, found, body["state"], body.get("state_reason"))
    found.updated_at = state.timestamp()
    return Reply(200, render.issue(state.urls, repo, found))


@router.route("GET", f"{_ISSUE}/comments")
def list_comments(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/comments, oldest first."""
    repo = _repo(state, request)
    number = state.issue(repo, request.params["issue_number"]).number
    since = request.arg("since") or ""
    found = [c for c in repo.comments.values() if c.number == number and c.updated_at >= since]
    return paginate(state, request, [render.comment(state.urls, repo, c) for c in found])


@router.route("GET", f"{_REPO}/issues/comments")
def list_repo_comments(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/comments: every issue's and PR's, updated since `since`.

    Ascending by creation unless `sort` and `direction` say otherwise (`direction` is ignored
    without `sort`, as GitHub documents).
    """
    repo = _repo(state, request)
    since = request.arg("since") or ""
    found = [c for c in repo.comments.values() if c.updated_at >= since]
    field = "updated_at" if request.arg("sort") == "updated" else "created_at"
    found.sort(key=lambda c: (getattr(c, field), c.id))
    if request.arg("sort") and request.arg("direction") == "desc":
        found.reverse()
    return paginate(state, request, [render.comment(state.urls, repo, c) for c in found])


@router.route("POST", f"{_ISSUE}/comments")
def create_comment(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/issues/{issue_number}/comments."""
    repo = _repo(state, request, write=True)
    number = state.issue(repo, request.params["issue_number"]).number
    body = str(request.field("body") or "")
    if not body.strip():
        raise invalid("IssueComment", "body", "missing_field")
    created = state.write_comment(repo, number, body, state.actor, state.actor_association)
    return Reply(201, render.comment(state.urls, repo, created))


def _comment(state: GitHubState, request: FakeRequest, repo: Repo) -> Any:
    found = repo.comments.get(int(request.params["comment_id"]))
    if found is None:
        raise ApiError(404)
    return found


@router.route("GET", f"{_REPO}/issues/comments/{{comment_id}}")
def get_comment(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/comments/{comment_id}."""
    repo = _repo(state, request)
    return Reply(200, render.comment(state.urls, repo, _comment(state, request, repo)))


@router.route("PATCH", f"{_REPO}/issues/comments/{{comment_id}}")
def update_comment(state: GitHubState, request: FakeRequest) -> Reply:
    """PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}."""
    repo = _repo(state, request, write=True)
    found = _comment(state, request, repo)
    found.body = request.field("body")
    found.updated_at = state.timestamp()
    return Reply(200, render.comment(state.urls, repo, found))


def _issue_labels(state: GitHubState, repo: Repo, found: Issue) -> Reply:
    return Reply(200, render.labels_of(state.urls, repo, found.labels))


@router.route("GET", f"{_ISSUE}/labels")
def list_issue_labels(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/issues/{issue_number}/labels."""
    repo = _repo(state, request)
    found = state.issue(repo, request.params["issue_number"])
    return paginate(state, request, render.labels_of(state.urls, repo, found.labels))


def _requested_labels(request: FakeRequest) -> list[str]:
    body = request.body
    return label_names(body.get("labels") if isinstance(body, dict) else body)


@router.route("POST", f"{_ISSUE}/labels")
def add_labels(state: GitHubState, request: FakeRequest) -> Reply:
    """POST .../issues/{issue_number}/labels: adds (creating unknown labels); answers all."""
    repo = _repo(state, request, write=True)
    found = state.issue(repo, request.params["issue_number"])
    have = {n.lower() for n in found.labels}
    for name in _requested_labels(request):
        if name.lower() not in have:
            found.labels.append(state.ensure_label(repo, name).name)
            have.add(name.lower())
    found.updated_at = state.timestamp()
    return _issue_labels(state, repo, found)


@router.route("PUT", f"{_ISSUE}/labels")
def set_labels(state: GitHubState, request: FakeRequest) -> Reply:
    """PUT .../issues/{issue_number}/labels: replaces the set."""
    repo = _repo(state, request, write=True)
    found = state.issue(repo, request.params["issue_number"])
    names = dict.fromkeys(_requested_labels(request))
    found.labels = [state.ensure_label(repo, n).name for n in names]
    found.updated_at = state.timestamp()
    return _issue_labels(state, repo, found)


@router.route("DELETE", f"{_ISSUE}/labels/{{name}}")
def remove_label(state: GitHubState, request: FakeRequest) -> Reply:
    """DELETE .../issues/{issue_number}/labels/{name}: 404 when the issue lacks it."""
    repo = _repo(state, request, write=True)
    found = state.issue(repo, request.params["issue_number"])
    name = request.params["name"].lower()
    if name not in {n.lower() for n in found.labels}:
        raise ApiError(404, "Label does not exist")
    found.labels = [n for n in found.labels if n.lower() != name]
    found.updated_at = state.timestamp()
    return _issue_labels(state, repo, found)


@router.route("GET", f"{_REPO}/labels")
def list_labels(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/labels."""
    repo = _repo(state, request)
    found = sorted(repo.labels.values(), key=lambda label: label.name.lower())
    return paginate(state, request, [render.label(state.urls, repo, f) for f in found])


@router.route("POST", f"{_REPO}/labels")
def create_label(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/labels: 422 already_exists for a taken name."""
    repo = _repo(state, request, write=True)
    name = str(request.field("name"))
    if repo.label(name) is not None:
        raise invalid("Label", "name", "already_exists")
    color = str(request.field("color") or "ededed").lstrip("#")
    created = Label(state.ids(), name, color, request.field("description"))
    repo.labels[name.lower()] = created
    return Reply(201, render.label(state.urls, repo, created))


@router.route("GET", f"{_REPO}/labels/{{name}}")
def get_label(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/labels/{name}."""
    repo = _repo(state, request)
    found = repo.label(request.params["name"])
    if found is None:
        raise ApiError(404)
    return Reply(200, render.label(state.urls, repo, found))
