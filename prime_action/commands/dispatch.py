"""`prime dispatch`: one dispatcher cycle over the org repo's run-sheet.json (DESIGN §6)."""

from __future__ import annotations

import argparse
import os
import sys

from prime_action.adapters.github.branch import BranchFiles
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import RUNNER_WORKFLOW, WorkflowLauncher
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.config.loader import parse_yaml
from prime_action.config.models import OrgConfig
from prime_action.dispatch.cycle import DispatchReport, run_cycle
from prime_action.dispatch.sheet import RUN_SHEET_FILE, org_settings, parse_run_sheet
from prime_action.domain.clock import SystemClock
from prime_action.templating import render

ORG_CONFIG = ".github/prime-org.yml"


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
    env = DataPlaneEnv.from_environ(os.environ, args.repo)
    client = env.client()
    try:
        report = dispatch_org(client, env, args.timeout_hours, args.workflow)
        requests, writes = client.counter.total, client.counter.writes
    finally:
        client.close()
    summary = render("summaries/dispatch.md.j2", report=report, requests=requests, writes=writes)
    sys.stdout.write(summary)
    env.publish(summary, {"dispatched": str(len(report.dispatched))})
    return 1 if report.error else 0


def dispatch_org(
    client: GitHubClient, env: DataPlaneEnv, timeout_hours: float, workflow: str
) -> DispatchReport:
    """Read the org config and run sheet from the default branch, then run one cycle."""
    default = _default_branch(client, env)
    main = BranchFiles(client, env.repository, default)
    config_path = env.config_path or ORG_CONFIG
    config = parse_yaml(main.read(config_path) or "", OrgConfig, config_path)
    text = main.read(RUN_SHEET_FILE)
    items = parse_run_sheet(text, RUN_SHEET_FILE) if text else ()
    ref = env.ref or default
    launcher = WorkflowLauncher(
        client, env.repository, ref, workflow=workflow, spacing=env.write_spacing
    )
    return run_cycle(
        GitHubLedger(client, env.repository),
        launcher,
        items,
        org_settings(config, timeout_hours, env.write_spacing),
        SystemClock().now(),
    )


def _default_branch(client: GitHubClient, env: DataPlaneEnv) -> str:
    repo = client.github.get_repo(env.repository)
    return str(client.read(f"read {env.repository}", lambda: repo.default_branch))
