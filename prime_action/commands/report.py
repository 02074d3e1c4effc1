"""`prime report`: end a runner: ledger entry, tracking-issue comment, `prime-job-result` wake."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pydantic import ValidationError

from prime_action.adapters.github.session import OUTCOME_FILE, DataPlaneEnv
from prime_action.dispatch.outcomes import Outcome
from prime_action.domain.errors import ConfigError
from prime_action.flows.report import report_on_github

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
    report_on_github(env, read_outcome(args.outcome or env.temp / OUTCOME_FILE, env, args.attempt))
    return 0


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
