"""What `prime growth --repo` reads: seed.yaml on the default branch, state.json on prime-state."""

from __future__ import annotations

from prime_action.adapters.github.client import GitHubClient, file_text
from prime_action.adapters.github.state import BRANCH, STATE_FILE, GitHubStateStore
from prime_action.domain.models import PrimeState
from prime_action.growth.seed import SEED_PATH

# Where the report's two files live, as its error messages name them.
SEED_WHERE = "{repo}:" + SEED_PATH
STATE_WHERE = "{repo}@" + BRANCH + ":" + STATE_FILE


def read_seed(client: GitHubClient, repo: str) -> str | None:
    """seed.yaml's text on the default branch, or None when it is absent: one request."""
    found = file_text(client, client.github.get_repo(repo), SEED_PATH)
    return found[0] if found else None


def read_state(client: GitHubClient, repo: str) -> PrimeState | None:
    """The working memory, or None without a (readable) state.json: one request."""
    return GitHubStateStore(client, repo).load().state
