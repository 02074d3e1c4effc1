"""State store on the orphan `prime-state` branch: Git Data API writes, compare-and-swap."""

from __future__ import annotations

import hashlib

from prime_action.adapters.github.branch import BranchFiles, BranchHead
from prime_action.adapters.github.client import GitHubClient
from prime_action.domain.errors import ConflictError
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
        self._files = BranchFiles(client, repo, branch)
        self._branch = branch

    def load(self) -> StoredState:
        """Read state.json in one request; a corrupt or old-schema file reads as none."""
        found = self._files.read_versioned(STATE_FILE)
        if found is None:
            return StoredState(state=None)
        text, sha = found
        return StoredState(state=parse_state(text), version=sha)

    def decisions(self) -> tuple[DecisionRecord, ...]:
        """The decision log on the state branch."""
        return parse_decisions(self._files.read(DECISIONS_FILE) or "")

    def save(self, state: PrimeState, record: DecisionRecord | None, expected: str | None) -> str:
        """Commit state (and the decision) on the branch head, moving the ref without force.

        Raises:
            ConflictError: state.json is no longer the version `expected` (another wake
                wrote, or the branch was deleted or created), or the ref moved meanwhile.
        """
        text = dump_state(state)

        def files(head: BranchHead) -> dict[str, str]:
            if head.shas.get(STATE_FILE) != expected:
                msg = f"{STATE_FILE} on {self._branch} changed since it was read; re-read"
                raise ConflictError(msg)
            log = parse_decisions(head.text(DECISIONS_FILE) or "")
            return {STATE_FILE: text, DECISIONS_FILE: dump_decisions(append_decision(log, record))}

        self._files.commit(files, "prime: update state")
        return git_blob_sha(text)
