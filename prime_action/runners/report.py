"""The report at the end of every runner (DESIGN §6): ledger entry, issue comment, repo wake."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from prime_action.config.models import LabelSettings
from prime_action.dispatch.ledger import find
from prime_action.dispatch.outcomes import Outcome, record_outcome
from prime_action.dispatch.ports import AttemptLedger
from prime_action.domain.errors import UsageError
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import Attempt
from prime_action.domain.ports import IssueStore, TrackedIssue
from prime_action.templating import render

Notify = Callable[[str, dict[str, Any]], None]  # (target repo, client_payload)


def open_tracking_issue(tracked: Iterable[TrackedIssue], signal: str) -> int | None:
    """The open tracking issue of a signal among Prime's issues (the oldest), if any."""
    found = [i.number for i in tracked if i.signal == signal and i.state == "open"]
    return min(found) if found else None


def tracking_issue(issues: IssueStore, signal: str) -> int | None:
    """The open tracking issue of a signal (found by its marker), if any."""
    return open_tracking_issue(issues.tracking_issues(), signal)


def job_result_payload(attempt: Attempt, issue: int | None) -> dict[str, Any]:
    """The `prime-job-result` client_payload: what the repo's Prime folds into its memory."""
    return {
        "attempt": attempt.id,
        "signal": attempt.signal,
        "runner": attempt.runner,
        "status": attempt.status,
        "reason": attempt.reason[:500],
        "fingerprint": attempt.fingerprint,
        "pr_url": attempt.pr_url,
        "issue": issue,
    }


def _tell(
    store: IssueStore, issue: int, attempt: Attempt, labels: LabelSettings, *, at_once: bool
) -> None:
    """Comment on the tracking issue only when a person must act (the runner gave up).

    A PR notifies by itself, a failure that will be retried and a cancelled run are no news:
    the dashboard lists them. Labels follow the attempt either way (labels notify nobody).
    """
    if attempt.status == "blocked":
        marker = comment_marker(f"result-{attempt.id}")
        body = render("comments/job-result.md.j2", marker=marker, attempt=attempt, at_once=at_once)
        store.comment(issue, body, marker)
    if attempt.status != "cancelled":
        add = (labels.needs_human,) if attempt.status == "blocked" else ()
        store.set_labels(issue, add, (labels.in_progress,))


def report(
    outcome: Outcome,
    ledger: AttemptLedger,
    issues: Callable[[str], IssueStore],
    notify: Notify,
    *,
    labels: LabelSettings,
    now: datetime,
) -> Attempt:
    """Record the outcome, tell the tracking issue if any, and wake the repository's Prime.

    Every step is safe to repeat: the ledger keeps the first conclusion, the comment carries
    a marker, labels are only added once; the wake is sent again, and a wake is idempotent.
    An attempt cancelled by a GitHub outage gets no comment: it will run again.

    Args:
        outcome: what the runner reports.
        ledger: the attempt ledger.
        issues: the issue store of a repository, by full name.
        notify: sends the `prime-job-result` repository_dispatch.
        labels: the label names (needs-human, in-progress).
        now: the current moment.

    Returns:
        The attempt as recorded (`blocked` after the third equal failure).
    """
    attempt = find(ledger.change(lambda a: record_outcome(a, outcome, now)), outcome.attempt)
    if attempt is None:
        msg = f"attempt '{outcome.attempt}' vanished from attempts.jsonl while reporting; rerun"
        raise UsageError(msg)
    store = issues(attempt.repo)
    issue = tracking_issue(store, attempt.signal)
    if issue is not None:
        # The runner blocked it itself (it would end the same way again), or a third equal
        # failure did; the comment says which.
        _tell(store, issue, attempt, labels, at_once=outcome.status == "blocked")
    notify(attempt.repo, job_result_payload(attempt, issue))
    return attempt
