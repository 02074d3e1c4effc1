"""The tracking issue a runner works under, when a person asked to follow the problem there."""

from __future__ import annotations

from prime_action.domain.ports import IssueStore
from prime_action.runners.job import Job
from prime_action.runners.report import open_tracking_issue


def job_issue(issues: IssueStore, job: Job) -> int | None:
    """The open tracking issue of the job's signal, if any; a runner never opens one.

    Work that goes straight to a PR has the PR as its record (DESIGN §4), and the
    repository's Prime opens an issue only when a person must act. When an issue exists, the
    PR says `Fixes #n`, so merging it closes the issue as completed.

    Args:
        issues: Prime's issues in the job's repository.
        job: the dispatched job.

    Returns:
        The issue's number, or None when there is none.
    """
    return open_tracking_issue(issues.tracking_issues(), job.signal)
