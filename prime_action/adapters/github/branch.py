"""Files on a branch changed compare-and-swap through the Git Data API (DESIGN §4).

A change reads the branch head, builds a new tree on it and moves the ref with
`force=false`; a move GitHub rejects (422, not a fast-forward) means another writer won,
and the change is re-read and applied again. Other files on the branch are kept.
"""

from __future__ import annotations

from collections.abc import Callable

from github import InputGitTreeElement
from github.GitCommit import GitCommit
from github.GitRef import GitRef
from github.GitTree import GitTree
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient, blob_text, is_missing
from prime_action.domain.errors import ConflictError, GitHubError, StoreError

MAX_ATTEMPTS = 5
# text before (None: no such file) -> text after (None: leave the file as it is).
Edit = Callable[[str | None], str | None]


class BranchFiles:
    """Read and change files on one branch of one repository."""

    def __init__(self, client: GitHubClient, repo: str, branch: str) -> None:
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self._name = repo
        self._branch = branch

    def read(self, path: str) -> str | None:
        """A file's text on the branch, or None when it or the branch is absent: one request."""
        try:
            found = self._client.read(
                f"read {self._name}@{self._branch}:{path}",
                lambda: self._repo.get_contents(path, ref=self._branch),
            )
        except GitHubError as e:
            if is_missing(e):
                return None
            raise
        if isinstance(found, list):
            return None
        return found.decoded_content.decode("utf-8", errors="replace")

    def change(self, path: str, edit: Edit, message: str) -> str | None:
        """Apply `edit` to a file and commit the result, retrying lost races.

        Args:
            path: the file on the branch.
            edit: pure function from the current text to the new text (None: no change).
            message: the commit message.

        Returns:
            The file's text after the change (the current text when nothing changed).

        Raises:
            StoreError: the branch kept moving under us MAX_ATTEMPTS times.
        """
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._change_once(path, edit, message)
            except ConflictError:
                continue
        msg = f"{self._name}@{self._branch}:{path} changed under {MAX_ATTEMPTS} writes; rerun"
        raise StoreError(msg)

    def _change_once(self, path: str, edit: Edit, message: str) -> str | None:
        ref = self._ref()
        head = tree = None
        before: str | None = None
        if ref is not None:
            head = self._client.read(
                "read branch head", lambda: self._repo.get_git_commit(ref.object.sha)
            )
            tree = self._client.read(
                "read branch tree", lambda: self._repo.get_git_tree(head.tree.sha)
            )
            before = self._blob(tree, path)
        after = edit(before)
        if after is None or after == before:
            return before
        self._commit(ref, head, tree, path=path, text=after, message=message)
        return after

    def _blob(self, tree: GitTree, path: str) -> str | None:
        sha = next((e.sha for e in tree.tree if e.path == path and e.type == "blob"), None)
        if sha is None:
            return None
        return blob_text(self._client.read(f"read {path}", lambda: self._repo.get_git_blob(sha)))

    def _ref(self) -> GitRef | None:
        def fetch() -> GitRef:
            ref = self._repo.get_git_ref(f"heads/{self._branch}")
            _ = ref.object  # the client is lazy: touching a field fetches it (and raises a 404)
            return ref

        try:
            return self._client.read(f"read ref {self._branch}", fetch)
        except GitHubError as e:
            if is_missing(e):
                return None
            raise

    def _commit(
        self,
        ref: GitRef | None,
        head: GitCommit | None,
        tree: GitTree | None,
        *,
        path: str,
        text: str,
        message: str,
    ) -> None:
        element = [InputGitTreeElement(path, "100644", "blob", content=text)]
        new_tree = self._client.write(
            f"write {path} tree",
            lambda: (
                self._repo.create_git_tree(element, tree)
                if tree
                else self._repo.create_git_tree(element)
            ),
        )
        parents = [head] if head else []
        commit = self._client.write(
            f"write {path} commit", lambda: self._repo.create_git_commit(message, new_tree, parents)
        )
        try:
            if ref is None:
                self._client.write(
                    f"create {self._branch}",
                    lambda: self._repo.create_git_ref(f"refs/heads/{self._branch}", commit.sha),
                )
            else:
                self._client.write(
                    f"move {self._branch}", lambda: ref.edit(commit.sha, force=False)
                )
        except GitHubError as e:
            if e.status == 422:  # not a fast-forward, or created meanwhile: another writer won
                msg = f"{self._branch} moved during the write; re-read and retry"
                raise ConflictError(msg) from e
            raise
