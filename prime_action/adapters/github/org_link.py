"""A repository's way to Org Prime: `prime-flag` repository_dispatch events to the org repo."""

from __future__ import annotations

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import send_event

FLAG = "prime-flag"


class GitHubOrgLink:
    """Sends flags with a token that may write to the org repository (not GITHUB_TOKEN).

    GitHub lets a workflow's own GITHUB_TOKEN send repository_dispatch only to its own
    repository, so the link uses the action's `org-token` (a GitHub App or fine-grained
    token with `contents: write` on the org repository).
    """

    def __init__(self, token: str, api_url: str, org_repo: str, repo: str) -> None:
        self._token = token
        self._api_url = api_url
        self._org_repo = org_repo
        self._repo = repo

    def flag(self, signal: str | None, reason: str) -> None:
        """Wake Org Prime with this repository's request for help (a client of its own)."""
        client = GitHubClient(self._token, self._api_url, write_spacing=0)
        payload = {"repo": self._repo, "signal": signal, "reason": reason[:400]}
        try:
            send_event(client, self._org_repo, FLAG, payload)
        finally:
            client.close()
