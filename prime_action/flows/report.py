"""`prime report` on GitHub: ledger entry, tracking-issue comment, `prime-job-result` wake."""

from __future__ import annotations

import sys

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import send_job_result
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.config.models import LabelSettings
from prime_action.dispatch.outcomes import Outcome
from prime_action.domain.clock import SystemClock
from prime_action.domain.models import Attempt
from prime_action.domain.ports import IssueStore
from prime_action.runners.report import report
from prime_action.templating import render


def report_on_github(env: DataPlaneEnv, outcome: Outcome) -> Attempt:
    """Report a runner's outcome: ledger entry, tracking-issue comment, repository wake.

    Args:
        env: the runner workflow's Actions environment (ledger repository, token, outputs).
        outcome: what `prime run` wrote, or the failure standing in for it.

    Returns:
        The attempt as the ledger now holds it.
    """
    client = env.client()
    try:
        attempt = report(
            outcome,
            GitHubLedger(client, env.repository),
            lambda repo: _issues(client, repo),
            lambda repo, payload: send_job_result(client, repo, payload),
            labels=LabelSettings(),
            now=SystemClock().now(),
        )
        requests = client.counter.total
    finally:
        client.close()
    summary = render("summaries/report.md.j2", attempt=attempt, requests=requests)
    sys.stdout.write(summary)
    env.publish(summary, {"status": attempt.status})
    return attempt


def _issues(client: GitHubClient, repo: str) -> IssueStore:
    return GitHubIssueStore(client, repo, LabelSettings())
