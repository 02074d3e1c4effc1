"""The fileops runner: the signal's template fix proposed through the boundary, as an Outcome."""

from __future__ import annotations

from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.runners.fileops import RepoListing, run_fileops
from prime_action.runners.job import Job
from prime_action.runners.result import NOTHING_TO_CHANGE
from testing.github import FakeGitHub
from tests.runners.conftest import REPO

JOB = Job(attempt="security-policy-1", repo=REPO, signal="security-policy", runner="fileops")
LISTING = RepoListing(paths=("README.md",), owner="@acme")


def test_a_missing_file_becomes_a_pull_request_that_fixes_the_tracking_issue(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    result = run_fileops(JOB, LISTING, host, issue=4, now=fake_github.now())

    assert result.outcome.status == "success"
    assert result.outcome.pr_url == "https://github.test/acme/api/pull/1"
    (pull,) = fake_github.pulls(REPO)
    assert "Fixes #4" in (pull.body or "")
    assert fake_github.read(REPO, "SECURITY.md", "prime/security-policy")


def test_a_fix_with_nothing_to_change_blocks_once_with_the_reason_and_opens_no_pr(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    # The signal failed, yet its fix finds nothing to write: a success here was retried at
    # every cooldown forever (issue 16); blocked, it waits for a person or a new fingerprint.
    listing = LISTING.model_copy(update={"paths": ("README.md", "docs/SECURITY.md")})

    result = run_fileops(JOB, listing, host, issue=None, now=fake_github.now())

    assert (result.outcome.status, result.outcome.pr_url, result.outcome.reason) == (
        "blocked",
        None,
        f"{NOTHING_TO_CHANGE}nothing to change",
    )
    assert fake_github.pulls(REPO) == []


def test_a_signal_without_a_fileops_fix_fails_with_the_reason(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    job = JOB.model_copy(update={"signal": "ci"})

    result = run_fileops(job, LISTING, host, issue=None, now=fake_github.now())

    assert result.outcome.status == "failed"
    assert "'ci' has no fileops fix" in result.outcome.reason
