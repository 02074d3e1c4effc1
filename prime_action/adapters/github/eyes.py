"""Remote eyes: one recursive tree listing, the files detectors want, CI status, open PRs."""

from __future__ import annotations

from datetime import UTC, datetime

from github.PullRequest import PullRequest
from github.Repository import Repository

from prime_action.adapters.github.ci_eyes import CiEyes
from prime_action.adapters.github.client import GitHubClient, read_blob
from prime_action.adapters.github.graphql import GraphQL
from prime_action.adapters.github.org_queries import files_query, home_paths
from prime_action.brain.prompt import IDENTITY_DOCS
from prime_action.config.models import RepoConfig
from prime_action.domain.ci import CiMemory
from prime_action.domain.errors import GitHubError
from prime_action.eyes import wanted_files
from prime_action.repo.identity import IDENTITY_FILES, identity_hash
from prime_action.signals.base import CiStatus, PullRequestInfo, RepoSnapshot

FAILED = frozenset({"failure", "timed_out", "cancelled", "action_required", "startup_failure"})


class RemoteEyes:
    """Builds a RepoSnapshot of a repository's default branch through the API."""

    def __init__(
        self,
        client: GitHubClient,
        repo: str,
        default_branch: str,
        graphql_url: str | None = None,
        ci_memory: CiMemory | None = None,
    ) -> None:
        self._client = client
        self._gql = GraphQL(client, graphql_url)
        self._name = repo
        self._repo: Repository = client.github.get_repo(repo)
        self._branch = default_branch
        self._shas: dict[str, str] = {}
        self._open: list[PullRequest] | None = None
        # What the state remembers of CI: a failing head already read is not read again.
        self._ci_eyes = CiEyes(client, self._repo, default_branch, ci_memory)

    @property
    def repository(self) -> Repository:
        """The repository as PyGithub knows it (read once)."""
        return self._repo

    def identity(self) -> str:
        """Hash of the identity files' blob SHAs from the last listing (no extra request)."""
        return identity_hash({p: self._shas[p] for p in IDENTITY_FILES if p in self._shas})

    def identity_docs(self) -> dict[str, str]:
        """CLAUDE.md and AGENTS.md from the last listing, for the LLM prompt: a read each."""
        return {p: self._blob(self._shas[p]) for p in IDENTITY_DOCS if p in self._shas}

    def snapshot(self, config: RepoConfig, now: datetime) -> RepoSnapshot:
        """Everything the detectors need in 5 requests (4 when no file is wanted), whatever the
        number of wanted files: their blobs come in one GraphQL query."""
        tree = self._client.read(
            "list the repository tree",
            lambda: self._repo.get_git_tree(self._branch, recursive=True),
        )
        blobs = {e.path: e.sha for e in tree.tree if e.type == "blob"}
        self._shas = blobs
        paths = tuple(sorted(blobs))
        files, org_paths = self._texts(blobs, sorted(wanted_files(paths, config)))
        return RepoSnapshot(paths=paths, files=files, ci=self._ci(), open_prs=self._pulls(),
                            now=now, remote=True, org_paths=org_paths)  # fmt: skip

    def _texts(
        self, blobs: dict[str, str], paths: list[str]
    ) -> tuple[dict[str, str], tuple[str, ...]]:
        """The texts of `paths` in one GraphQL query by blob id (a cut one read over REST), and
        in the same query the paths of the owner's `.github` repository (its defaults)."""
        owner = self._name.split("/", 1)[0]
        batch = [(self._name, [blobs[p] for p in paths])]
        text, variables = files_query(batch, with_pulls=False, home=owner)
        answer = self._gql.query(f"read {len(paths)} files of {self._name}", text, variables)
        problem = answer.problem_at("r0")
        if problem is not None:
            msg = f"read the files of {self._name}: {problem.type}: {problem.message}"
            raise GitHubError(msg, status=404 if problem.type == "NOT_FOUND" else 403)
        node = answer.data.get("r0") or {}
        texts = {
            path: self._gql.whole_text(self._name, node.get(f"f{n}")) or ""
            for n, path in enumerate(paths)
        }
        # No `.github` repository (NOT_FOUND at `home`) is the common case: no defaults.
        return texts, home_paths(answer.data.get("home"))

    def _blob(self, sha: str) -> str:
        return read_blob(self._client, self._repo, sha, "read a file")

    def _ci(self) -> CiStatus:
        commit = self._repo.get_commit(self._branch)
        runs = self._client.read("read check runs", lambda: list(commit.get_check_runs()))
        status = self._client.read("read commit status", commit.get_combined_status)
        failed = [r for r in runs if r.conclusion in FAILED]
        contexts = sorted({s.context for s in status.statuses if s.state in ("failure", "error")})
        failing = sorted({r.name for r in failed} | set(contexts))
        waiting = status.state == "pending" and bool(status.statuses)
        pending = waiting or any(r.status != "completed" for r in runs)
        seen = bool(runs or status.statuses)
        state = "failure" if failing else "pending" if pending else "success" if seen else "none"
        sha = status.sha or ""
        # Only a failing head costs more reads (and only once per SHA and failing checks).
        evidence = self._ci_eyes.read(sha, failed, contexts) if failing else None
        return CiStatus(state=state, sha=sha, failing=tuple(failing), evidence=evidence)

    def open_pulls(self) -> list[PullRequest]:
        """The open pull requests as listed (once per run: the PR hygiene reads them too)."""
        if self._open is None:
            self._open = self._client.read(
                "list open pull requests", lambda: list(self._repo.get_pulls(state="open"))
            )
        return self._open

    def forget_pulls(self, numbers: tuple[int, ...]) -> None:
        """Drop PRs merged since the listing (the PR poll's): they are open no more."""
        if self._open is not None and numbers:
            self._open = [p for p in self._open if p.number not in numbers]

    def _pulls(self) -> tuple[PullRequestInfo, ...]:
        pulls = self.open_pulls()
        return tuple(
            PullRequestInfo(
                number=p.number,
                title=p.title,
                author=p.user.login if p.user else "",
                updated_at=(p.updated_at or p.created_at).astimezone(UTC),
                draft=bool(p.draft),
                by_prime=p.head.ref.startswith("prime/"),
            )
            for p in pulls
        )
