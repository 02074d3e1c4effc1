"""GitHub requests and writes of one Repo Prime wake and of one dispatcher cycle, over the fake.

Run: `python benchmarks/wake_requests.py`. Every request still goes through PyGithub and is
checked against GitHub's REST description, so the counts are what GitHub would see:

- a hibernating scheduled tick (DESIGN §3: at most one read, no write);
- an active wake: the first one on a new repository, the second (which records its quiet
  decision) and the steady state (nothing changed: nothing written);
- a dispatcher cycle over a run sheet of N items (first cycle, then the next one, in which
  every item is still pending).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import RUNNER_WORKFLOW
from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.flows.dispatch import dispatch_org
from prime_action.flows.wake import wake_on_github
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO
from tests.e2e.test_data_plane import ORG, arrange
from tests.events.payloads import payload

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
TOKEN = "t0ken"  # noqa: S105 -- the fake's


@dataclass(frozen=True)
class Figure:
    """One measured run: what it was, its requests, writes and wall time."""

    what: str
    requests: int
    writes: int
    seconds: float


def _wake(fake: FakeGitHub, tmp: Path, event: str, now: datetime) -> Figure:
    path = tmp / f"{event}.json"
    path.write_text(json.dumps(payload(event)))
    env = ActionsEnv(
        repository=REPO, event_name=event, event_path=path, token=TOKEN,
        api_url=fake.base_url, write_spacing=0,
    )  # fmt: skip
    client = GitHubClient(TOKEN, fake.base_url, write_spacing=0)
    fake.reset_counts()
    start = time.perf_counter()
    try:
        wake_on_github(env, client, now)
    finally:
        client.close()
    seconds = time.perf_counter() - start
    return Figure(event, len(fake.requests), fake.writes, seconds)


def wakes() -> list[Figure]:
    """A new repository (CI failing) woken by hand three times, then a scheduled tick."""
    figures = []
    with FakeGitHub(validate_responses=False) as fake, tempfile.TemporaryDirectory() as tmp:
        fake.add_repo(REPO, FILES)
        fake.set_ci(REPO, "failure", failing=["test"])
        names = ("active wake, first", "active wake, second", "active wake, steady state")
        for minutes, name in enumerate(names):
            found = _wake(fake, Path(tmp), "workflow_dispatch", NOW + timedelta(minutes=minutes))
            figures.append(Figure(name, found.requests, found.writes, found.seconds))
        tick = _wake(fake, Path(tmp), "schedule", NOW + timedelta(minutes=10))
        figures.append(Figure("hibernating tick", tick.requests, tick.writes, tick.seconds))
    return figures


def _cycle(fake: FakeGitHub, name: str) -> Figure:
    env = DataPlaneEnv(
        repository=ORG, token=TOKEN, api_url=fake.base_url, ref="refs/heads/main", write_spacing=0
    )
    client = GitHubClient(TOKEN, fake.base_url, write_spacing=0)
    fake.reset_counts()
    start = time.perf_counter()
    try:
        dispatch_org(client, env, 24.0, RUNNER_WORKFLOW)
    finally:
        client.close()
    seconds = time.perf_counter() - start
    return Figure(name, len(fake.requests), fake.writes, seconds)


def dispatch_cycles(items: int) -> list[Figure]:
    """Two dispatcher cycles over a run sheet of `items` fileops items, one per repository."""
    repos = tuple(f"acme/svc-{n:03d}" for n in range(items))
    with FakeGitHub(validate_responses=False) as fake:
        arrange(fake, repos)
        first = _cycle(fake, f"dispatch cycle, {items} items, first")
        sent = len(fake.dispatches)
        again = _cycle(fake, f"dispatch cycle, {items} items, next cycle")
    return [
        Figure(f"{first.what} ({sent} dispatched)", first.requests, first.writes, first.seconds),
        again,
    ]


def main() -> None:
    """Print one line per measured run."""
    for figure in [*wakes(), *dispatch_cycles(3), *dispatch_cycles(20)]:
        print(
            f"{figure.what:>45}: {figure.requests:>3} requests, {figure.writes:>3} writes, "
            f"{figure.seconds * 1000:6.0f} ms"
        )


if __name__ == "__main__":
    main()
