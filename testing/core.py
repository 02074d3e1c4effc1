"""The fake GitHub's world and the helpers tests use to arrange and inspect it."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import yaml

from testing.gitstore import Signature
from testing.graphql_automerge import merge_ready
from testing.merging import merge_pull
from testing.payloads import Urls
from testing.router import ApiError
from testing.state import (
    CheckRun,
    Clock,
    Comment,
    CommitStatus,
    Dispatch,
    Edit,
    Ids,
    Issue,
    Label,
    PullFields,
    Repo,
    RepositoryDispatch,
    User,
    iso,
)

WORKFLOWS_DIR = ".github/workflows/"
RATE_LIMIT = 5000


class GitHubState:
    """Repositories, accounts and recorded side effects, without any HTTP machinery."""

    def __init__(
        self,
        base_url: str = "https://api.github.test",
        server_url: str = "https://github.test",
        actor: str = "github-actions[bot]",
        actor_association: str = "NONE",
        clock: Clock | None = None,
    ) -> None:
        """Create an empty GitHub.

        Args:
            base_url: The REST root the client is configured with (GITHUB_API_URL).
            server_url: The web root used in html_url fields (GITHUB_SERVER_URL).
            actor: The login that API writes are attributed to (the token's identity).
            actor_association: That actor's author_association on what it writes.
            clock: Where timestamps come from (default: a deterministic Clock).
        """
        self.urls = Urls(base_url, server_url)
        self.clock = clock or Clock()
        self.ids = Ids()
        self.repos: dict[str, Repo] = {}
        self.accounts: dict[str, User] = {}
        self.actor = self.account(actor, "Bot" if actor.endswith("[bot]") else "User")
        self.actor_association = actor_association
        self.dispatches: list[Dispatch] = []
        self.repository_dispatches: list[RepositoryDispatch] = []
        self.rate_used = 0
        self.created_at = self.timestamp()

    # -- lookups the handlers share ------------------------------------------------------

    def timestamp(self) -> str:
        """The current time, formatted like the API."""
        return iso(self.clock())

    def now(self) -> datetime:
        """The current time."""
        return self.clock()

    def account(self, login: str, kind: str = "User") -> User:
        """Find or create an account by login (case-insensitive, like GitHub)."""
        key = login.lower()
        if key not in self.accounts:
            self.accounts[key] = User(login, self.ids(), kind)
        return self.accounts[key]

    def repo(self, owner: str, name: str) -> Repo:
        """Find a repository or answer 404."""
        found = self.repos.get(f"{owner}/{name}".lower())
        if found is None:
            raise ApiError(404)
        return found

    def writable(self, owner: str, name: str) -> Repo:
        """Find a repository that accepts writes: archived ones answer 403."""
        found = self.repo(owner, name)
        if found.archived:
            raise ApiError(403, "Repository was archived so is read-only.")
        return found

    def signature(self) -> Signature:
        """The actor as a git author, dated now."""
        return Signature(
            self.actor.login, f"{self.actor.id}+{self.actor.login}@users.noreply", self.timestamp()
        )

    def issue(self, repo: Repo, number: str | int) -> Issue:
        """Find an issue or pull request by number, or answer 404."""
        found = repo.issues.get(int(number))
        if found is None:
            raise ApiError(404)
        return found

    def ensure_label(self, repo: Repo, name: str) -> Label:
        """Find a label, creating it (grey, like GitHub does when an issue uses a new name)."""
        found = repo.label(name)
        if found is None:
            found = repo.labels[name.lower()] = Label(self.ids(), name)
        return found

    def pushed_at(self, repo: Repo) -> str:
        """When the default branch last moved (the date of its head commit)."""
        head = repo.git.commit(repo.head() or "")
        return head.committer.date if head else repo.created_at

    def workflows(self, repo: Repo) -> dict[int, tuple[str, dict[str, Any]]]:
        """Workflows of the default branch: id -> (path, parsed YAML), like GitHub lists them."""
        head = repo.git.commit(repo.head() or "")
        found: dict[int, tuple[str, dict[str, Any]]] = {}
        for path, entry in repo.git.files(head.tree).items() if head else ():
            if path.startswith(WORKFLOWS_DIR) and path.endswith((".yml", ".yaml")):
                text = repo.git.read(repo.head() or "", path) or b""
                parsed = yaml.safe_load(text) if entry.type == "blob" else None
                if isinstance(parsed, dict) and True in parsed:
                    parsed["on"] = parsed.pop(True)  # YAML 1.1 reads a bare `on` as true
                workflow_id = 10_000_000 + zlib.crc32(f"{repo.full_name}/{path}".encode()) % 10**7
                found[workflow_id] = (path, parsed if isinstance(parsed, dict) else {})
        return found

    # -- arranging a scenario ------------------------------------------------------------

    def add_repo(
        self,
        full_name: str,
        files: Mapping[str, str | bytes] | None = None,
        default_branch: str = "main",
        *,
        private: bool = False,
        archived: bool = False,
        fork: bool = False,
        topics: Iterable[str] = (),
        description: str | None = None,
        owner_type: str = "Organization",
    ) -> Repo:
        """Create a repository whose default branch holds `files` in one commit.

        Args:
            full_name: `owner/name`.
            files: Path -> content of the first commit (default: a README).
            default_branch: The default branch's name.
            private: Repository flags, as GitHub reports them.
            archived: An archived repository answers 403 to writes.
            fork: Whether it is a fork.
            topics: Repository topics.
            description: Repository description.
            owner_type: `Organization` or `User`, for the owner account.

        Returns:
            The repository state (tests may inspect or tweak it).
        """
        owner, name = full_name.split("/")
        repo = Repo(
            id=self.ids(),
            owner=self.account(owner, owner_type),
            name=name,
            default_branch=default_branch,
            created_at=self.timestamp(),
            private=private,
            archived=archived,
            fork=fork,
            topics=list(topics),
            description=description,
        )
        self.repos[full_name.lower()] = repo
        initial = dict(files) if files is not None else {"README.md": f"# {name}\n"}
        self.push(full_name, initial, message="Initial commit")
        return repo

    def push(
        self,
        full_name: str,
        files: Mapping[str, str | bytes | None],
        branch: str | None = None,
        message: str = "Update files",
        author: str = "octocat",
    ) -> str:
        """Commit on a branch as a human would push (None deletes a path); return the sha.

        Args:
            full_name: `owner/name`.
            files: Path -> new content, or None to delete.
            branch: The branch (default: the default branch); a missing one starts from the
                default branch.
            message: The commit message.
            author: The pusher's login.

        Returns:
            The new commit's sha.
        """
        repo = self.repos[full_name.lower()]
        branch = branch or repo.default_branch
        who = Signature(author, f"{author}@users.noreply", self.timestamp())
        parent = repo.head(branch) or repo.head()
        sha = repo.git.write(parent, dict(files), message, who)
        repo.git.refs[f"refs/heads/{branch}"] = sha
        return sha

    def add_issue(
        self,
        full_name: str,
        title: str,
        body: str | None = "",
        *,
        labels: Iterable[str] = (),
        user: str = "octocat",
        author_association: str = "OWNER",
        state: str = "open",
    ) -> int:
        """Open an issue as a person would (its labels are created as needed); return its number."""
        repo = self.repos[full_name.lower()]
        return self.open_issue(
            repo,
            title,
            body,
            labels=list(labels),
            user=self.account(user),
            association=author_association,
            state=state,
        ).number

    def open_issue(
        self,
        repo: Repo,
        title: str,
        body: str | None,
        *,
        labels: list[str],
        user: User,
        association: str,
        pull: PullFields | None = None,
        state: str = "open",
    ) -> Issue:
        """Create an issue or pull request with the next number of the repository."""
        at = self.timestamp()
        names = [self.ensure_label(repo, name).name for name in dict.fromkeys(labels)]
        found = Issue(
            self.ids(),
            repo.next_number(),
            title,
            body,
            user,
            association,
            at,
            at,
            labels=names,
            pull=pull,
        )
        if state == "closed":
            found.state, found.state_reason, found.closed_at = "closed", "completed", at
        repo.issues[found.number] = found
        return found

    def add_comment(
        self,
        full_name: str,
        number: int,
        body: str,
        user: str = "octocat",
        author_association: str = "OWNER",
    ) -> int:
        """Comment on an issue or pull request as a person would; return the comment id."""
        repo = self.repos[full_name.lower()]
        return self.write_comment(repo, number, body, self.account(user), author_association).id

    def edit_body(self, found: Issue, body: str | None, editor: User) -> None:
        """Replace an issue's body, keeping the version history GitHub keeps for edits."""
        if body == found.body:
            return
        at = self.timestamp()
        if not found.edits:
            found.edits.append(Edit(found.user, found.body or "", found.created_at))
        found.edits.append(Edit(editor, body or "", at))
        found.body, found.updated_at = body, at

    def person_edits(self, full_name: str, number: int, body: str, user: str = "octocat") -> None:
        """Edit an issue's body as a person (or a bot, `name[bot]`) would in the web editor."""
        repo = self.repos[full_name.lower()]
        kind = "Bot" if user.endswith("[bot]") else "User"
        self.edit_body(self.issue(repo, number), body, self.account(user, kind))

    def review(self, full_name: str, number: int, login: str, verdict: str = "APPROVED") -> None:
        """A person reviews a pull request (APPROVED, CHANGES_REQUESTED or COMMENTED)."""
        found = self.issue(self.repos[full_name.lower()], number)
        if found.pull is None:
            msg = f"#{number} is no pull request"
            raise ValueError(msg)
        found.pull.reviews.append((login, verdict, self.ids()))

    def write_comment(
        self, repo: Repo, number: int, body: str, user: User, association: str
    ) -> Comment:
        """Store a comment and bump the issue's updated_at, like GitHub."""
        found = self.issue(repo, number)
        at = self.timestamp()
        created = Comment(self.ids(), number, body, user, association, at, at)
        repo.comments[created.id] = created
        found.updated_at = at
        return created

    def add_pull(
        self,
        full_name: str,
        head: str,
        *,
        title: str = "A change",
        body: str | None = "",
        base: str | None = None,
        user: str = "octocat",
        labels: Iterable[str] = (),
    ) -> int:
        """Open a pull request from an existing branch as a person would; return its number."""
        repo = self.repos[full_name.lower()]
        base = base or repo.default_branch
        fields = PullFields(head, base, repo.head(head) or "", repo.head(base) or "")
        return self.open_issue(
            repo,
            title,
            body,
            labels=list(labels),
            user=self.account(user),
            association="OWNER",
            pull=fields,
        ).number

    def set_ci(
        self,
        full_name: str,
        state: str | None = None,
        *,
        failing: Iterable[str] = (),
        checks: Iterable[str] = ("build", "test"),
        statuses: Mapping[str, str] | None = None,
        ref: str | None = None,
    ) -> str:
        """Replace the CI results of a commit (default: the default branch's head).

        Args:
            full_name: `owner/name`.
            state: `success`, `failure` (all checks fail unless `failing` names some) or
                `pending` (checks in progress); by default `failure` when `failing` names
                checks, else `success`.
            failing: Check names that fail while the others succeed.
            checks: The check run names.
            statuses: Commit statuses, context -> state (error|failure|pending|success).
            ref: A branch, tag or sha.

        Returns:
            The commit sha the results were attached to.
        """
        failing = set(failing)
        state = state or ("failure" if failing else "success")
        if failing and state != "failure":
            # Failing checks make a failing commit: `success` with them was a red CI that the
            # caller believed green (the simulation's merges did this).
            msg = f"set_ci({full_name!r}, {state!r}) with failing checks {sorted(failing)}"
            raise ValueError(msg)
        repo = self.repos[full_name.lower()]
        sha = repo.git.resolve(ref or repo.default_branch) or ""
        failing = failing or (set(checks) if state == "failure" else set())
        runs = []
        for name in [*checks, *sorted(failing - set(checks))]:
            at = self.timestamp()
            done = state != "pending"
            conclusion = ("failure" if name in failing else "success") if done else None
            status = "completed" if done else "in_progress"
            runs.append(
                CheckRun(self.ids(), name, sha, status, conclusion, at, at if done else None)
            )
        repo.check_runs[sha] = runs
        at = self.timestamp()
        repo.statuses[sha] = [
            CommitStatus(self.ids(), context, value, None, at)
            for context, value in (statuses or {}).items()
        ]
        merge_ready(self, repo)  # GitHub's auto-merge acts as the checks finish
        return sha

    def merge(self, full_name: str, number: int, user: str = "octocat") -> str:
        """A person merges a pull request in the web UI: a merge commit on its base, and the
        issues its body names with a closing keyword closed as completed; return the sha."""
        repo = self.repos[full_name.lower()]
        return merge_pull(self, repo, self.issue(repo, number), self.account(user))

    def close(
        self, full_name: str, number: int, reason: str = "completed", user: str = "octocat"
    ) -> None:
        """A person closes an issue (`completed` or `not_planned`) or a pull request unmerged."""
        found = self.issue(self.repos[full_name.lower()], number)
        at = self.timestamp()
        found.state, found.closed_at, found.updated_at = "closed", at, at
        found.state_reason = None if found.pull else reason
        found.closed_by = self.account(user)

    # -- inspecting the outcome ----------------------------------------------------------

    def issues(self, full_name: str) -> list[Issue]:
        """Every issue (not pull request) of a repository, by number."""
        repo = self.repos[full_name.lower()]
        return [i for _, i in sorted(repo.issues.items()) if i.pull is None]

    def pulls(self, full_name: str) -> list[Issue]:
        """Every pull request of a repository, by number."""
        repo = self.repos[full_name.lower()]
        return [i for _, i in sorted(repo.issues.items()) if i.pull is not None]

    def comments(self, full_name: str, number: int) -> list[Comment]:
        """The comments of an issue or pull request, oldest first."""
        repo = self.repos[full_name.lower()]
        return [c for c in repo.comments.values() if c.number == number]

    def read(self, full_name: str, path: str, ref: str | None = None) -> str | None:
        """A file's text on a branch, tag or sha (default branch by default), or None."""
        repo = self.repos[full_name.lower()]
        sha = repo.git.resolve(ref or repo.default_branch)
        data = repo.git.read(sha, path) if sha else None
        return data.decode() if data is not None else None

    def ref(self, full_name: str, name: str) -> str | None:
        """The sha a branch, tag or full ref points at, or None."""
        repo = self.repos[full_name.lower()]
        return repo.git.resolve(name)

    def label_issue(self, full_name: str, number: int, name: str) -> None:
        """Put a label on an issue as a human would (the label is created if need be)."""
        repo = self.repos[full_name.lower()]
        self.ensure_label(repo, name)
        found = repo.issues[number]
        if name not in found.labels:
            found.labels.append(name)

    def delete_branch(self, full_name: str, branch: str) -> None:
        """Delete a branch as a human (or a cleanup bot) would; its commits stay."""
        repo = self.repos[full_name.lower()]
        del repo.git.refs[f"refs/heads/{branch}"]
