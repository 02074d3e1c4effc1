"""`prime jobs` on GitHub: the ledger's attempts listed, or one cancelled with its run."""

from __future__ import annotations

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


def list_jobs(env: DataPlaneEnv, *, show_all: bool) -> str:
    """The ledger's attempts as a table: those that run or need a look, or all of them.

    Args:
        env: the Actions environment naming the ledger's repository.
        show_all: list concluded attempts too.

    Returns:
        The rendered listing.
    """
    client = env.client()
    try:
        attempts = GitHubLedger(client, env.repository).load()
    finally:
        client.close()
    shown = [a for a in attempts if show_all or a.status in SHOWN]
    return render("reports/jobs.txt.j2", attempts=shown, total=len(attempts))


def cancel_job(env: DataPlaneEnv, attempt_id: str) -> Attempt:
    """Cancel one attempt of the environment's ledger (see `cancel`)."""
    client = env.client()
    try:
        ledger = GitHubLedger(client, env.repository)
        return cancel(client, env.repository, ledger, attempt_id, SystemClock().now())
    finally:
        client.close()


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
