"""The attempt ledger `attempts.jsonl` on a repository's `prime-state` branch, changed CAS."""

from __future__ import annotations

from prime_action.adapters.github.branch import BranchFiles
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.state import BRANCH
from prime_action.dispatch.ledger import LEDGER_FILE, dump_ledger, parse_ledger
from prime_action.dispatch.ports import Change
from prime_action.domain.models import Attempt


class GitHubLedger:
    """attempts.jsonl beside state.json: the org repo's (org mode) or the repo's own."""

    def __init__(self, client: GitHubClient, repo: str, branch: str = BRANCH) -> None:
        self._files = BranchFiles(client, repo, branch)

    def load(self) -> tuple[Attempt, ...]:
        """Every attempt, oldest first (one request; none when the file is absent)."""
        text = self._files.read(LEDGER_FILE)
        return parse_ledger(text) if text else ()

    def change(self, change: Change) -> tuple[Attempt, ...]:
        """Apply a pure change to the ledger and commit it unless nothing changed."""

        def edit(text: str | None) -> str | None:
            before = parse_ledger(text or "")
            after = change(before)
            return None if after == before else dump_ledger(after)

        text = self._files.change(LEDGER_FILE, edit, "prime: update attempts")
        return parse_ledger(text or "")
