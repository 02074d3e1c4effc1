"""`prime growth`: growth mode's cycle report, from a local checkout or from prime-state."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from prime_action.adapters.local.state import LocalStateStore
from prime_action.domain.clock import SystemClock, iso
from prime_action.domain.errors import ConfigError
from prime_action.domain.models import PrimeState
from prime_action.growth.overview import GrowthOverview, overview
from prime_action.growth.seed import SEED_PATH, parse_seed
from prime_action.templating import render


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--local",
        metavar="PATH",
        type=Path,
        help="report on a local checkout: PATH/seed.yaml and the memory in PATH/.prime/",
    )
    parser.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        help="report on a repository: seed.yaml on its default branch and state.json on "
        "prime-state (default: GITHUB_REPOSITORY; the token comes from GITHUB_TOKEN)",
    )
    parser.add_argument("--json", action="store_true", help="JSON (`prime schema growth`)")


def run(args: argparse.Namespace) -> int:
    """Print the report; exit 0 (also before the first cycle), 2 without a seed or state."""
    seed, where, state = _local(args.local) if args.local else _remote(args.repo, os.environ)
    report = overview(parse_seed(seed, where), state, SystemClock().now())
    sys.stdout.write(render_json(report) if args.json else render_text(report))
    return 0


def _local(root: Path) -> tuple[str, str, PrimeState]:
    """seed.yaml's text, its path, and the local state."""
    if not root.is_dir():
        msg = "is not a directory; give the path of a checkout"
        raise ConfigError(msg, file=str(root))
    seed = root / SEED_PATH
    text = seed.read_text(encoding="utf-8") if seed.is_file() else None
    seed_text = _seed(text, str(seed), f"prime init {root} --seed")
    state = LocalStateStore(root).load().state
    wake = f"run `prime wake --local {root}` first"
    return seed_text, str(seed), _state(state, str(root / ".prime" / "state.json"), wake)


def _remote(repo: str | None, environ: Mapping[str, str]) -> tuple[str, str, PrimeState]:
    """seed.yaml's text on the default branch, where it is, and the state on prime-state."""
    # PyGithub is imported only for a remote report (about half a second).
    from prime_action.adapters.github import growth_report as remote  # noqa: PLC0415
    from prime_action.adapters.github.session import repo_reader  # noqa: PLC0415

    with repo_reader(repo, environ) as (name, client):
        where = remote.SEED_WHERE.format(repo=name)
        seed_text = _seed(remote.read_seed(client, name), where, "prime init . --seed")
        state = remote.read_state(client, name)
    wake = "wake Prime first (Actions tab, workflow Prime, Run workflow)"
    return seed_text, where, _state(state, remote.STATE_WHERE.format(repo=name), wake)


def _seed(text: str | None, where: str, write: str) -> str:
    if text is None:
        msg = f"no seed: growth mode reads this file; write one with `{write}`, then wake Prime"
        raise ConfigError(msg, file=where)
    return text


def _state(state: PrimeState | None, where: str, wake: str) -> PrimeState:
    if state is None:
        msg = f"no Prime state here (or none this version reads): {wake}"
        raise ConfigError(msg, file=where)
    return state


def render_json(report: GrowthOverview) -> str:
    """The report as indented JSON (the shipped `growth` schema), ending in a newline."""
    return json.dumps(report.model_dump(mode="json"), indent=2) + "\n"


def render_text(report: GrowthOverview) -> str:
    """The report as text: the current cycle against its budget, then each epic's tasks."""
    cycle = report.cycle
    return render(
        "reports/growth.txt.j2",
        o=report,
        started=iso(cycle.started) if cycle else "",
        ends=iso(cycle.ends) if cycle else "",
        hours=round((cycle.ends - cycle.started).total_seconds() / 3600) if cycle else 0,
    )
