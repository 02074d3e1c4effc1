"""`prime jobs`: list the attempts in the ledger; `prime jobs cancel ID` cancels a running one."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import cancel_run
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.dispatch.ledger import OPEN, find, upsert
from prime_action.domain.clock import SystemClock
from prime_action.domain.errors import GitHubError, UsageError
from prime_action.domain.models import Attempt
from prime_action.templating import render

# What `prime jobs` shows unless --all: what runs, and what needs a look.
SHOWN = ("pending", "running", "failed", "blocked")
CANCELLED = "cancelled with `prime jobs cancel`"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("words", nargs="*", metavar="cancel ID", help="cancel one attempt")
    parser.add_argument(
        "--repo", metavar="OWNER/NAME", help="the ledger's repository (default: here)"
    )
    parser.add_argument("--all", action="store_true", help="every attempt, concluded ones too")


def run(args: argparse.Namespace) -> int:
    """List attempts, or cancel one."""
    if args.words and (args.words[0] != "cancel" or len(args.words) != 2):
        msg = (
            f"unknown arguments {' '.join(args.words)}; use `prime jobs` or `prime jobs cancel ID`"
        )
        raise UsageError(msg)
    env = DataPlaneEnv.from_environ(os.environ, args.repo)
    client = env.client()
    try:
        ledger = GitHubLedger(client, env.repository)
        if args.words:
            attempt = cancel(client, env.repository, ledger, args.words[1], SystemClock().now())
            sys.stdout.write(f"cancelled {attempt.id} (run {attempt.run_id or 'not started'})\n")
            return 0
        attempts = ledger.load()
    finally:
        client.close()
    shown = [a for a in attempts if args.all or a.status in SHOWN]
    sys.stdout.write(render("reports/jobs.txt.j2", attempts=shown, total=len(attempts)))
    return 0


def cancel(
    client: GitHubClient, repo: str, ledger: GitHubLedger, attempt_id: str, now: datetime
) -> Attempt:
    """Cancel the attempt's run through the Actions API, then mark it cancelled in the ledger.

    Raises:
        UsageError: no such attempt, or it is not pending or running.
    """
    attempt = find(ledger.load(), attempt_id)
    if attempt is None:
        msg = f"no attempt '{attempt_id}' in {repo}'s attempts.jsonl; `prime jobs` lists them"
        raise UsageError(msg)
    if attempt.status not in OPEN:
        msg = f"attempt {attempt_id} is {attempt.status}, not pending or running: nothing to cancel"
        raise UsageError(msg)
    if attempt.run_id is not None:
        try:
            cancel_run(client, repo, attempt.run_id)
        except GitHubError as e:
            if e.status != 409:  # 409: the run completed meanwhile; its report says how
                raise

    def mark(attempts: tuple[Attempt, ...]) -> tuple[Attempt, ...]:
        current = find(attempts, attempt_id)
        if current is None or current.status not in OPEN:
            return attempts
        update = {"status": "cancelled", "reason": CANCELLED, "updated_at": now}
        return upsert(attempts, current.model_copy(update=update))

    return find(ledger.change(mark), attempt_id) or attempt
