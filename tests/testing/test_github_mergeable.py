"""The fake GitHub's mergeability: null while its job runs, then computed from its git store."""

from __future__ import annotations

import github
import pytest

from testing import FakeGitHub


@pytest.fixture
def repo(fake_github: FakeGitHub, github_client: github.Github) -> github.Repository.Repository:
    fake_github.add_repo("acme/api", files={"README.md": "hello\n"})
    return github_client.get_repo("acme/api")


def _mergeability(repo: github.Repository.Repository, number: int) -> tuple[bool | None, str]:
    pull = repo.get_pull(number)
    return pull.mergeable, pull.mergeable_state


def test_mergeable_is_null_until_the_job_has_run_then_clean(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.push("acme/api", {".editorconfig": "root = true\n"}, branch="prime/editorconfig")
    created = repo.create_pull(base="main", head="prime/editorconfig", title="fix", body="")
    assert (created.mergeable, created.mergeable_state) == (None, "unknown")
    assert _mergeability(repo, created.number) == (True, "clean")


def test_a_base_that_changed_the_same_file_makes_the_pull_request_dirty(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.push("acme/api", {".editorconfig": "root = true\n"}, branch="prime/editorconfig")
    number = fake_github.add_pull("acme/api", "prime/editorconfig")
    assert _mergeability(repo, number) == (None, "unknown")
    assert _mergeability(repo, number) == (True, "clean")
    fake_github.push("acme/api", {".editorconfig": "root = false\n"})
    # The base moved: the job runs again, and says so with null first.
    assert _mergeability(repo, number) == (None, "unknown")
    assert _mergeability(repo, number) == (False, "dirty")


def test_a_base_that_changed_other_files_or_the_same_content_still_merges(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.push("acme/api", {"LICENSE": "MIT\n"}, branch="prime/license")
    number = fake_github.add_pull("acme/api", "prime/license")
    fake_github.push("acme/api", {"README.md": "hello again\n"})
    fake_github.push("acme/api", {"LICENSE": "MIT\n"})
    _mergeability(repo, number)
    assert _mergeability(repo, number) == (True, "clean")


def test_listed_pull_requests_carry_no_mergeability(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.push("acme/api", {"LICENSE": "MIT\n"}, branch="prime/license")
    fake_github.add_pull("acme/api", "prime/license")
    fake_github.reset_counts()
    (listed,) = repo.get_pulls(state="open")
    assert "mergeable" not in listed._rawData  # raw_data would fetch the PR
    assert "mergeable_state" not in listed._rawData
    assert len(fake_github.log) == 1


def test_a_closed_pull_request_is_not_checked(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.push("acme/api", {"LICENSE": "MIT\n"}, branch="prime/license")
    number = fake_github.add_pull("acme/api", "prime/license")
    _mergeability(repo, number)
    repo.get_pull(number).edit(state="closed")
    assert _mergeability(repo, number) == (None, "unknown")
