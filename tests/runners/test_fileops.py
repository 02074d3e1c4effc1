"""The fileops runner: the signal's template fix proposed through the boundary, as an Outcome."""

from __future__ import annotations

from prime_action.runners.fileops import RepoListing, run_fileops
from prime_action.runners.job import Job
from tests.runners.test_boundary import MemoryHost

JOB = Job(attempt="security-policy-1", repo="acme/api", signal="security-policy", runner="fileops")
LISTING = RepoListing(paths=("README.md",), owner="@acme")


def test_a_missing_file_becomes_a_pull_request_that_fixes_the_tracking_issue() -> None:
    host = MemoryHost()

    outcome = run_fileops(JOB, LISTING, host, issue=4, year=2026)

    assert outcome.status == "success"
    assert outcome.pr_url == "https://github.test/acme/api/pull/9"
    assert "Fixes #4" in host.pulls[0].body
    assert "SECURITY.md" in host.commits[host.branches["prime/security-policy"]]


def test_a_repository_that_has_the_file_succeeds_without_a_pull_request() -> None:
    listing = LISTING.model_copy(update={"paths": ("README.md", "docs/SECURITY.md")})

    outcome = run_fileops(JOB, listing, MemoryHost(), issue=None, year=2026)

    assert (outcome.status, outcome.pr_url, outcome.reason) == (
        "success",
        None,
        "nothing to change",
    )


def test_a_signal_without_a_fileops_fix_fails_with_the_reason() -> None:
    job = JOB.model_copy(update={"signal": "ci"})

    outcome = run_fileops(job, LISTING, MemoryHost(), issue=None, year=2026)

    assert outcome.status == "failed"
    assert "'ci' has no fileops fix" in outcome.reason
