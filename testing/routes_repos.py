"""Fake routes for accounts, repositories, branches, commits, comparisons and contents."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import TYPE_CHECKING

from testing import payloads
from testing.core import RATE_LIMIT
from testing.router import ApiError, FakeRequest, Reply, Router, invalid, paginate
from testing.state import Repo

if TYPE_CHECKING:
    from testing.core import GitHubState

router = Router()
_REPO = "/repos/{owner}/{repo}"


def _repo(state: GitHubState, request: FakeRequest) -> Repo:
    return state.repo(request.params["owner"], request.params["repo"])


def _listing(state: GitHubState, repos: list[Repo]) -> list[payloads.Body]:
    ordered = sorted(repos, key=lambda r: r.full_name.lower())
    return [payloads.repository(state.urls, r, state.pushed_at(r)) for r in ordered]


@router.route("GET", "/rate_limit")
def rate_limit(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /rate_limit: the core budget the fake has counted so far."""
    reset = int(state.now().timestamp()) + 3600
    core = {"limit": RATE_LIMIT, "used": state.rate_used, "remaining": RATE_LIMIT - state.rate_used}
    core["reset"] = reset
    other = {"limit": 30, "used": 0, "remaining": 30, "reset": reset}
    return Reply(200, {"resources": {"core": core, "search": other}, "rate": core})


