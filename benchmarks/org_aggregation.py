"""Org Prime at scale over the fake GitHub: requests, wall time and memory per org size.

Run: `python benchmarks/org_aggregation.py [--latency SECONDS] [SIZES...]` (default sizes 100
1000 5000; latency 0). The client has its default settings (GitHub's one-second spacing
between content-creating writes included). Every GraphQL query is still validated against
GitHub's schema and node limits. `--latency` makes every request take at least that long, a
model of GitHub's answer time (about 0.5-2 s for a large GraphQL page; the fake's own work on a
request counts within it), so the wall time is not flattered by a local fake. Peak memory is
the whole process's (the fake's 10,000 repositories included), so Prime's own share is smaller.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    peak_mb: float
    answering: float  # of `seconds`, the time requests took to be answered


class FakeTime:
    """Seconds spent answering requests: the fake's own work plus the modelled wait."""

    total = 0.0


@contextmanager
def latency(seconds: float) -> Iterator[None]:
    """Every request takes at least `seconds` to answer (GitHub's answer time).

    The fake's own work on a request (executing a GraphQL page of 50 repositories takes it
    about half a second) stands for GitHub's and counts within the delay, not on top of it.
    """
    original = FakeGitHub._callback

    def delayed(self: FakeGitHub, request: object) -> object:
        start = time.perf_counter()
        try:
            return original(self, request)  # type: ignore[arg-type]
        finally:
            time.sleep(max(0.0, seconds - (time.perf_counter() - start)))
            FakeTime.total += time.perf_counter() - start

    FakeGitHub._callback = delayed  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        FakeGitHub._callback = original  # type: ignore[method-assign]


def aggregate(size: int, delay: float = 0.0) -> Aggregation:
    """Run Org Prime once over an org of `size` repositories, on a fresh fake GitHub."""
    with latency(delay):
        fake = FakeGitHub(validate_responses=False)
        graphql = FakeGraphQL().install(fake)
        with fake, tempfile.TemporaryDirectory() as tmp:
            kept = build_org(fake, size)
            client = GitHubClient("t0ken", fake.base_url)  # default settings: no override
            FakeTime.total = 0.0
            start = time.perf_counter()
            env = ActionsEnv.from_environ(actions_env(fake, Path(tmp)))
            run = org_on_github(env, client, NOW)
            seconds = time.perf_counter() - start
            client.close()
    points = sum(c.cost for c in graphql.calls)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Aggregation(
        size, len(kept), run.aggregation_requests, run.requests, run.writes, points,
        len(run.outcome.run_sheet), seconds, peak, FakeTime.total,
    )  # fmt: skip


def measure(size: int, delay: float = 0.0) -> str:
    """Aggregate an org of `size` repositories once; return one line of figures."""
    a = aggregate(size, delay)
    return (
        f"{a.size:>6} repositories ({a.kept:>5} looked after): "
        f"aggregation {a.aggregation_requests:>4} requests, whole run {a.requests:>4} "
        f"({a.writes} writes; ceil(N/50) + 3 = {-(-a.size // 50) + 3}), "
        f"{a.points:>4} GraphQL points, {a.items:>4} run-sheet items, "
        f"{a.seconds:6.1f} s with requests answered in {delay:g} s or more "
        f"({a.seconds - a.answering:.1f} s of it Prime's), peak memory {a.peak_mb:,.0f} MB"
    )


def main(argv: list[str]) -> int:
    """Print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    parser.add_argument("sizes", type=int, nargs="*", default=[100, 1000, 5000])
    args = parser.parse_args(argv)
    load_schema()  # built once (about a second), not charged to the first size
    for size in args.sizes:
        print(measure(size, args.latency), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
