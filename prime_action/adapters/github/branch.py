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

from prime_action.adapters.github.client import (
    GitHubClient,
    file_text,
    is_missing,
    read_blob,
)
from prime_action.domain.errors import ConflictError, GitHubError, StoreError

MAX_ATTEMPTS = 5
# text before (None: no such file) -> text after (None: leave the file as it is).
Edit = Callable[[str | None], str | None]


class BranchHead:
    """The branch as one change sees it: its files' blob SHAs, texts read on demand."""

    def __init__(self, files: BranchFiles, tree: GitTree | None) -> None:
        self._files = files
        self._tree = tree
        entries = tree.tree if tree is not None else []
        # path -> blob SHA of every file on the branch ({} when the branch does not exist).
        self.shas = {e.path: e.sha for e in entries if e.type == "blob"}

    def text(self, path: str) -> str | None:
        """A file's text at this head (one request), or None when it is absent."""
        sha = self.shas.get(path)
        return self._files.blob(path, sha) if sha else None


# The branch head -> the files to write ({} or None: write nothing); may raise ConflictError.
Change = Callable[[BranchHead], dict[str, str] | None]


class BranchFiles:
    """Read and change files on one branch of one repository."""

    def __init__(self, client: GitHubClient, repo: str, branch: str) -> None:
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self._name = repo
        self._branch = branch

    def read(self, path: str) -> str | None:
        """A file's text on the branch, or None when it or the branch is absent: one request."""
        found = self.read_versioned(path)
        return found[0] if found else None

    def read_versioned(self, path: str) -> tuple[str, str] | None:
        """(text, blob SHA) of a file on the branch, or None when it or the branch is absent.

        One request (two for a file over 1 MB).
        """
        return file_text(self._client, self._repo, path, self._branch)

    def change(self, path: str, edit: Edit, message: str) -> str | None:
        """Apply `edit` to one file and commit the result, retrying lost races.

        Args:
            path: the file on the branch.
            edit: pure function from the current text to the new text (None: no change).
            message: the commit message.

        Returns:
            The file's text after the change (the current text when nothing changed).

        Raises:
            StoreError: the branch kept moving under us MAX_ATTEMPTS times.
        """
        seen: dict[str, str | None] = {}

        def one_file(head: BranchHead) -> dict[str, str] | None:
            before = seen["before"] = head.text(path)
            after = edit(before)
            seen["after"] = before if after is None or after == before else after
            return None if after is None or after == before else {path: after}

        for _ in range(MAX_ATTEMPTS):
            try:
                self.commit(one_file, message)
            except ConflictError:
                continue
            return seen["after"]
        msg = f"{self._name}@{self._branch}:{path} changed under {MAX_ATTEMPTS} writes; rerun"
        raise StoreError(msg)

    def commit(self, change: Change, message: str) -> bool:
        """One compare-and-swap commit of the files `change` returns on the branch head.

        The head is read (ref, commit, tree), `change` decides from it, and the new commit
        moves the ref with force=false; the branch is created when absent.

        Returns:
            Whether a commit was made.

        Raises:
            ConflictError: another writer moved (or created) the branch first, or `change`
                itself refused the head; re-read and retry.
        """
        ref = self._ref()
        head = tree = None
        if ref is not None:
            head = self._client.read(
                "read branch head", lambda: self._repo.get_git_commit(ref.object.sha)
            )
            tree = self._client.read(
                "read branch tree", lambda: self._repo.get_git_tree(head.tree.sha)
            )
        files = change(BranchHead(self, tree))
        if not files:
            return False
        self._commit(ref, head, tree, files=files, message=message)
        return True

    def blob(self, path: str, sha: str) -> str:
        """A blob's text (one request)."""
        return read_blob(self._client, self._repo, sha, f"read {path}")

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
        files: dict[str, str],
        message: str,
    ) -> None:
        elements = [
            InputGitTreeElement(path, "100644", "blob", content=text)
            for path, text in sorted(files.items())
        ]
        what = ", ".join(sorted(files))
        new_tree = self._client.repeatable(
            f"write {what} tree",
            lambda: (
                self._repo.create_git_tree(elements, tree)
                if tree
                else self._repo.create_git_tree(elements)
            ),
        )
        parents = [head] if head else []
        commit = self._client.repeatable(
            f"write {what} commit", lambda: self._repo.create_git_commit(message, new_tree, parents)
        )
        try:
            if ref is None:
                self._client.write(
                    f"create {self._branch}",
                    lambda: self._repo.create_git_ref(f"refs/heads/{self._branch}", commit.sha),
                )
            else:
                self._client.repeatable(
                    f"move {self._branch}", lambda: ref.edit(commit.sha, force=False)
                )
        except GitHubError as e:
            if e.status == 422:  # not a fast-forward, or created meanwhile: another writer won
                msg = f"{self._branch} moved during the write; re-read and retry"
                raise ConflictError(msg) from e
            raise
