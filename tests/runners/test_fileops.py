"""The fileops runner: the signal's template fix proposed through the boundary, as an Outcome."""

from __future__ import annotations

from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.runners.fileops import RepoListing, run_fileops
from prime_action.runners.job import Job
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


def test_a_repository_that_has_the_file_succeeds_without_a_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    listing = LISTING.model_copy(update={"paths": ("README.md", "docs/SECURITY.md")})

    result = run_fileops(JOB, listing, host, issue=None, now=fake_github.now())

    assert (result.outcome.status, result.outcome.pr_url, result.outcome.reason) == (
        "success",
        None,
        "nothing to change",
    )


def test_a_signal_without_a_fileops_fix_fails_with_the_reason(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    job = JOB.model_copy(update={"signal": "ci"})

    result = run_fileops(job, LISTING, host, issue=None, now=fake_github.now())

    assert result.outcome.status == "failed"
    assert "'ci' has no fileops fix" in result.outcome.reason


def test_codeowners_without_a_real_owner_is_blocked_for_a_person_with_no_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    job = JOB.model_copy(update={"signal": "codeowners"})

    result = run_fileops(job, LISTING, host, issue=None, now=fake_github.now())

    assert result.outcome.status == "blocked"
    assert "CODEOWNERS needs a real owner" in result.outcome.reason
    assert fake_github.pulls(REPO) == []


def test_a_partial_dependabot_config_is_merged_into_in_the_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    mine = "version: 2\nupdates: []\n"
    listing = RepoListing(
        paths=(".github/dependabot.yml", ".github/workflows/ci.yml"),
        files={".github/dependabot.yml": mine},
        owner="@acme",
    )
    job = JOB.model_copy(update={"signal": "dependabot"})

    result = run_fileops(job, listing, host, issue=None, now=fake_github.now())

    assert result.outcome.status == "success"
    merged = fake_github.read(REPO, ".github/dependabot.yml", "prime/dependabot")
    assert merged.startswith('version: 2\nupdates:\n  - package-ecosystem: "github-actions"')
