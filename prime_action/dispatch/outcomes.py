"""Runner outcomes folded into the ledger, and escalation: three equal failures make `blocked`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from prime_action.dispatch.ledger import find, history, upsert
from prime_action.domain.errors import GitHubError, PrimeError, UsageError
from prime_action.domain.models import Attempt
from prime_action.domain.values import Frozen

FAILURES_TO_BLOCK = 3
# `cancelled`: GitHub failed under the job (an outage, not the job's own failure).
OutcomeStatus = Literal["success", "failed", "blocked", "cancelled"]
# A report is welcome while the attempt is open, and also after it timed out: late is true.
LATE_REPORTABLE = frozenset({"pending", "running", "timeout"})


class Outcome(Frozen):
    """What a runner reports: success (with a PR), or why not."""

    attempt: str
    status: OutcomeStatus
    reason: str = ""
    pr_url: str | None = None


INTERRUPTED = "GitHub failed under the job, not the job itself ({error}); it runs again"
# A PR boundary rule said "not now" (a conflicting PR, a PR limit): the attempt failed and
# cools down, but the job is not at fault, so the row of failures that blocks it is not extended.
SKIPPED = "skipped: "


def github_outage(error: PrimeError) -> bool:
    """Whether an error is GitHub's passing trouble: no answer, a 5xx, or a rate limit.

    A 401, 403 or 404 is not: it fails the same way every time, and must escalate.
    """
    if not isinstance(error, GitHubError):
        return False
    status = error.status
    limited = status in (403, 429) and "rate limit" in str(error).lower()
    return status is None or status >= 500 or status == 429 or limited


def failure(attempt: str, error: PrimeError) -> Outcome:
    """The outcome of a job stopped by an error: `cancelled` when GitHub was the cause.

    A cancelled attempt is nobody's failure: it neither counts towards nor breaks the three
    equal failures that block an item, and it has no cooldown (DESIGN §6).
    """
    if github_outage(error):
        return Outcome(attempt=attempt, status="cancelled", reason=INTERRUPTED.format(error=error))
    return Outcome(attempt=attempt, status="failed", reason=str(error))


def same_failure(earlier: Attempt, reason: str, fingerprint: str) -> bool:
    """Whether an earlier attempt failed for this reason on this fingerprint."""
    return (
        earlier.status == "failed"
        and earlier.reason.strip() == reason.strip()
        and earlier.fingerprint == fingerprint
    )


def escalates(attempts: tuple[Attempt, ...], attempt: Attempt, reason: str) -> bool:
    """Whether a failure is the third in a row with the same reason (DESIGN §6).

    Cancelled attempts are nobody's failure and do not break or extend the row.
    """
    earlier = [
        a
        for a in history(attempts, attempt.repo, attempt.signal)
        if a.id != attempt.id and a.status != "cancelled" and a.created_at <= attempt.created_at
    ][-(FAILURES_TO_BLOCK - 1) :]
    return len(earlier) == FAILURES_TO_BLOCK - 1 and all(
        same_failure(a, reason, attempt.fingerprint) for a in earlier
    )


def conclude(attempts: tuple[Attempt, ...], outcome: Outcome, now: datetime) -> Attempt:
    """The attempt as the outcome leaves it (a third equal failure becomes `blocked`).

    Args:
        attempts: the ledger.
        outcome: the runner's report.
        now: the current moment.

    Returns:
        The updated attempt.

    Raises:
        UsageError: the ledger has no attempt with the outcome's id.
    """
    attempt = find(attempts, outcome.attempt)
    if attempt is None:
        msg = (
            f"attempts.jsonl has no attempt '{outcome.attempt}'; check the attempt input of the "
            "runner workflow (it comes from `prime dispatch`)"
        )
        raise UsageError(msg)
    status = outcome.status
    not_now = outcome.reason.startswith(SKIPPED)
    if status == "failed" and not not_now and escalates(attempts, attempt, outcome.reason):
        status = "blocked"
    return attempt.model_copy(
        update={
            "status": status,
            "reason": outcome.reason,
            "pr_url": outcome.pr_url,
            "updated_at": now,
            "heartbeat_at": now,
        }
    )


def record_outcome(
    attempts: tuple[Attempt, ...], outcome: Outcome, now: datetime
) -> tuple[Attempt, ...]:
    """The ledger with the outcome folded in; a repeated report changes nothing more."""
    current = find(attempts, outcome.attempt)
    if current is not None and current.status not in LATE_REPORTABLE:
        return attempts  # already concluded: a rerun of the report step is a no-op
    return upsert(attempts, conclude(attempts, outcome, now))


def mark_running(
    attempts: tuple[Attempt, ...], attempt_id: str, run_id: int | None, now: datetime
) -> tuple[Attempt, ...]:
    """A runner started: the attempt is running, with its run id and a heartbeat."""
    current = find(attempts, attempt_id)
    if current is None or current.status not in ("pending", "running"):
        return attempts
    update: dict[str, object] = {"status": "running", "heartbeat_at": now, "updated_at": now}
    if run_id is not None:
        update["run_id"] = run_id
    return upsert(attempts, current.model_copy(update=update))