@router.route("GET", "/orgs/{org}")
def get_org(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /orgs/{org}."""
    org = state.accounts.get(request.params["org"].lower())
    if org is None or org.type != "Organization":
        raise ApiError(404)
    count = sum(1 for r in state.repos.values() if r.owner is org)
    return Reply(200, payloads.organization(state.urls, org, count, state.created_at))


@router.route("GET", "/users/{username}")
def get_user(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /users/{username}: users and organisations alike, as on GitHub."""
    who = state.accounts.get(request.params["username"].lower())
    if who is None:
        raise ApiError(404)
    count = sum(1 for r in state.repos.values() if r.owner is who)
    return Reply(200, payloads.account(state.urls, who, count, state.created_at))


def _owned(state: GitHubState, login: str, kind: str | None) -> list[Repo]:
    owner = state.accounts.get(login.lower())
    if owner is None or (kind is not None and owner.type != kind):
        raise ApiError(404)
    return [r for r in state.repos.values() if r.owner is owner]


def _any_repo(repo: Repo) -> bool:
    return True


_REPO_TYPES: dict[str, Callable[[Repo], bool]] = {
    "forks": lambda r: r.fork,
    "sources": lambda r: not r.fork,
    "public": lambda r: not r.private,
    "private": lambda r: r.private,
}


@router.route("GET", "/orgs/{org}/repos")
def org_repos(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /orgs/{org}/repos (type=forks|sources|public|private narrows the list)."""
    repos = _owned(state, request.params["org"], "Organization")
    kind = request.arg("type", "all")
    keep = _REPO_TYPES.get(kind or "all", _any_repo)
    return paginate(state, request, _listing(state, [r for r in repos if keep(r)]))


@router.route("GET", "/users/{username}/repos")
def user_repos(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /users/{username}/repos."""
    return paginate(
        state, request, _listing(state, _owned(state, request.params["username"], None))
    )


@router.route("GET", "/installation/repositories")
def installation_repos(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /installation/repositories: an app installed on every repository of the fake."""
    reply = paginate(state, request, _listing(state, list(state.repos.values())), "repositories")
    return Reply(200, {**reply.body, "repository_selection": "all"}, reply.headers)


@router.route("GET", _REPO)
def get_repo(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}."""
    repo = _repo(state, request)
    return Reply(200, payloads.repository(state.urls, repo, state.pushed_at(repo)))


@router.route("GET", f"{_REPO}/collaborators/{{username}}/permission")
def get_permission(state: GitHubState, request: FakeRequest) -> Reply:
    """GET .../collaborators/{username}/permission: anyone else may read a public repository.

    `permission` is the legacy name (maintain reads as write, triage as read); `role_name`
    the role itself, as GitHub answers.
    """
    repo = _repo(state, request)
    login = request.params["username"]
    role = "admin" if login.lower() == repo.owner.login.lower() else None
    role = role or repo.permissions.get(login.lower(), "none" if repo.private else "read")
    legacy = {"maintain": "write", "triage": "read"}.get(role, role)
    who = payloads.user(state.urls, state.account(login))
    return Reply(200, {"permission": legacy, "role_name": role,
                       "user": {**who, "role_name": role}})  # fmt: skip


@router.route("GET", f"{_REPO}/branches/{{branch}}")
def get_branch(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/branches/{branch}."""
    repo = _repo(state, request)
    name = request.params["branch"]
    sha = repo.head(name)
    found = repo.git.commit(sha or "")
    if sha is None or found is None:
        raise ApiError(404, "Branch not found")
    body = {
        "name": name,
        "commit": payloads.commit(state.urls, repo, sha, found),
        "_links": {
            "self": state.urls.repo(repo, f"/branches/{name}"),
            "html": state.urls.web(f"/{repo.full_name}/tree/{name}"),
        },
        **_protection(repo, name),
        "protection_url": state.urls.repo(repo, f"/branches/{name}/protection"),
    }
    return Reply(200, body)


def _protection(repo: Repo, name: str) -> payloads.Body:
    """A branch's protection as GET branch shows it to a reader: the required checks."""
    required = repo.required_checks.get(name)
    if required is None:
        return {"protected": name in repo.protected, "protection": {"enabled": False}}
    checks = {"enforcement_level": "non_admins", "contexts": required,
              "checks": [{"context": c, "app_id": None} for c in required]}  # fmt: skip
    return {"protected": True, "protection": {"enabled": True, "required_status_checks": checks}}


def _commit_at(repo: Repo, ref: str) -> str:
    sha = repo.git.resolve(ref)
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {ref}")
    return sha


def _commit_body(state: GitHubState, repo: Repo, sha: str) -> payloads.Body:
    found = repo.git.commit(sha)
    if found is None:
        raise ApiError(404)
    return payloads.commit(state.urls, repo, sha, found)


@router.route("GET", f"{_REPO}/commits/{{ref}}")
def get_commit(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/commits/{ref}."""
    repo = _repo(state, request)
    sha = _commit_at(repo, request.params["ref"])
    body = _commit_body(state, repo, sha)
    # One commit's own changes, against its first parent (GitHub lists at most 300).
    found = repo.git.commit(sha)
    parent = found.parents[0] if found is not None and found.parents else None
    files = _changed_files(state, repo, parent, sha) if parent else []
    return Reply(200, body | {"files": files[:300]})


@router.route("GET", f"{_REPO}/compare/{{basehead}}")
def compare(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/compare/{base}...{head}: ahead/behind by commit counts."""
    repo = _repo(state, request)
    base_name, sep, head_name = request.params["basehead"].partition("...")
    if not sep:
        raise ApiError(404)
    base, head = _commit_at(repo, base_name), _commit_at(repo, head_name)
    ahead = [s for s in repo.git.history(head) if not repo.git.is_ancestor(s, base)]
    behind = [s for s in repo.git.history(base) if not repo.git.is_ancestor(s, head)]
    common = (s for s in repo.git.history(head) if repo.git.is_ancestor(s, base))
    merge_base = next(common, None)
    if merge_base is None:
        raise ApiError(404, f"No common ancestor between {base_name} and {head_name}.")
    if ahead and behind:
        status = "diverged"
    else:
        status = "ahead" if ahead else "behind" if behind else "identical"

    def show(sha: str) -> payloads.Body:
        return _commit_body(state, repo, sha)

    spec = request.params["basehead"]
    body = {
        "url": state.urls.repo(repo, f"/compare/{spec}"),
        "html_url": state.urls.web(f"/{repo.full_name}/compare/{spec}"),
        "permalink_url": state.urls.web(f"/{repo.full_name}/compare/{base}...{head}"),
        "diff_url": state.urls.web(f"/{repo.full_name}/compare/{spec}.diff"),
        "patch_url": state.urls.web(f"/{repo.full_name}/compare/{spec}.patch"),
        "base_commit": show(base),
        "merge_base_commit": show(merge_base),
        "status": status,
        "ahead_by": len(ahead),
        "behind_by": len(behind),
        "total_commits": len(ahead),
        "commits": [show(s) for s in reversed(ahead)],
        "files": _changed_files(state, repo, merge_base, head),
    }
    return Reply(200, body)


def _changed_files(state: GitHubState, repo: Repo, base: str, head: str) -> list[payloads.Body]:
    """The diff entries of `head` against `base` (paths and blob ids; no line counts)."""
    before, after = repo.git.files_at(base), repo.git.files_at(head)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    return [
        {
            "sha": (after.get(p) or before[p]).sha,
            "filename": p,
            "status": "removed" if p not in after else "added" if p not in before else "modified",
            "additions": 0,
            "deletions": 0,
            "changes": 0,
            "blob_url": state.urls.web(f"/{repo.full_name}/blob/{head}/{p}"),
            "raw_url": state.urls.web(f"/{repo.full_name}/raw/{head}/{p}"),
            "contents_url": state.urls.repo(repo, f"/contents/{p}?ref={head}"),
        }
        for p in changed
    ]


@router.route("GET", f"{_REPO}/contents/{{path}}")
def get_contents(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/contents/{path}: a file with content, or a directory list."""
    repo = _repo(state, request)
    ref = request.arg("ref") or repo.default_branch
    commit_sha = repo.git.resolve(ref) or ""
    commit = repo.git.commit(commit_sha)
    if commit is None:
        raise ApiError(404, f"No commit found for the ref {ref}")
    path = request.params["path"].strip("/")
    listing = repo.git.walk(commit.tree, recursive=True)
    found = dict(listing).get(path)
    if found is not None and found.type == "blob":
        data = repo.git.read(commit_sha, path)
        if "raw" in request.accept:  # application/vnd.github.raw(+json): the bytes, any size
            raw_type = {"Content-Type": "application/vnd.github.raw+json"}
            return Reply(200, headers=raw_type, raw=(data or b"").decode("utf-8", errors="replace"))
        return Reply(
            200, payloads.content(state.urls, repo, ref=ref, path=path, entry=found, data=data)
        )
    prefix = f"{path}/" if path else ""
    children = [
        payloads.content(state.urls, repo, ref=ref, path=p, entry=e, data=None)
        for p, e in listing
        if p.startswith(prefix) and "/" not in p[len(prefix) :]
    ]
    if not children and path:
        raise ApiError(404)
    return Reply(200, children)


@router.route("PUT", f"{_REPO}/contents/{{path}}")
def put_contents(state: GitHubState, request: FakeRequest) -> Reply:
    """PUT /repos/{owner}/{repo}/contents/{path}: create or update one file in a commit."""
    repo = state.writable(request.params["owner"], request.params["repo"])
    branch = request.field("branch") or repo.default_branch
    path = request.params["path"].strip("/")
    head = repo.head(branch)
    if head is None:
        raise ApiError(404, f"Branch {branch} not found")
    current = repo.git.files_at(head).get(path)
    if current is not None and request.field("sha") != current.sha:
        raise ApiError(409, f"{path} does not match {request.field('sha')}")
    if current is None and request.field("sha") is not None:
        raise ApiError(409, f"{path} does not exist")
    try:
        data = base64.b64decode(request.field("content"), validate=True)
    except binascii.Error as e:
        raise invalid("Content", "content") from e
    sha = repo.git.write(head, {path: data}, request.field("message"), state.signature())
    repo.git.refs[f"refs/heads/{branch}"] = sha
    entry = repo.git.files_at(sha)[path]
    content = payloads.content(state.urls, repo, ref=branch, path=path, entry=entry, data=None)
    found = repo.git.commit(sha)
    if found is None:
        raise ApiError(404)
    body = {"content": content, "commit": payloads.git_commit(state.urls, repo, sha, found)}
    return Reply(201 if current is None else 200, body)
