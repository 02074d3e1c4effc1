"""The PR boundary's host over PyGithub: branches, file texts, commits and pull requests."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from github import InputGitTreeElement
from github.GitCommit import GitCommit
from github.GitRef import GitRef
from github.GitTree import GitTree
from github.PullRequest import PullRequest
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient, is_missing, read_blob
from prime_action.adapters.github.graphql import GraphQL
from prime_action.config.loader import parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.domain.errors import ConflictError, GitHubError
from prime_action.fileops.fixes import content_files
from prime_action.growth.implement import contract_rails
from prime_action.growth.seed import SEED_PATH, parse_seed
from prime_action.runners.boundary import BoundaryError, Pull
from prime_action.runners.fileops import RepoListing
from prime_action.runners.guardrails import PullInfo

CONFIG_PATH = ".github/prime.yml"
RECENT_PULLS = 100  # one page: enough for the hourly rate and the open PRs Prime compares
NOT_PERMITTED = "not permitted to create or approve pull requests"
ACTIONS_SETTING = (
    "GitHub does not let GitHub Actions open pull requests in {repo}: enable Settings > "
    "Actions > General > Workflow permissions > 'Allow GitHub Actions to create and approve "
    "pull requests' (in the organisation's settings first, if it is greyed out there), or give "
    "the runner a GitHub App token (PRIME_TOKEN); the branch {branch} was pushed and waits"
)


class GitHubPulls:
    """One repository as the PR boundary's host."""

    def __init__(self, client: GitHubClient, repo: str) -> None:
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self._name = repo
        self._default: tuple[str, str] | None = None
        self._config: RepoConfig | None = None

    def default_branch(self) -> tuple[str, str]:
        """The default branch and its head (two requests, once per run)."""
        if self._default is None:
            name = self._client.read(f"read {self._name}", lambda: self._repo.default_branch)
            head = self.branch_head(name)
            if head is None:
                msg = f"{self._name} has no commit on {name}; nothing to propose against"
                raise GitHubError(msg, status=404)
            self._default = (name, head)
        return self._default

    def branch_head(self, branch: str) -> str | None:
        """A branch's head sha, or None."""

        def fetch() -> str:
            return str(self._repo.get_git_ref(f"heads/{branch}").object.sha)

        try:
            return self._client.read(f"read branch {branch}", fetch)
        except GitHubError as e:
            if is_missing(e):
                return None
            raise

    def files_at(self, sha: str, paths: tuple[str, ...]) -> dict[str, str | None]:
        """The text of each path at a commit: one tree listing plus one request per file."""
        tree = self._client.read(
            "list a tree", lambda: self._repo.get_git_tree(sha, recursive=True)
        )
        blobs = {e.path: e.sha for e in tree.tree if e.type == "blob"}
        return {path: self._blob(blobs[path]) if path in blobs else None for path in paths}

    def _blob(self, sha: str) -> str:
        return read_blob(self._client, self._repo, sha, "read a file")

    def commit(
        self, branch: str, parent: str, files: Mapping[str, str], message: str, *, create: bool
    ) -> str:
        """Commit on `parent`, then create the branch or fast-forward it (never force)."""
        base = self._client.read("read parent", lambda: self._repo.get_git_commit(parent))
        sha = self._new_commit(branch, base.tree, [base], files, message)
        if create:
            ref = f"refs/heads/{branch}"
            self._ref_write(branch, "create", lambda: self._repo.create_git_ref(ref, sha))
        else:
            self._move(branch, sha)
        return sha

    def merge_commit(
        self, branch: str, head: str, base: str, files: Mapping[str, str], message: str
    ) -> str:
        """Commit `files` over `base`'s tree with parents (head, base); fast-forward `branch`."""
        ours = self._client.read("read the head", lambda: self._repo.get_git_commit(head))
        theirs = self._client.read("read the base", lambda: self._repo.get_git_commit(base))
        sha = self._new_commit(branch, theirs.tree, [ours, theirs], files, message)
        self._move(branch, sha)
        return sha

    def _new_commit(
        self,
        branch: str,
        tree: GitTree,
        parents: list[GitCommit],
        files: Mapping[str, str],
        message: str,
    ) -> str:
        """A commit of `files` over `tree` with these parents (no ref moves)."""
        elements = [
            InputGitTreeElement(path, "100644", "blob", content=text)
            for path, text in sorted(files.items())
        ]
        made = self._client.repeatable(
            f"write {branch} tree", lambda: self._repo.create_git_tree(elements, tree)
        )
        commit = self._client.repeatable(
            f"write {branch} commit", lambda: self._repo.create_git_commit(message, made, parents)
        )
        return str(commit.sha)

    def _move(self, branch: str, sha: str) -> None:
        ref = self._client.read(f"read {branch}", lambda: self._loaded_ref(branch))
        self._ref_write(branch, "move", lambda: ref.edit(sha, force=False))

    def _ref_write(self, branch: str, verb: str, write: Callable[[], object]) -> None:
        """Create or move a branch; GitHub's 422 means someone pushed meanwhile."""
        try:
            self._client.write(f"{verb} {branch}", write)
        except GitHubError as e:
            if e.status == 422:  # their commits win, rerun later
                msg = f"{branch} moved during the write; the next attempt builds on it"
                raise ConflictError(msg) from e
            raise

    def _loaded_ref(self, branch: str) -> GitRef:
        ref = self._repo.get_git_ref(f"heads/{branch}")
        _ = ref.object  # lazy: loading it gives the ref its API url (PATCH .../git/refs/...)
        return ref

    def pulls(self) -> tuple[PullInfo, ...]:
        """The most recently created pull requests, open and closed: one request."""

        def fetch() -> list[PullRequest]:
            listed = self._repo.get_pulls(state="all", sort="created", direction="desc")
            return list(listed.get_page(0))[:RECENT_PULLS]

        return tuple(_info(p) for p in self._client.read("list recent PRs", fetch))

    def compare(self, base: str, head: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The commit messages and changed paths of `head` past `base`: one request."""

        def fetch() -> tuple[tuple[str, ...], tuple[str, ...]]:
            # One GET answers both (commits up to 250, files up to 300), read here under the
            # retry policy: PyGithub's `commits` would page them again in a second request.
            raw = self._repo.compare(base, head).raw_data
            messages = tuple(str(c["commit"]["message"]) for c in raw.get("commits") or ())
            return messages, tuple(str(f["filename"]) for f in raw.get("files") or ())

        return self._client.read(f"compare {head[:12]} with {base[:12]}", fetch)

    def open_pull(
        self, branch: str, base: str, title: str, body: str, labels: tuple[str, ...]
    ) -> Pull | None:
        """Open the pull request and label it; None when GitHub sees no commits between."""
        try:
            pull = self._client.write(
                f"open a PR from {branch}",
                lambda: self._repo.create_pull(base=base, head=branch, title=title, body=body),
            )
        except GitHubError as e:
            if e.status == 422 and "no commits between" in str(e).lower():
                return None
            if e.status == 403 and NOT_PERMITTED in str(e).lower():
                raise BoundaryError(ACTIONS_SETTING.format(repo=self._name, branch=branch)) from e
            raise
        if labels:
            url = f"{self._repo.url}/issues/{pull.number}/labels"
            self._client.write(
                f"label PR #{pull.number}",
                lambda: self._repo.requester.requestJsonAndCheck(
                    "POST", url, input={"labels": list(labels)}
                ),
            )
        return _pull(pull)

    def update_pull(self, number: int, title: str, body: str) -> Pull:
        """Change a pull request's title and body."""
        pull = self._repo.get_pull(number)
        self._client.write(f"update PR #{number}", lambda: pull.edit(title=title, body=body))
        return Pull(number=number, url=pull.html_url, title=title, body=body)

    def _tree(self) -> dict[str, str]:
        _, head = self.default_branch()
        tree = self._client.read(
            "list the repository tree", lambda: self._repo.get_git_tree(head, recursive=True)
        )
        return {e.path: e.sha for e in tree.tree if e.type == "blob"}

    def config(self) -> RepoConfig:
        """The target's `.github/prime.yml` on its default branch (defaults when absent), its
        guardrails narrowed by seed.yaml's automation contract when the repository has one."""
        if self._config is None:
            blobs = self._tree()
            self._config = RepoConfig()
            if CONFIG_PATH in blobs:
                text = self._blob(blobs[CONFIG_PATH])
                self._config = parse_yaml(text, RepoConfig, CONFIG_PATH)
            if SEED_PATH in blobs:  # growth mode: agents write only where the seed allows
                contract = parse_seed(self._blob(blobs[SEED_PATH])).automation_contract
                rails = contract_rails(self._config.guardrails, contract)
                self._config = self._config.model_copy(update={"guardrails": rails})
        return self._config

    def listing(self) -> RepoListing:
        """The default branch's paths and the files a fix reads (license from the config)."""
        blobs = self._tree()
        paths = tuple(sorted(blobs))
        files = {p: self._blob(blobs[p]) for p in content_files(paths)}
        owner = f"@{self._name.split('/')[0]}"
        # An organisation cannot own code in CODEOWNERS; a user account can (no extra request:
        # the owner's type comes with the repository).
        person = self._repo.owner.type == "User"
        return RepoListing(
            paths=paths,
            files=files,
            owner=owner,
            license_id=self.config().license,
            code_owner=owner if person else None,
            custom_fixes={c.name: c.fix for c in self.config().custom_signals if c.fix},
        )


def _pull(pull: PullRequest) -> Pull:
    return Pull(number=pull.number, url=pull.html_url, title=pull.title, body=pull.body or "")


def _info(pull: PullRequest) -> PullInfo:
    return PullInfo(
        number=pull.number,
        url=pull.html_url,
        head=pull.head.ref,
        head_sha=pull.head.sha,
        state=pull.state,
        created_at=pull.created_at,
        title=pull.title,
        body=pull.body or "",
        merged=pull.merged_at is not None,
    )


OPEN_PRS = "query($q: String!) { search(query: $q, type: ISSUE, first: 1) { issueCount } }"


def open_prime_pulls(client: GitHubClient, owner: str, label: str) -> int:
    """How many of Prime's PRs (its label) are open in the owner's repositories: one search.

    The ledger knows which PRs Prime opened, not which were merged or closed since.
    """
    query = f"is:pr is:open label:{label} user:{owner}"
    answer = GraphQL(client).query("count Prime's open PRs", OPEN_PRS, {"q": query})
    found = answer.data.get("search")
    return int(found["issueCount"]) if isinstance(found, dict) else 0
