"""The fileops runner: the signal's template fix proposed through the boundary, as an Outcome."""

from __future__ import annotations

from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.config.models import PrSettings
from prime_action.domain.markers import pull_signals
from prime_action.runners.boundary import PrPolicy
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
    assert fake_github.read(REPO, "SECURITY.md", "prime/fileops")  # prs.group: fileops


def test_template_fixes_travel_together_in_one_pull_request_while_it_is_open(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    license_job = JOB.model_copy(update={"attempt": "license-1", "signal": "license"})
    first = run_fileops(JOB, LISTING, host, issue=None, now=fake_github.now())
    second = run_fileops(license_job, LISTING, host, issue=7, now=fake_github.now())
    again = run_fileops(license_job, LISTING, host, issue=7, now=fake_github.now())

    (pull,) = fake_github.pulls(REPO)
    assert first.outcome.pr_url == second.outcome.pr_url == again.outcome.pr_url
    assert pull.title == "Prime: template fixes (2)"
    body = pull.body or ""
    assert pull_signals(body) == ("security-policy", "license")
    assert "**license**: `LICENSE`" in body
    assert "Fixes #7" in body
    assert fake_github.read(REPO, "SECURITY.md", "prime/fileops")
    assert fake_github.read(REPO, "LICENSE", "prime/fileops")
    assert fake_github.comments(REPO, pull.number) == []


def test_with_group_none_each_signal_gets_its_own_branch(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    policy = PrPolicy(limits=PrSettings(group="none"))
    license_job = JOB.model_copy(update={"attempt": "license-1", "signal": "license"})
    run_fileops(JOB, LISTING, host, issue=None, now=fake_github.now(), policy=policy)
    run_fileops(license_job, LISTING, host, issue=None, now=fake_github.now(), policy=policy)

    heads = sorted(p.pull.head for p in fake_github.pulls(REPO) if p.pull)
    assert heads == ["prime/license", "prime/security-policy"]


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
    merged = fake_github.read(REPO, ".github/dependabot.yml", "prime/fileops")
    assert merged.startswith('version: 2\nupdates:\n  - package-ecosystem: "github-actions"')


def test_the_repositorys_other_planned_template_fixes_join_the_first_job_s_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    first = run_fileops(JOB, LISTING, host, issue=None, now=fake_github.now(),
                        companions=("license", "codeowners"))  # fmt: skip
    (pull,) = fake_github.pulls(REPO)
    # CODEOWNERS needs a person's choice of owner here: left to its own job, which says so.
    assert pull_signals(pull.body) == ("security-policy", "license")
    assert fake_github.read(REPO, "LICENSE", "prime/fileops")
    head = fake_github.ref(REPO, "heads/prime/fileops")
    # The license job, dispatched later, finds its change open: no new commit, no new PR.
    license_job = JOB.model_copy(update={"attempt": "license-1", "signal": "license"})
    later = run_fileops(license_job, LISTING, host, issue=None, now=fake_github.now())
    assert later.outcome.pr_url == first.outcome.pr_url
    assert fake_github.ref(REPO, "heads/prime/fileops") == head
    assert len(fake_github.pulls(REPO)) == 1
