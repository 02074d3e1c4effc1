"""`prime dispatch`: one dispatcher cycle over the org repo's run-sheet.json (DESIGN §6)."""

from __future__ import annotations

import argparse
import os

from prime_action.adapters.github.dispatch import RUNNER_WORKFLOW
from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.flows.dispatch import dispatch_on_github


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("--repo", metavar="OWNER/NAME", help="the org repository (default: here)")
    parser.add_argument(
        "--timeout-hours",
        type=float,
        default=24.0,
        help="an attempt with no report after this long becomes `timeout` (default: 24)",
    )
    parser.add_argument(
        "--workflow",
        default=RUNNER_WORKFLOW,
        help=f"the runner workflow file (default: {RUNNER_WORKFLOW})",
    )


def run(args: argparse.Namespace) -> int:
    """Run one cycle; exit 1 when a dispatch failed (the rest of the cycle is safe to rerun)."""
    env = DataPlaneEnv.from_environ(os.environ, args.repo, takes_repo=True)
    report = dispatch_on_github(env, args.timeout_hours, args.workflow)
    return 1 if report.error else 0
