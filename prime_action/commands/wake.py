"""`prime wake`: one wake cycle, on GitHub (in Actions) or `--local PATH` with embedded memory."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from prime_action.adapters.llm.factory import brain_for
from prime_action.adapters.local.dashboard import LocalDashboard
from prime_action.adapters.local.issues import LocalIssueStore
from prime_action.adapters.local.jobs import LocalJobQueue
from prime_action.adapters.local.snapshot import local_snapshot
from prime_action.adapters.local.state import LocalStateStore
from prime_action.brain.prompt import IDENTITY_DOCS, PromptContext
from prime_action.config.loader import load_config
from prime_action.config.models import RepoConfig
from prime_action.domain.clock import SystemClock, iso
from prime_action.domain.errors import ConfigError
from prime_action.repo.cycle import Sight, WakePorts, WakeReport, WakeRequest, see, wake
from prime_action.repo.identity import IDENTITY_FILES, identity_hash
from prime_action.templating import render


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--local",
        metavar="PATH",
        type=Path,
        help="wake on a local checkout, memory in PATH/.prime/",
    )
    half = parser.add_mutually_exclusive_group()
    half.add_argument("--decide", metavar="DIR", type=Path, help=(
        "the reasoning half of a split LLM brain: a dry-run wake (a read-only token is "
        "enough) that leaves the brain's decision in DIR"))  # fmt: skip
    half.add_argument("--act", metavar="DIR", type=Path, help=(
        "the writing half: the wake, its brain replaying DIR's decision (checked by policy "
        "like any brain's); without one, the rules brain decides"))  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Run one wake and print its report."""
    if args.local is None:
        # PyGithub takes about half a second to import; a local wake never needs it.
        from prime_action.flows import brain_split  # noqa: PLC0415
        from prime_action.flows.wake import run_on_github  # noqa: PLC0415

        if args.decide is not None:
            return brain_split.decide(os.environ, args.decide)
        if args.act is not None:
            return brain_split.act(os.environ, args.act)
        return run_on_github(os.environ)
    report = wake_local(args.local, SystemClock().now())
    sys.stdout.write(render_report(report, where=str(args.local)))
    return 0


def _identity_docs(root: Path) -> dict[str, str]:
    return {
        p: (root / p).read_text(encoding="utf-8", errors="replace")
        for p in IDENTITY_DOCS
        if (root / p).is_file()
    }


def _local_ports(root: Path, config: RepoConfig) -> WakePorts:
    def look(config: RepoConfig, now: datetime) -> Sight:
        return see(local_snapshot(root, config, now), config)

    def identity() -> str:
        files = {
            p: (root / p).read_text(encoding="utf-8", errors="replace")
            for p in IDENTITY_FILES
            if (root / p).is_file()
        }
        return identity_hash(files)

    return WakePorts(
        state=LocalStateStore(root),
        issues=LocalIssueStore(root),
        jobs=LocalJobQueue(root),
        brain=brain_for(config.brain, lambda: PromptContext(identity=_identity_docs(root))),
        look=look,
        identity=identity,
        dashboard=LocalDashboard(root),
        repo=root.resolve().name,
    )


def wake_local(root: Path, now: datetime) -> WakeReport:
    """Run the wake cycle on a local checkout with the embedded file-backed memory.

    Raises:
        ConfigError: when PATH is not a directory or its config is invalid.
    """
    if not root.is_dir():
        msg = "is not a directory; give the path of a checkout"
        raise ConfigError(msg, file=str(root))
    config = load_config(root / ".github" / "prime.yml", RepoConfig)
    return wake(_local_ports(root, config), WakeRequest(reason="local"), config, now)


def render_report(report: WakeReport, where: str) -> str:
    """The human-readable report of a wake."""
    state = report.state
    next_wake = iso(state.next_wake_at) if state and state.next_wake_at else "unknown"
    return render(
        "reports/wake.txt.j2",
        hibernated=report.hibernated,
        reason=report.reason,
        where=where,
        signals=report.signals,
        plan=state.plan if state else (),
        in_flight=state.in_flight if state else (),
        decision=report.decision,
        executed=report.executed,
        next_wake=next_wake,
    )
