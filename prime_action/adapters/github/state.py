"""State store on the orphan `prime-state` branch: Git Data API writes, compare-and-swap."""

from __future__ import annotations

import hashlib

from github import InputGitTreeElement
from github.GitRef import GitRef
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient, blob_text, is_missing
from prime_action.domain.errors import ConflictError, GitHubError
from prime_action.domain.models import DecisionRecord, PrimeState
from prime_action.domain.ports import StoredState
from prime_action.repo.memory import (
    append_decision,
    dump_decisions,
    dump_state,
    parse_decisions,
    parse_state,
)

BRANCH = "prime-state"
STATE_FILE = "state.json"
DECISIONS_FILE = "decisions.jsonl"


def git_blob_sha(text: str) -> str:
    """The SHA git gives a blob with this content (the version of what we wrote)."""
    data = text.encode()
    return hashlib.sha1(b"blob %d\x00" % len(data) + data, usedforsecurity=False).hexdigest()


class GitHubStateStore:
    """state.json and decisions.jsonl on `prime-state`; the version is state.json's blob SHA."""

    def __init__(self, client: GitHubClient, repo: str, branch: str = BRANCH) -> None:
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self._name = repo
        self._branch = branch

    def _text(self, path: str) -> tuple[str, str] | None:
        """(text, blob sha) of a file on the state branch, or None: one request."""
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
        return found.decoded_content.decode("utf-8", errors="replace"), found.sha

    def load(self) -> StoredState:
        """Read state.json in one request; a corrupt or old-schema file reads as none."""
        found = self._text(STATE_FILE)
        if found is None:
            return StoredState(state=None)
        text, sha = found
        return StoredState(state=parse_state(text), version=sha)

    def decisions(self) -> tuple[DecisionRecord, ...]:
        """The decision log on the state branch."""
        found = self._text(DECISIONS_FILE)
        return parse_decisions(found[0]) if found else ()

    def save(self, state: PrimeState, record: DecisionRecord | None, expected: str | None) -> str:
        """Commit state (and the decision) on the branch head, moving the ref without force."""
        text = dump_state(state)
        ref = self._ref()
        if ref is None:
            if expected is not None:
                msg = f"{self._branch} was deleted since it was read; re-read and retry"
                raise ConflictError(msg)
            self._create(text, append_decision((), record))
            return git_blob_sha(text)
        self._commit_on(ref, text, record, expected)
        return git_blob_sha(text)

    def _ref(self) -> GitRef | None:
        try:
            return self._client.read(f"read ref {self._branch}", self._fetch_ref)
        except GitHubError as e:
            if is_missing(e):
                return None
            raise

    def _fetch_ref(self) -> GitRef:
        ref = self._repo.get_git_ref(f"heads/{self._branch}")
        _ = ref.object  # the client is lazy: touching a field fetches it (and raises a 404)
        return ref

    def _commit_on(
        self, ref: GitRef, text: str, record: DecisionRecord | None, expected: str | None
    ) -> None:
        head = self._client.read(
            "read state commit", lambda: self._repo.get_git_commit(ref.object.sha)
        )
        tree = self._client.read("read state tree", lambda: self._repo.get_git_tree(head.tree.sha))
        shas = {entry.path: entry.sha for entry in tree.tree}
        if shas.get(STATE_FILE) != expected:
            msg = f"{STATE_FILE} on {self._branch} changed since it was read; re-read and retry"
            raise ConflictError(msg)
        log: tuple[DecisionRecord, ...] = ()
        if DECISIONS_FILE in shas:
            blob = self._client.read(
                "read decisions", lambda: self._repo.get_git_blob(shas[DECISIONS_FILE])
            )
            log = parse_decisions(blob_text(blob))
        elements = _elements(text, append_decision(log, record))
        new_tree = self._client.write(
            "write state tree", lambda: self._repo.create_git_tree(elements, tree)
        )
        commit = self._client.write(
            "write state commit",
            lambda: self._repo.create_git_commit("prime: update state", new_tree, [head]),
        )
        try:
            self._client.write("move prime-state", lambda: ref.edit(commit.sha, force=False))
        except GitHubError as e:
            if e.status == 422:  # not a fast-forward: another writer moved the branch
                msg = f"{self._branch} moved during the write; re-read and retry"
                raise ConflictError(msg) from e
            raise

    def _create(self, text: str, log: tuple[DecisionRecord, ...]) -> None:
        tree = self._client.write(
            "write state tree", lambda: self._repo.create_git_tree(_elements(text, log))
        )
        commit = self._client.write(
            "write state commit",
            lambda: self._repo.create_git_commit("prime: start state", tree, []),
        )
        try:
            self._client.write(
                "create prime-state",
                lambda: self._repo.create_git_ref(f"refs/heads/{self._branch}", commit.sha),
            )
        except GitHubError as e:
            if e.status == 422:  # someone created the branch first
                msg = f"{self._branch} was created by another run; re-read and retry"
                raise ConflictError(msg) from e
            raise


def _elements(text: str, log: tuple[DecisionRecord, ...]) -> list[InputGitTreeElement]:
    return [
        InputGitTreeElement(STATE_FILE, "100644", "blob", content=text),
        InputGitTreeElement(DECISIONS_FILE, "100644", "blob", content=dump_decisions(log)),
    ]
