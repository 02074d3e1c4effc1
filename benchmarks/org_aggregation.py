"""Org Prime's aggregation at scale over the fake GitHub: requests and wall time per org size.

Run: `python benchmarks/org_aggregation.py [SIZES...]` (default 100 1000 5000). Every
GraphQL query is still validated against GitHub's schema and node limits. Wall time is the
fake's plus Prime's; GitHub's own latency (about 0.5-2 s per large GraphQL query) comes on top.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.flows.org import org_on_github
from testing.github import FakeGitHub
from testing.graphql import FakeGraphQL, load_schema
from tests.e2e.org_world import NOW, actions_env, build_org


@dataclass(frozen=True)
class Aggregation:
    """The figures of one Org Prime run over an org of `size` repositories."""

    size: int
    kept: int
    aggregation_requests: int
    requests: int
    writes: int
    points: int
    items: int
    seconds: float


def aggregate(size: int) -> Aggregation:
    """Aggregate an org of `size` repositories once, over a fresh fake GitHub."""
    fake = FakeGitHub(validate_responses=False)
    graphql = FakeGraphQL().install(fake)
    with fake, tempfile.TemporaryDirectory() as tmp:
        kept = build_org(fake, size)
        client = GitHubClient("t0ken", fake.base_url, write_spacing=0)
        start = time.perf_counter()
        run = org_on_github(ActionsEnv.from_environ(actions_env(fake, Path(tmp))), client, NOW)
        seconds = time.perf_counter() - start
        client.close()
    points = sum(c.cost for c in graphql.calls)
    return Aggregation(
        size, len(kept), run.aggregation_requests, run.requests, run.writes, points,
        len(run.outcome.run_sheet), seconds,
    )  # fmt: skip


def measure(size: int) -> str:
    """Aggregate an org of `size` repositories once; return one line of figures."""
    a = aggregate(size)
    return (
        f"{a.size:>6} repositories ({a.kept:>5} looked after): "
        f"aggregation {a.aggregation_requests:>4} requests, whole run {a.requests:>4} "
        f"({a.writes} writes), {a.points:>4} GraphQL points, "
        f"{a.items:>6} run-sheet items, {a.seconds:6.1f} s"
    )


def main(argv: list[str]) -> int:
    """Print one line per size."""
    load_schema()  # built once (about a second), not charged to the first size
    for size in [int(a) for a in argv] or [100, 1000, 5000]:
        print(measure(size), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
