"""`prime report`: end a runner: ledger entry, tracking-issue comment, `prime-job-result` wake."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import send_job_result
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.session import OUTCOME_FILE, DataPlaneEnv
from prime_action.config.models import LabelSettings
from prime_action.dispatch.outcomes import Outcome
from prime_action.domain.clock import SystemClock
from prime_action.domain.errors import ConfigError
from prime_action.domain.ports import IssueStore
from prime_action.runners.report import report
from prime_action.templating import render

NO_OUTCOME = "the runner stopped before writing its outcome; see the log of run {run}"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--outcome", type=Path, help=f"the runner's outcome ($RUNNER_TEMP/{OUTCOME_FILE})"
    )
    parser.add_argument("--attempt", help="the attempt id (default: the event's `attempt` input)")


def run(args: argparse.Namespace) -> int:
    """Report the outcome; a missing outcome file is reported as a failure, never dropped."""
    env = DataPlaneEnv.from_environ(os.environ)
    outcome = read_outcome(args.outcome or env.temp / OUTCOME_FILE, env, args.attempt)
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
    return 0


def _issues(client: GitHubClient, repo: str) -> IssueStore:
    return GitHubIssueStore(client, repo, LabelSettings())


def read_outcome(path: Path, env: DataPlaneEnv, attempt: str | None) -> Outcome:
    """The outcome `prime run` wrote; without one, a failure naming the run to look at.

    Raises:
        ConfigError: no outcome file and no attempt id to report a failure for, or a damaged file.
    """
    if path.is_file():
        try:
            return Outcome.model_validate_json(path.read_text(encoding="utf-8"))
        except ValidationError as e:
            msg = f"not an outcome written by `prime run` ({e.error_count()} errors); rerun the job"
            raise ConfigError(msg, file=str(path)) from e
    attempt = attempt or str(env.inputs().get("attempt") or "")
    if not attempt:
        msg = "no outcome file and no attempt id: pass --attempt ID or run in the runner workflow"
        raise ConfigError(msg, file=str(path))
    reason = NO_OUTCOME.format(run=env.run_id or "(unknown)")
    return Outcome(attempt=attempt, status="failed", reason=reason)
