"""Every PR boundary rule over the fake GitHub: one test per rule (issue 7's acceptance)."""

from __future__ import annotations

from datetime import datetime

import pytest

from prime_action.adapters.github.hygiene import closed_by_prime
from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.runners.boundary import (
    BoundaryError,
    Proposal,
    PrPolicy,
    WorkflowRefused,
    propose,
)
from prime_action.runners.guardrails import Activity, Guardrails, Limits
from testing.github import FakeGitHub
from testing.router import FakeRequest
from tests.runners.conftest import REPO


def body(key: str = "license") -> str:
    return f"<!-- prime:comment=pr-{key} -->\nFixes #3"


def offer(
    fake: FakeGitHub,
    host: GitHubPulls,
    signal: str,
    files: dict[str, str],
    policy: PrPolicy | None = None,
) -> Proposal:
    return propose(
        host,
        signal,
        files,
        title=f"Prime: fix {signal}",
        body=body(signal),
        now=fake.now(),
        policy=policy or PrPolicy(),
    )


def test_the_same_change_already_open_is_reused_not_proposed_again(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    first = offer(fake_github, host, "license", {"LICENSE": "MIT\n"})
    fake_github.reset_counts()

    again = offer(fake_github, host, "license", {"LICENSE": "MIT\n"})
    elsewhere = offer(fake_github, host, "license-file", {"LICENSE": "MIT\n"})

    assert first.pull is not None
    assert again.pull is not None
    assert elsewhere.pull is not None
    assert again.pull.url == elsewhere.pull.url == first.pull.url
    assert "already open in #" in again.note
    assert fake_github.writes == 0
    assert len(fake_github.pulls(REPO)) == 1


def test_an_open_pull_request_touching_the_same_files_means_skip_with_its_number(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    fake_github.push(REPO, {"README.md": "# api, by hand\n"}, branch="docs", author="ann")
    number = fake_github.add_pull(REPO, "docs", user="ann")
    fake_github.reset_counts()

    proposal = offer(fake_github, host, "readme", {"README.md": "# api\n\nMore.\n"})

    assert proposal.skipped
    assert proposal.pull is None
    assert f"open PR #{number} also changes README.md" in proposal.note
    assert fake_github.writes == 0


def test_a_human_commit_on_the_signal_branch_stops_the_runner_and_says_why(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    offer(fake_github, host, "license", {"LICENSE": "MIT\n"})
    human = fake_github.push(
        REPO, {"NOTES.md": "mine"}, branch="prime/license", message="Tweak", author="ann"
    )
    fake_github.reset_counts()

    with pytest.raises(BoundaryError, match="1 commit\\(s\\) that Prime did not write"):
        offer(fake_github, host, "license", {"LICENSE": "MIT License\n"})

    assert fake_github.ref(REPO, "prime/license") == human
    assert fake_github.writes == 0


def test_the_per_repository_hourly_and_open_limits_skip_a_new_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    hourly = PrPolicy(limits=Limits(per_hour=1))
    concurrent = PrPolicy(limits=Limits(per_hour=10, max_open=1))
    offer(fake_github, host, "license", {"LICENSE": "MIT\n"}, hourly)

    per_hour = offer(fake_github, host, "readme", {"README.md": "# api!\n"}, hourly)
    open_now = offer(fake_github, host, "readme", {"README.md": "# api!\n"}, concurrent)
    security = offer(fake_github, host, "security-policy", {"SECURITY.md": "x\n"}, concurrent)

    assert per_hour.skipped
    assert "(prs.per_hour: 1)" in per_hour.note
    assert open_now.skipped
    assert "1 Prime PRs open here (prs.max_open: 1)" in open_now.note
    assert security.pull is not None  # security fixes pass the concurrency limit
    assert len(fake_github.pulls(REPO)) == 2


def test_the_hourly_limit_counts_only_the_last_hour(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    hourly = PrPolicy(limits=Limits(per_hour=1))
    offer(fake_github, host, "license", {"LICENSE": "MIT\n"}, hourly)
    later = datetime.fromisoformat("2100-01-01T00:00:00+00:00")

    proposal = propose(
        host, "readme", {"README.md": "x\n"}, title="t", body=body(), now=later, policy=hourly
    )

    assert proposal.pull is not None


@pytest.mark.parametrize(
    ("org", "key"),
    [
        (Activity(opened_last_hour=20), "prs.org_per_hour: 20"),
        (Activity(open_now=50), "prs.org_max_open: 50"),
    ],
)
def test_the_per_organisation_limits_skip_a_new_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls, org: Activity, key: str
) -> None:
    proposal = offer(fake_github, host, "license", {"LICENSE": "MIT\n"}, PrPolicy(org=org))

    assert proposal.skipped
    assert key in proposal.note
    assert fake_github.pulls(REPO) == []


def test_a_forbidden_path_is_not_pushed_and_the_reason_names_the_key(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    rails = PrPolicy(rails=Guardrails(forbidden_paths=("secrets/*",)))
    fake_github.reset_counts()

    with pytest.raises(
        BoundaryError, match=r"secrets/key\.txt matches guardrails\.forbidden_paths"
    ):
        offer(fake_github, host, "leak", {"secrets/key.txt": "x", "README.md": "y"}, rails)

    assert fake_github.writes == 0
    assert fake_github.ref(REPO, "prime/leak") is None


@pytest.mark.parametrize(
    ("rails", "reason"),
    [
        (Guardrails(write_paths=("docs/*",)), "outside guardrails.write_paths"),
        (Guardrails(max_files=1), "2 files changed, over guardrails.max_files (1)"),
        (Guardrails(max_lines=2), "3 lines changed, over guardrails.max_lines (2)"),
    ],
)
def test_a_change_outside_the_guardrails_is_not_pushed(
    fake_github: FakeGitHub, host: GitHubPulls, rails: Guardrails, reason: str
) -> None:
    with pytest.raises(BoundaryError, match=reason.replace("(", "\\(").replace(")", "\\)")):
        offer(fake_github, host, "x", {"a.txt": "1\n2\n", "README.md": "# api\n!\n"},
              PrPolicy(rails=rails))  # fmt: skip

    assert fake_github.pulls(REPO) == []


def test_a_workflow_file_is_refused_unless_allowed_and_the_refusal_keeps_the_file(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    workflow = {".github/workflows/ci.yml": "on: push\n"}
    fake_github.reset_counts()

    with pytest.raises(WorkflowRefused, match=r"guardrails\.allow_workflows") as refused:
        offer(fake_github, host, "ci", workflow)
    writes = fake_github.writes
    allowed = offer(
        fake_github, host, "ci", workflow, PrPolicy(rails=Guardrails(allow_workflows=True))
    )

    assert refused.value.files == workflow
    assert writes == 0
    assert allowed.pull is not None


def test_no_diff_against_the_default_branch_writes_nothing(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    fake_github.reset_counts()

    proposal = offer(fake_github, host, "readme", {"README.md": "# api\n"})

    assert (proposal.pull, proposal.skipped) == (None, False)
    assert "no diff against main" in proposal.note
    assert fake_github.writes == 0


def test_no_commits_between_the_branches_is_a_skip_not_a_failure(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    def creating_a_pull(request: FakeRequest) -> bool:
        return request.method == "POST" and request.template.endswith("/pulls")

    def merge_meanwhile(fake: FakeGitHub) -> None:  # someone fast-forwards main to the branch
        repo = fake.repos[REPO]
        repo.git.refs["refs/heads/main"] = repo.git.refs["refs/heads/prime/license"]

    fake_github.on_request(creating_a_pull, merge_meanwhile)

    proposal = offer(fake_github, host, "license", {"LICENSE": "MIT\n"})

    assert proposal.pull is None
    assert "no commits between main and prime/license" in proposal.note
    assert fake_github.pulls(REPO) == []


def test_actions_not_permitted_to_open_pull_requests_names_the_setting_to_change(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    fake_github.repos[REPO].actions_may_open_pulls = False

    with pytest.raises(BoundaryError) as refused:
        offer(fake_github, host, "license", {"LICENSE": "MIT\n"})

    assert "'Allow GitHub Actions to create and approve pull requests'" in str(refused.value)
    assert "Settings > Actions > General > Workflow permissions" in str(refused.value)
    assert fake_github.ref(REPO, "prime/license") is not None  # pushed, waiting for the PR


def test_the_same_change_a_person_closed_unmerged_is_not_proposed_again(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    first = offer(fake_github, host, "gitignore", {".gitignore": "*.pyc\n"})
    assert first.pull is not None
    (pull,) = fake_github.pulls(REPO)
    pull.state = "closed"  # a person said no; GitHub keeps merged false
    fake_github.reset_counts()

    again = offer(fake_github, host, "gitignore", {".gitignore": "*.pyc\n"})
    other = offer(fake_github, host, "gitignore", {".gitignore": "*.pyc\n__pycache__/\n"})

    assert again.skipped
    assert again.note == f"#{first.pull.number} with this same change was closed unmerged"
    assert other.pull is not None  # a different change may still be proposed
    assert len(fake_github.pulls(REPO)) == 2


def test_the_same_change_prime_closed_itself_as_idle_may_be_proposed_again(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    first = offer(fake_github, host, "gitignore", {".gitignore": "*.pyc\n"})
    assert first.pull is not None
    (pull,) = fake_github.pulls(REPO)
    pull.state = "closed"
    pull.body = closed_by_prime(pull.body or "", "stale")  # as the PR hygiene closes it

    again = offer(fake_github, host, "gitignore", {".gitignore": "*.pyc\n"})

    assert not again.skipped
    assert again.pull is not None
    assert again.pull.number != first.pull.number
