"""JSON bodies for accounts, repositories and git data, shaped like GitHub's REST answers."""

from __future__ import annotations

import base64
import zlib
from typing import Any
from urllib.parse import quote

from testing.gitstore import Commit, Entry, GitStore, Signature
from testing.state import Repo, User

Body = dict[str, Any]

# Repository URL fields and their suffix below /repos/{owner}/{repo}, as GitHub lists them.
_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


class Urls:
    """Absolute URLs of the fake, for the API and for the web pages."""

    def __init__(self, api: str, web: str) -> None:
        """Remember both roots.

        Args:
            api: The REST root, e.g. https://api.github.test (no trailing slash).
            web: The web root, e.g. https://github.test.
        """
        self.api_root = api.rstrip("/")
        self.web_root = web.rstrip("/")

    def api(self, path: str) -> str:
        """An API URL for a path starting with /."""
        return f"{self.api_root}{path}"

    def web(self, path: str) -> str:
        """A web URL for a path starting with /."""
        return f"{self.web_root}{path}"

    def repo(self, repo: Repo, path: str = "") -> str:
        """An API URL below /repos/{owner}/{repo}."""
        return self.api(f"/repos/{repo.full_name}{path}")


def node_id(kind: str, number: int) -> str:
    """A stable opaque GraphQL node id."""
    return base64.b64encode(f"0:{kind}{number}".encode()).decode().rstrip("=")


def user(urls: Urls, who: User) -> Body:
    """A simple-user."""
    base = urls.api(f"/users/{who.login}")
    return {
        "login": who.login,
        "id": who.id,
        "node_id": node_id("User", who.id),
        "avatar_url": f"{urls.web_root}/avatars/u/{who.id}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": urls.web(f"/{quote(who.login)}"),
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": who.type,
        "user_view_type": "public",
        "site_admin": False,
    }


def account(urls: Urls, who: User, repo_count: int, created_at: str) -> Body:
    """A public-user (GET /users/{username})."""
    profile = dict.fromkeys(("name", "company", "blog", "location", "email", "hireable", "bio"))
    counts = {"public_repos": repo_count, "public_gists": 0, "followers": 0, "following": 0}
    dates = {"created_at": created_at, "updated_at": created_at}
    return {**user(urls, who), **profile, **counts, **dates}


def organization(urls: Urls, org: User, repo_count: int, created_at: str) -> Body:
    """An organization-full (GET /orgs/{org})."""
    base = urls.api(f"/orgs/{org.login}")
    return {
        "login": org.login,
        "id": org.id,
        "node_id": node_id("Organization", org.id),
        "url": base,
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events",
        "hooks_url": f"{base}/hooks",
        "issues_url": f"{base}/issues",
        "members_url": f"{base}/members{{/member}}",
        "public_members_url": f"{base}/public_members{{/member}}",
        "avatar_url": f"{urls.web_root}/avatars/u/{org.id}?v=4",
        "description": None,
        "has_organization_projects": True,
        "has_repository_projects": True,
        "public_repos": repo_count,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "html_url": urls.web(f"/{org.login}"),
        "type": "Organization",
        "created_at": created_at,
        "updated_at": created_at,
        "archived_at": None,
    }


def repository(urls: Urls, repo: Repo, pushed_at: str) -> Body:
    """A full-repository; it also satisfies repository and minimal-repository."""
    base = urls.repo(repo)
    host = urls.web_root.split("://", 1)[-1]
    open_count = sum(1 for i in repo.issues.values() if i.state == "open")
    counts = ("forks_count", "stargazers_count", "watchers_count", "size", "forks", "watchers")
    return {
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": user(urls, repo.owner),
        "private": repo.private,
        "visibility": "private" if repo.private else "public",
        "html_url": urls.web(f"/{repo.full_name}"),
        "description": repo.description,
        "fork": repo.fork,
        "url": base,
        **{key: f"{base}{suffix}" for key, suffix in _REPO_URLS.items()},
        "git_url": f"git://{host}/{repo.full_name}.git",
        "ssh_url": f"git@{host}:{repo.full_name}.git",
        "clone_url": urls.web(f"/{repo.full_name}.git"),
        "svn_url": urls.web(f"/{repo.full_name}"),
        "mirror_url": None,
        "homepage": None,
        "language": None,
        **dict.fromkeys(counts, 0),
        "default_branch": repo.default_branch,
        "open_issues_count": open_count,
        "open_issues": open_count,
        "topics": list(repo.topics),
        "is_template": False,
        **dict.fromkeys(("has_issues", "has_projects", "has_wiki", "has_downloads"), True),
        "has_pages": False,
        "has_discussions": False,
        "archived": repo.archived,
        "disabled": False,
        "pushed_at": pushed_at,
        "created_at": repo.created_at,
        "updated_at": pushed_at,
        "permissions": {
            "admin": False,
            "maintain": False,
            "push": True,
            "triage": True,
            "pull": True,
        },
        "allow_forking": True,
        "allow_auto_merge": repo.allow_auto_merge,
        "web_commit_signoff_required": False,
        "subscribers_count": 0,
        "network_count": 0,
        "license": None,
    }


def signature(who: Signature) -> Body:
    """A git author or committer."""
    return {"name": who.name, "email": who.email, "date": who.date}


