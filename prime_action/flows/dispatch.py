"""`prime dispatch` on GitHub: one dispatcher cycle over the org run sheet (DESIGN §6)."""

from __future__ import annotations

import sys

from prime_action.adapters.github.branch import BranchFiles
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import WorkflowLauncher
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.config.loader import parse_yaml
from prime_action.config.org import OrgConfig
from prime_action.dispatch.cycle import DispatchReport, run_cycle
from prime_action.dispatch.sheet import RUN_SHEET_FILE, org_settings, parse_run_sheet
from prime_action.domain.clock import SystemClock
from prime_action.templating import render

ORG_CONFIG = ".github/prime-org.yml"


def dispatch_on_github(env: DataPlaneEnv, timeout_hours: float, workflow: str) -> DispatchReport:
    """Run one dispatcher cycle in the org repository and publish its summary.

    Args:
        env: the data plane's Actions environment (repository, token, outputs).
        timeout_hours: an attempt with no report after this long becomes `timeout`.
        workflow: the runner workflow file to dispatch.

    Returns:
        What the cycle dispatched and skipped, and the error that stopped it, if any.
    """
    client = env.client()
    try:
        report = dispatch_org(client, env, timeout_hours, workflow)
        requests, writes = client.counter.total, client.counter.writes
    finally:
        client.close()
    summary = render("summaries/dispatch.md.j2", report=report, requests=requests, writes=writes)
    sys.stdout.write(summary)
    env.publish(summary, {"dispatched": str(len(report.dispatched))})
    return report


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
