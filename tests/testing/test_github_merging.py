"""Merging in the fake: closing keywords close linked issues as GitHub does, and only then."""

from __future__ import annotations

import github
import pytest

from testing import FakeGitHub
from testing.merging import linked_issues


@pytest.fixture
def repo(fake_github: FakeGitHub, github_client: github.Github) -> github.Repository.Repository:
    fake_github.add_repo("acme/api")
    return github_client.get_repo("acme/api")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Fixes #1", [1]),
        ("closes #2 and resolves #3", [2, 3]),
        ("RESOLVED: #4", [4]),
        ("Fixed #5, fix #5", [5]),
        ("acme/api#6 is fixed, closes acme/api#7", [7]),
        ("closes other/repo#8", []),
        ("See #9; prefixes #10 are not keywords", []),
        ("", []),
    ],
)
def test_closing_keywords_name_this_repositorys_issues(
    fake_github: FakeGitHub, repo: github.Repository.Repository, body: str, expected: list[int]
) -> None:
    assert linked_issues(fake_github.repos["acme/api"], body) == expected


def test_merging_into_the_default_branch_closes_linked_issues_as_completed_by_the_merger(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    issue = fake_github.add_issue("acme/api", "LICENSE missing")
    other = fake_github.add_issue("acme/api", "unrelated")
    fake_github.push("acme/api", {"LICENSE": "MIT\n"}, branch="prime/license")
    pull = fake_github.add_pull("acme/api", "prime/license", body=f"Adds it.\n\nFixes #{issue}")
    fake_github.merge("acme/api", pull, user="maintainer")
    closed = repo.get_issue(issue)
    assert (closed.state, closed.state_reason) == ("closed", "completed")
    assert closed.closed_by.login == "maintainer"
    assert repo.get_issue(other).state == "open"
    assert repo.get_pull(pull).merged
    assert fake_github.read("acme/api", "LICENSE") == "MIT\n"


def test_merging_into_another_branch_leaves_linked_issues_open(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    issue = fake_github.add_issue("acme/api", "LICENSE missing")
    fake_github.push("acme/api", {"x": "1\n"}, branch="release")
    fake_github.push("acme/api", {"LICENSE": "MIT\n"}, branch="fix")
    pull = fake_github.add_pull("acme/api", "fix", base="release", body=f"Fixes #{issue}")
    fake_github.merge("acme/api", pull)
    assert repo.get_issue(issue).state == "open"


def test_a_pull_request_closed_unmerged_closes_nothing(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    issue = fake_github.add_issue("acme/api", "LICENSE missing")
    fake_github.push("acme/api", {"LICENSE": "MIT\n"}, branch="prime/license")
    pull = fake_github.add_pull("acme/api", "prime/license", body=f"Fixes #{issue}")
    fake_github.close("acme/api", pull)
    assert repo.get_issue(issue).state == "open"
    assert not repo.get_pull(pull).merged


def test_closing_through_the_api_records_who_closed_it(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    issue = repo.create_issue("x")
    issue.edit(state="closed", state_reason="not_planned")
    again = repo.get_issue(issue.number)
    assert (again.state_reason, again.closed_by.login) == ("not_planned", "github-actions[bot]")
