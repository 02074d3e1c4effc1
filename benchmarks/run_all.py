"""Every benchmark, one results table (Markdown): the figures the README publishes.

Run: `python benchmarks/run_all.py [--quick]`. `--quick` measures orgs of 100 and 1,000
repositories and takes 3 interpreter starts per timing (default: 100, 1,000 and 5,000; 5).
GitHub requests are counted over the shared fake GitHub (every request checked against
GitHub's REST description or GraphQL schema); GitHub's own latency is not included.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import import_time, org_aggregation, prompt_tokens, wake_requests
from prime_action import __version__
from prime_action.config.models import BrainSettings
from testing.graphql import load_schema

Row = tuple[str, str, str, str]  # what, requests, writes, time or size


def _wake_rows() -> list[Row]:
    figures = [*wake_requests.wakes()]
    for items in (3, 20):
        figures += wake_requests.dispatch_cycles(items)
    return [(f.what, str(f.requests), str(f.writes), f"{f.seconds * 1000:.0f} ms") for f in figures]


def _org_rows(sizes: tuple[int, ...]) -> list[Row]:
    load_schema()  # built once (about a second), not charged to the first size
    rows = []
    for size in sizes:
        a = org_aggregation.aggregate(size)
        rows.append(
            (
                f"org aggregation, {size:,} repositories ({a.kept:,} looked after)",
                f"{a.aggregation_requests} (whole run {a.requests}; {a.points} GraphQL points)",
                str(a.writes),
                f"{a.seconds:.1f} s",
            )
        )
    return rows


def _startup_rows(runs: int) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "README.md").write_text("# demo\n")
        for name, code in import_time.cases(tmp).items():
            seconds, imported = import_time.timed(code, runs)
            note = " (litellm loaded)" if imported else ""
            rows.append((f"wall time: {name}{note}", "-", "-", f"{seconds * 1000:.0f} ms"))
    return rows


def _prompt_rows() -> list[Row]:
    budget = BrainSettings().prompt_token_budget
    rows = []
    for name, files, issues, claude, event in prompt_tokens.CASES:
        prompt, _ = prompt_tokens.measure(files, issues, claude, event, budget)
        real = prompt_tokens.real_tokens(prompt)
        rows.append(
            (
                f"prompt tokens, {name} repository ({files:,} files, {issues} issues)",
                "-",
                "-",
                f"{prompt.tokens:,} estimated, {real} tiktoken (budget {budget:,})",
            )
        )
    return rows


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| measured | GitHub requests | writes | time / size |",
        "|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


def _cpu() -> str:
    info = Path("/proc/cpuinfo")
    lines = info.read_text().splitlines() if info.is_file() else []
    names = [line.partition(":")[2].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "unknown CPU"


def machine() -> str:
    """Where the figures were measured."""
    return (
        f"prime {__version__}, Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} x {_cpu()}"
    )


def main(argv: list[str]) -> int:
    """Measure everything and print the table."""
    quick = "--quick" in argv
    sizes = (100, 1000) if quick else (100, 1000, 5000)
    rows = [
        *_wake_rows(),
        *_org_rows(sizes),
        *_startup_rows(3 if quick else 5),
        *_prompt_rows(),
    ]
    print(table(rows))
    print(f"\nMeasured on: {machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
