"""`prime jobs`: list the attempts in the ledger; `prime jobs cancel ID` cancels a running one."""

from __future__ import annotations

import argparse
import os
import sys

from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.domain.errors import UsageError
from prime_action.flows.jobs import cancel_job, list_jobs


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
    env = DataPlaneEnv.from_environ(os.environ, args.repo, takes_repo=True)
    if args.words:
        attempt = cancel_job(env, args.words[1])
        sys.stdout.write(f"cancelled {attempt.id} (run {attempt.run_id or 'not started'})\n")
        return 0
    sys.stdout.write(list_jobs(env, show_all=args.all))
    return 0