def parents(urls: Urls, repo: Repo, commit: Commit, *, git: bool) -> list[Body]:
    """Parent links of a commit, in the git data or the commits API flavour."""
    where = "/git/commits/" if git else "/commits/"
    return [
        {
            "sha": sha,
            "url": urls.repo(repo, f"{where}{sha}"),
            "html_url": urls.web(f"/{repo.full_name}/commit/{sha}"),
        }
        for sha in commit.parents
    ]


_UNSIGNED = {
    "verified": False,
    "reason": "unsigned",
    "signature": None,
    "payload": None,
    "verified_at": None,
}


def git_commit(urls: Urls, repo: Repo, sha: str, commit: Commit) -> Body:
    """A git-commit (git data API)."""
    return {
        "sha": sha,
        "node_id": node_id("Commit", int(sha[:8], 16)),
        "url": urls.repo(repo, f"/git/commits/{sha}"),
        "html_url": urls.web(f"/{repo.full_name}/commit/{sha}"),
        "author": signature(commit.author),
        "committer": signature(commit.committer),
        "message": commit.message,
        "tree": {"sha": commit.tree, "url": urls.repo(repo, f"/git/trees/{commit.tree}")},
        "parents": parents(urls, repo, commit, git=True),
        "verification": dict(_UNSIGNED),
    }


def commit(urls: Urls, repo: Repo, sha: str, found: Commit) -> Body:
    """A commit (commits API: GET /repos/{owner}/{repo}/commits/{ref})."""
    inner = git_commit(urls, repo, sha, found)
    return {
        "sha": sha,
        "node_id": inner["node_id"],
        "url": urls.repo(repo, f"/commits/{sha}"),
        "html_url": inner["html_url"],
        "comments_url": urls.repo(repo, f"/commits/{sha}/comments"),
        "commit": {
            "url": inner["url"],
            "author": inner["author"],
            "committer": inner["committer"],
            "message": found.message,
            "comment_count": 0,
            "tree": inner["tree"],
            "verification": inner["verification"],
        },
        "author": {},
        "committer": {},
        "parents": parents(urls, repo, found, git=False),
    }


def git_ref(urls: Urls, repo: Repo, ref: str, sha: str) -> Body:
    """A git-ref."""
    return {
        "ref": ref,
        "node_id": node_id("Ref", zlib.crc32(f"{repo.full_name}:{ref}".encode())),
        "url": urls.repo(repo, f"/git/{quote(ref)}"),
        "object": {"type": "commit", "sha": sha, "url": urls.repo(repo, f"/git/commits/{sha}")},
    }


def tree_entry(urls: Urls, repo: Repo, git: GitStore, path: str, entry: Entry) -> Body:
    """One entry of a git-tree."""
    body: Body = {"path": path, "mode": entry.mode, "type": entry.type, "sha": entry.sha}
    if entry.type == "blob":
        data = git.objects[entry.sha]
        body["size"] = len(getattr(data, "data", b""))
        body["url"] = urls.repo(repo, f"/git/blobs/{entry.sha}")
    elif entry.type == "tree":
        body["url"] = urls.repo(repo, f"/git/trees/{entry.sha}")
    return body


def git_tree(urls: Urls, repo: Repo, sha: str, *, recursive: bool) -> Body:
    """A git-tree, listed recursively or not."""
    entries = repo.git.walk(sha, recursive=recursive)
    return {
        "sha": sha,
        "url": urls.repo(repo, f"/git/trees/{sha}"),
        "truncated": False,
        "tree": [tree_entry(urls, repo, repo.git, path, entry) for path, entry in entries],
    }


def encoded(data: bytes) -> str:
    """Base64 with a newline every 60 characters, as GitHub sends file content."""
    flat = base64.b64encode(data).decode()
    return "".join(f"{flat[i : i + 60]}\n" for i in range(0, len(flat), 60))


def blob(urls: Urls, repo: Repo, sha: str, data: bytes) -> Body:
    """A blob."""
    return {
        "sha": sha,
        "node_id": node_id("Blob", int(sha[:8], 16)),
        "url": urls.repo(repo, f"/git/blobs/{sha}"),
        "size": len(data),
        "content": encoded(data),
        "encoding": "base64",
    }


# The largest file the contents API returns with its content (1 MB).
CONTENTS_LIMIT = 1024 * 1024


def content(
    urls: Urls, repo: Repo, *, ref: str, path: str, entry: Entry, data: bytes | None
) -> Body:
    """A content-file (with content) or a directory listing item (without)."""
    kind = {"blob": "file", "tree": "dir", "commit": "submodule"}[entry.type]
    where = "blob" if kind == "file" else "tree"
    self_url = urls.repo(repo, f"/contents/{quote(path)}?ref={quote(ref, safe='')}")
    git_url = urls.repo(repo, f"/git/{'blobs' if kind == 'file' else 'trees'}/{entry.sha}")
    html_url = urls.web(f"/{repo.full_name}/{where}/{ref}/{path}")
    body: Body = {
        "type": kind,
        "size": len(data) if data is not None else 0,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": entry.sha,
        "url": self_url,
        "git_url": git_url,
        "html_url": html_url,
        "download_url": urls.web(f"/raw/{repo.full_name}/{ref}/{path}") if kind == "file" else None,
        "_links": {"self": self_url, "git": git_url, "html": html_url},
    }
    if data is not None and len(data) > CONTENTS_LIMIT:
        # GitHub serves a file of 1-100 MB here without its content; the blob API has it.
        body |= {"content": "", "encoding": "none"}
    elif data is not None:
        body |= {"content": encoded(data), "encoding": "base64"}
    return body
