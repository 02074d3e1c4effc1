"""Fake routes of the Git Data API: blobs, trees, commits and refs (with fast-forward checks)."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from testing import payloads
from testing.gitstore import Blob, Commit, Entry, Signature
from testing.router import ApiError, FakeRequest, Reply, Router, invalid
from testing.state import Repo

if TYPE_CHECKING:
    from testing.core import GitHubState

router = Router()
_GIT = "/repos/{owner}/{repo}/git"


def _repo(state: GitHubState, request: FakeRequest, *, write: bool = False) -> Repo:
    owner, name = request.params["owner"], request.params["repo"]
    return state.writable(owner, name) if write else state.repo(owner, name)


@router.route("POST", f"{_GIT}/blobs")
def create_blob(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/git/blobs (utf-8 or base64 content)."""
    repo = _repo(state, request, write=True)
    text = request.field("content")
    if request.field("encoding", "utf-8") == "base64":
        try:
            data = base64.b64decode(text)
        except binascii.Error as e:
            raise invalid("Blob", "content") from e
    else:
        data = text.encode()
    sha = repo.git.put_blob(data)
    return Reply(201, {"sha": sha, "url": state.urls.repo(repo, f"/git/blobs/{sha}")})


@router.route("GET", f"{_GIT}/blobs/{{file_sha}}")
def get_blob(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/git/blobs/{file_sha}."""
    repo = _repo(state, request)
    sha = request.params["file_sha"]
    found = repo.git.objects.get(sha)
    if not isinstance(found, Blob):
        raise ApiError(404)
    return Reply(200, payloads.blob(state.urls, repo, sha, found.data))


def _tree_entry(repo: Repo, item: dict[str, Any]) -> Entry | None:
    """Turn one `tree` item of POST /git/trees into an entry (None: delete the path)."""
    path, mode, kind = item.get("path"), item.get("mode"), item.get("type")
    if not path or not mode or not kind:
        raise invalid("Tree", "tree.path" if not path else "tree.mode" if not mode else "tree.type")
    if "content" in item and item.get("sha") is not None:
        raise ApiError(422, "tree.sha and tree.content cannot both be set")
    if "content" in item:
        return Entry(path, mode, kind, repo.git.put_blob(str(item["content"]).encode()))
    sha = item.get("sha")
    if sha is None:
        return None
    exists = {
        "blob": isinstance(repo.git.objects.get(sha), Blob),
        "tree": repo.git.tree(sha) is not None,
        "commit": True,  # a submodule points into another repository
    }
    if not exists.get(kind, False):
        raise ApiError(422, f"tree.sha {sha} is not a valid {kind}")
    return Entry(path, mode, kind, sha)


@router.route("POST", f"{_GIT}/trees")
def create_tree(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/git/trees: nested paths allowed, `sha: null` deletes."""
    repo = _repo(state, request, write=True)
    base = request.field("base_tree")
    if base is not None and repo.git.tree(base) is None:
        raise ApiError(422, "base_tree is not a valid tree oid")
    files = repo.git.files(base) if base else {}
    for item in request.field("tree", []):
        entry = _tree_entry(repo, item)
        path = item["path"].strip("/")
        for existing in [p for p in files if p == path or p.startswith(f"{path}/")]:
            del files[existing]
        if entry is not None and entry.type == "tree":
            files |= {f"{path}/{p}": e for p, e in repo.git.files(entry.sha).items()}
        elif entry is not None:
            files[path] = entry
    sha = repo.git.build(files)
    return Reply(201, payloads.git_tree(state.urls, repo, sha, recursive=False))


@router.route("GET", f"{_GIT}/trees/{{tree_sha}}")
def get_tree(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/git/trees/{tree_sha}: a tree id, commit id or ref name."""
    repo = _repo(state, request)
    name = request.params["tree_sha"]
    sha = name if repo.git.tree(name) else None
    if sha is None:
        commit = repo.git.commit(repo.git.resolve(name) or "")
        sha = commit.tree if commit else None
    if sha is None:
        raise ApiError(404)
    recursive = request.arg("recursive") is not None
    return Reply(200, payloads.git_tree(state.urls, repo, sha, recursive=recursive))


def _signature(state: GitHubState, given: Any) -> Signature:
    if not isinstance(given, dict):
        return state.signature()
    return Signature(given["name"], given["email"], given.get("date") or state.timestamp())


@router.route("POST", f"{_GIT}/commits")
def create_commit(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/git/commits."""
    repo = _repo(state, request, write=True)
    tree, parents = request.field("tree"), tuple(request.field("parents", []))
    if repo.git.tree(tree) is None:
        raise ApiError(422, "Tree SHA does not exist")
    if any(repo.git.commit(p) is None for p in parents):
        raise ApiError(422, "Parent SHA does not exist or is not a commit object")
    author = _signature(state, request.field("author"))
    committer = (
        _signature(state, request.field("committer")) if request.field("committer") else author
    )
    found = Commit(tree, parents, request.field("message"), author, committer)
    sha = repo.git.put_commit(found)
    return Reply(201, payloads.git_commit(state.urls, repo, sha, found))


@router.route("GET", f"{_GIT}/commits/{{commit_sha}}")
def get_commit(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/git/commits/{commit_sha}."""
    repo = _repo(state, request)
    sha = request.params["commit_sha"]
    found = repo.git.commit(sha)
    if found is None:
        raise ApiError(404)
    return Reply(200, payloads.git_commit(state.urls, repo, sha, found))


@router.route("GET", f"{_GIT}/ref/{{ref}}")
def get_ref(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/git/ref/{ref} (e.g. heads/main)."""
    repo = _repo(state, request)
    full = f"refs/{request.params['ref']}"
    if full not in repo.git.refs:
        raise ApiError(404)
    return Reply(200, payloads.git_ref(state.urls, repo, full, repo.git.refs[full]))


@router.route("GET", f"{_GIT}/matching-refs/{{ref}}")
def matching_refs(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/git/matching-refs/{ref}: refs starting with refs/{ref}."""
    repo = _repo(state, request)
    prefix = f"refs/{request.params['ref']}"
    found = sorted((r, s) for r, s in repo.git.refs.items() if r.startswith(prefix))
    return Reply(200, [payloads.git_ref(state.urls, repo, r, s) for r, s in found])


@router.route("POST", f"{_GIT}/refs")
def create_ref(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/git/refs."""
    repo = _repo(state, request, write=True)
    ref, sha = request.field("ref"), request.field("sha")
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise ApiError(422, f"{ref} is not a valid ref name.")
    if ref in repo.git.refs:
        raise ApiError(422, "Reference already exists")
    if repo.git.commit(sha) is None:
        raise ApiError(422, "Object does not exist")
    repo.git.refs[ref] = sha
    return Reply(201, payloads.git_ref(state.urls, repo, ref, sha))


@router.route("PATCH", f"{_GIT}/refs/{{ref}}")
def update_ref(state: GitHubState, request: FakeRequest) -> Reply:
    """PATCH /repos/{owner}/{repo}/git/refs/{ref}: force=false must be a fast-forward."""
    repo = _repo(state, request, write=True)
    full = f"refs/{request.params['ref']}"
    sha = request.field("sha")
    if full not in repo.git.refs:
        raise ApiError(422, "Reference does not exist")
    if repo.git.commit(sha) is None:
        raise ApiError(422, "Object does not exist")
    if not request.field("force", False) and not repo.git.is_ancestor(repo.git.refs[full], sha):
        raise ApiError(422, "Update is not a fast forward")
    repo.git.refs[full] = sha
    return Reply(200, payloads.git_ref(state.urls, repo, full, sha))


@router.route("DELETE", f"{_GIT}/refs/{{ref}}")
def delete_ref(state: GitHubState, request: FakeRequest) -> Reply:
    """DELETE /repos/{owner}/{repo}/git/refs/{ref}."""
    repo = _repo(state, request, write=True)
    full = f"refs/{request.params['ref']}"
    if repo.git.refs.pop(full, None) is None:
        raise ApiError(422, "Reference does not exist")
    return Reply(204)
