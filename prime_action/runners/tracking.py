"""The tracking issue a runner works under (DESIGN §4: one issue per (repo, signal) problem)."""

from __future__ import annotations

from typing import Protocol

from prime_action.domain.markers import data_marker, signal_marker
from prime_action.domain.ports import IssueStore
from prime_action.runners.job import Job
from prime_action.runners.report import open_tracking_issue
from prime_action.templating import render


class JobIssues(IssueStore, Protocol):
    """Prime's issues in the job's repository, and whether a Prime lives there."""

    # True when the repository has a Prime of its own (its dashboard issue exists).
    def has_dashboard(self) -> bool: ...


def job_issue(issues: JobIssues, job: Job, fingerprint: str, in_progress: str) -> int | None:
    """The open tracking issue of the job's signal, opened now when a Prime lives there.

    Org Prime ranks a repository's whole plan, so a job may run before the repository's Prime
    opened the issue of that plan item. The runner then opens it (found by its marker, so a
    rerun or the repository's next wake reuses it): the PR says `Fixes #n`, the report
    comments there, and whether a problem ever had an issue does not depend on the order of
    wakes and jobs. A repository without a Prime gets none (nothing would close it when its
    signal recovers), and an issue a maintainer closed on this fingerprint (a 'no') is never
    reopened here.

    Args:
        issues: Prime's issues in the job's repository.
        job: the dispatched job.
        fingerprint: the signal's fingerprint when the attempt was recorded (may be empty).
        in_progress: the label saying a runner is working on it.

    Returns:
        The issue's number, or None when there is none to work under.
    """
    mine = [i for i in issues.tracking_issues() if i.signal == job.signal]
    found = open_tracking_issue(mine, job.signal)
    if found is not None:
        return found
    refused = any(i.closed_by_human and i.fingerprint == fingerprint for i in mine)
    if refused or not issues.has_dashboard():
        return None
    body = render(
        "issues/tracking-job.md.j2",
        marker=signal_marker(job.signal),
        data=data_marker({"signal": job.signal, "fingerprint": fingerprint}),
        job=job,
    )
    title = f"Prime: {job.signal}: {job.approach or 'failing'}"[:120]
    return issues.open_issue(job.signal, title, body, (in_progress,))
