"""The fake GitHub's state seen as GraphQL objects: graphql-core resolves fields on these."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from testing.gitstore import Blob, Commit, Tree
from testing.state import Issue, Repo, User

if TYPE_CHECKING:
    from testing.core import GitHubState

Info = Any  # graphql-core's GraphQLResolveInfo; resolvers here never look at it


class GraphQLFault(Exception):
    """A field error as GitHub reports it: a message and a `type` (NOT_FOUND, FORBIDDEN, ...)."""

    def __init__(self, kind: str, message: str) -> None:
        """Describe the error."""
        super().__init__(message)
        self.kind = kind


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def _offset(after: str | None) -> int:
    if not after:
        return 0
    return int(base64.b64decode(after).decode().rsplit(":", 1)[1]) + 1


def connection(
    items: list[Any], first: int | None, after: str | None, last: int | None = None
) -> dict[str, Any]:
    """One page of a list as a GraphQL connection (nodes, edges, pageInfo, totalCount)."""
    start = _offset(after)
    if last is not None and first is None:
        start = max(len(items) - last, start)
    size = first if first is not None else (last or len(items))
    page = items[start : start + size]
    end = start + len(page) - 1
    return {
        "totalCount": len(items),
        "nodes": page,
        "edges": [{"cursor": _cursor(start + i), "node": n} for i, n in enumerate(page)],
        "pageInfo": {
            "hasNextPage": start + len(page) < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": _cursor(start) if page else None,
            "endCursor": _cursor(end) if page else None,
        },
    }


def actor(user: User) -> dict[str, Any]:
    """An account as an Actor."""
    kind = {"Bot": "Bot", "Organization": "Organization"}.get(user.type, "User")
    return {"__typename": kind, "login": user.login, "databaseId": user.id}


class OwnerNode:
    """A user or organisation (RepositoryOwner)."""

    def __init__(self, state: GitHubState, user: User) -> None:
        self.state, self.user = state, user
        self.typename = "Organization" if user.type == "Organization" else "User"
        self.login = user.login
        self.id = f"O_{user.id}"

    def repositories(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        isArchived: bool | None = None,
        isFork: bool | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        repos = sorted(
            (r for r in self.state.repos.values() if r.owner is self.user),
            key=lambda r: r.name.lower(),
        )
        repos = [r for r in repos if isArchived is None or r.archived == isArchived]
        repos = [r for r in repos if isFork is None or r.fork == isFork]
        return connection([RepositoryNode(self.state, r) for r in repos], first, after)


class RepositoryNode:
    """A repository."""

    typename = "Repository"

    def __init__(self, state: GitHubState, repo: Repo) -> None:
        self.state, self.repo = state, repo
        self.id = f"R_{repo.id}"
        self.databaseId = repo.id
        self.name = repo.name
        self.nameWithOwner = repo.full_name
        self.isArchived = repo.archived
        self.isFork = repo.fork
        self.isPrivate = repo.private
        self.owner = OwnerNode(state, repo.owner)

    def _guard(self) -> None:
        denied: set[str] = getattr(self.state, "graphql_forbidden", set())
        if self.repo.full_name.lower() in denied:
            msg = f"Resource not accessible by integration ({self.repo.full_name})"
            raise GraphQLFault("FORBIDDEN", msg)

    def repositoryTopics(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        topics = [{"topic": {"name": t}} for t in self.repo.topics]
        return connection(topics, first, after)

    def defaultBranchRef(self, info: Info) -> RefNode | None:
        self._guard()
        return self.ref(info, f"refs/heads/{self.repo.default_branch}")

    def ref(self, info: Info, qualifiedName: str) -> RefNode | None:
        self._guard()
        name = qualifiedName if qualifiedName.startswith("refs/") else f"refs/heads/{qualifiedName}"
        sha = self.repo.git.refs.get(name)
        return RefNode(self, name, sha) if sha else None

    def object(self, info: Info, expression: str | None = None, oid: str | None = None) -> Any:
        self._guard()
        if oid is not None:
            return git_object(self, oid, "")
        rev, _, path = (expression or "").partition(":")
        sha = self.repo.git.resolve(self.repo.default_branch if rev == "HEAD" else rev)
        commit = self.repo.git.commit(sha or "")
        if commit is None or sha is None:
            return None
        if not _ and not path:
            return git_object(self, sha, "")
        return _lookup(self, commit.tree, path)

    def issue(self, info: Info, number: int) -> IssueNode | None:
        self._guard()
        found = self.repo.issues.get(number)
        return IssueNode(self, found) if found is not None and found.pull is None else None

    def pullRequests(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        states: list[str] | None = None,
        orderBy: dict[str, str] | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        self._guard()
        pulls = [i for i in self.repo.issues.values() if i.pull is not None]
        wanted = {s.upper() for s in states or ["OPEN", "CLOSED", "MERGED"]}
        pulls = [p for p in pulls if _pull_state(p) in wanted]
        key = "updated_at" if (orderBy or {}).get("field") == "UPDATED_AT" else "created_at"
        pulls.sort(key=lambda p: (getattr(p, key), p.number))
        if (orderBy or {}).get("direction") == "DESC":
            pulls.reverse()
        return connection([_pull(p) for p in pulls], first, after)

    def issues(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        *,
        last: int | None = None,
        states: list[str] | None = None,
        labels: list[str] | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        self._guard()
        found = sorted(
            (i for i in self.repo.issues.values() if i.pull is None), key=lambda i: i.number
        )
        wanted = {s.upper() for s in states or ["OPEN", "CLOSED"]}
        found = [i for i in found if i.state.upper() in wanted]
        if labels:
            names = {n.lower() for n in labels}
            found = [i for i in found if names & {n.lower() for n in i.labels}]
        return connection([IssueNode(self, i) for i in found], first, after, last)


def _pull_state(issue: Issue) -> str:
    if issue.state == "open":
        return "OPEN"
    return "MERGED" if issue.pull and issue.pull.merged else "CLOSED"


def _pull(issue: Issue) -> dict[str, Any]:
    return {
        "number": issue.number,
        "title": issue.title,
        "isDraft": bool(issue.pull and issue.pull.draft),
        "updatedAt": issue.updated_at,
        "createdAt": issue.created_at,
        "headRefName": issue.pull.head if issue.pull else "",
        "state": _pull_state(issue),
        "author": actor(issue.user),
    }


class IssueNode:
    """An issue with its comments."""

    typename = "Issue"

    def __init__(self, repo: RepositoryNode, issue: Issue) -> None:
        self.repo, self.issue = repo, issue
        self.number = issue.number
        self.databaseId = issue.id
        self.id = f"I_{issue.id}"
        self.title = issue.title
        self.body = issue.body or ""
        self.state = issue.state.upper()
        self.author = actor(issue.user)

    def userContentEdits(
        self, info: Info, first: int | None = None, after: str | None = None, **_: Any
    ) -> dict[str, Any]:
        """The body's versions, newest first, each with its editor and whole text (`diff`)."""
        nodes = [
            {"editedAt": e.at, "diff": e.body, "editor": actor(e.editor)}
            for e in reversed(self.issue.edits)
        ]
        return connection(nodes, first, after)

    def comments(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        found = sorted(
            (c for c in self.repo.repo.comments.values() if c.number == self.issue.number),
            key=lambda c: c.id,
        )
        nodes = [
            {
                "databaseId": c.id,
                "id": f"IC_{c.id}",
                "body": c.body,
                "authorAssociation": c.author_association,
                "author": actor(c.user),
                "createdAt": c.created_at,
            }
            for c in found
        ]
        return connection(nodes, first, after, last)


class RefNode:
    """A branch."""

    typename = "Ref"

    def __init__(self, repo: RepositoryNode, name: str, sha: str) -> None:
        self.repository = repo
        self.prefix = "refs/heads/"
        self.name = name.removeprefix("refs/heads/")
        self.id = f"REF_{sha[:8]}"
        self.target = CommitNode(repo, sha)


def git_object(repo: RepositoryNode, sha: str, path: str) -> Any:
    """A git object by id as the GitObject it is (None when absent)."""
    found = repo.repo.git.objects.get(sha)
    if isinstance(found, Commit):
        return CommitNode(repo, sha)
    if isinstance(found, Tree):
        return TreeNode(repo, sha, path)
    if isinstance(found, Blob):
        return BlobNode(sha, found.data)
    return None


def _lookup(repo: RepositoryNode, tree_sha: str, path: str) -> Any:
    if not path:
        return TreeNode(repo, tree_sha, "")
    for full, entry in repo.repo.git.walk(tree_sha, recursive=True):
        if full == path.strip("/"):
            return git_object(repo, entry.sha, full)
    return None


class CommitNode:
    """A commit, with its tree and its CI results."""

    typename = "Commit"

    def __init__(self, repo: RepositoryNode, sha: str) -> None:
        self.repo, self.oid = repo, sha
        self.id = f"C_{sha[:8]}"
        commit = repo.repo.git.commit(sha)
        self.message = commit.message if commit else ""
        self.tree = TreeNode(repo, commit.tree, "") if commit else None

    def statusCheckRollup(self, info: Info) -> dict[str, Any] | None:
        runs = self.repo.repo.check_runs.get(self.oid, [])
        statuses = self.repo.repo.statuses.get(self.oid, [])
        if not runs and not statuses:
            return None
        contexts: list[dict[str, Any]] = [
            {
                "__typename": "CheckRun",
                "name": r.name,
                "status": r.status.upper(),
                "conclusion": r.conclusion.upper() if r.conclusion else None,
            }
            for r in runs
        ] + [
            {"__typename": "StatusContext", "context": s.context, "state": s.state.upper()}
            for s in statuses
        ]
        failed = any(
            c.get("conclusion") in ("FAILURE", "TIMED_OUT", "CANCELLED")
            or c.get("state") in ("FAILURE", "ERROR")
            for c in contexts
        )
        waiting = any(
            c.get("status") not in (None, "COMPLETED") or c.get("state") == "PENDING"
            for c in contexts
        )
        state = "FAILURE" if failed else "PENDING" if waiting else "SUCCESS"

        def page(
            info: Info, first: int | None = None, after: str | None = None, **_: Any
        ) -> dict[str, Any]:
            return connection(contexts, first, after)

        return {"state": state, "contexts": page, "id": f"SCR_{self.oid[:8]}"}


class TreeNode:
    """A directory."""

    typename = "Tree"

    def __init__(self, repo: RepositoryNode, sha: str, path: str) -> None:
        self.repo, self.oid, self.path = repo, sha, path
        self.id = f"T_{sha[:8]}"

    def entries(self, info: Info) -> list[dict[str, Any]]:
        tree = self.repo.repo.git.tree(self.oid)
        prefix = f"{self.path}/" if self.path else ""
        return [
            {
                "name": e.name,
                "path": f"{prefix}{e.name}",
                "type": e.type,
                "mode": int(e.mode, 8),
                "oid": e.sha,
                "object": git_object(self.repo, e.sha, f"{prefix}{e.name}"),
            }
            for e in (tree.entries if tree else ())
        ]


# The most of a blob that GraphQL returns as `text`, in bytes.
BLOB_TEXT_LIMIT = 512_000


class BlobNode:
    """A file's content."""

    typename = "Blob"

    def __init__(self, sha: str, data: bytes) -> None:
        self.oid = sha
        self.id = f"B_{sha[:8]}"
        self.byteSize = len(data)
        # GitHub cuts `text` at 512,000 bytes and says so (the REST blob API has the rest).
        self.isTruncated = len(data) > BLOB_TEXT_LIMIT
        try:
            data.decode("utf-8")
            self.text: str | None = data[:BLOB_TEXT_LIMIT].decode("utf-8", errors="ignore")
            self.isBinary = False
        except UnicodeDecodeError:
            self.text, self.isBinary = None, True
