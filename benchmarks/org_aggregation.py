"""Org Prime's aggregation at scale over the fake GitHub: requests and wall time per org size.

Run: `python benchmarks/org_aggregation.py [SIZES...]` (default 100 1000 5000). Every
GraphQL query is still validated against GitHub's schema and node limits. Wall time is the
fake's plus Prime's; GitHub's own latency (about 0.5-2 s per large GraphQL query) comes on top.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.org_run import org_on_github
from prime_action.testing.github import FakeGitHub
from prime_action.testing.graphql import FakeGraphQL, load_schema
from tests.e2e.org_world import NOW, actions_env, build_org


def measure(size: int) -> str:
    """Aggregate an org of `size` repositories once; return one line of figures."""
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
    return (
        f"{size:>6} repositories ({len(kept):>5} looked after): "
        f"aggregation {run.aggregation_requests:>4} requests, whole run {run.requests:>4} "
        f"({run.writes} writes), {points:>4} GraphQL points, "
        f"{len(run.outcome.run_sheet):>6} run-sheet items, {seconds:6.1f} s"
    )


def main(argv: list[str]) -> int:
    """Print one line per size."""
    load_schema()  # built once (about a second), not charged to the first size
    for size in [int(a) for a in argv] or [100, 1000, 5000]:
        print(measure(size), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
