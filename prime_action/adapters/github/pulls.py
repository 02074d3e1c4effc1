"""The PR boundary's host over PyGithub: branches, file texts, commits and pull requests."""

from __future__ import annotations

from collections.abc import Mapping

from github import InputGitTreeElement
from github.PullRequest import PullRequest
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient, blob_text, is_missing
from prime_action.config.loader import parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.domain.errors import ConflictError, GitHubError
from prime_action.fileops.fixes import CONTENT_FILES
from prime_action.runners.boundary import Pull
from prime_action.runners.fileops import RepoListing

CONFIG_PATH = ".github/prime.yml"


class GitHubPulls:
    """One repository as the PR boundary's host."""

    def __init__(self, client: GitHubClient, repo: str) -> None:
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self._name = repo
        self._default: tuple[str, str] | None = None

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
        return blob_text(self._client.read("read a file", lambda: self._repo.get_git_blob(sha)))

    def commit(
        self, branch: str, parent: str, files: Mapping[str, str], message: str, *, create: bool
    ) -> str:
        """Commit on `parent`, then create the branch or fast-forward it (never force)."""
        base = self._client.read("read parent", lambda: self._repo.get_git_commit(parent))
        elements = [
            InputGitTreeElement(path, "100644", "blob", content=text)
            for path, text in sorted(files.items())
        ]
        tree = self._client.write(
            f"write {branch} tree", lambda: self._repo.create_git_tree(elements, base.tree)
        )
        commit = self._client.write(
            f"write {branch} commit", lambda: self._repo.create_git_commit(message, tree, [base])
        )
        try:
            if create:
                self._client.write(
                    f"create {branch}",
                    lambda: self._repo.create_git_ref(f"refs/heads/{branch}", commit.sha),
                )
            else:
                ref = self._repo.get_git_ref(f"heads/{branch}")
                self._client.write(f"move {branch}", lambda: ref.edit(commit.sha, force=False))
        except GitHubError as e:
            if e.status == 422:  # someone pushed meanwhile: their commits win, rerun later
                msg = f"{branch} moved during the write; the next attempt builds on it"
                raise ConflictError(msg) from e
            raise
        return str(commit.sha)

    def find_pull(self, branch: str) -> Pull | None:
        """The open pull request from `branch`, if any."""
        owner = self._name.split("/")[0]
        found = self._client.read(
            f"find the PR of {branch}",
            lambda: list(self._repo.get_pulls(state="open", head=f"{owner}:{branch}")),
        )
        return _pull(found[0]) if found else None

    def open_pull(
        self, branch: str, base: str, title: str, body: str, labels: tuple[str, ...]
    ) -> Pull:
        """Open the pull request, then label it (labels are created as needed by GitHub)."""
        pull = self._client.write(
            f"open a PR from {branch}",
            lambda: self._repo.create_pull(base=base, head=branch, title=title, body=body),
        )
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

    def listing(self) -> RepoListing:
        """The default branch's paths and the files a fix reads (license from the config)."""
        _, head = self.default_branch()
        tree = self._client.read(
            "list the repository tree", lambda: self._repo.get_git_tree(head, recursive=True)
        )
        blobs = {e.path: e.sha for e in tree.tree if e.type == "blob"}
        files = {p: self._blob(blobs[p]) for p in CONTENT_FILES if p in blobs}
        config = RepoConfig()
        if CONFIG_PATH in blobs:
            config = parse_yaml(self._blob(blobs[CONFIG_PATH]), RepoConfig, CONFIG_PATH)
        owner = f"@{self._name.split('/')[0]}"
        return RepoListing(
            paths=tuple(sorted(blobs)), files=files, owner=owner, license_id=config.license
        )


def _pull(pull: PullRequest) -> Pull:
    return Pull(number=pull.number, url=pull.html_url, title=pull.title, body=pull.body or "")
