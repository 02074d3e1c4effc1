"""Files on a branch: read in one request, changed compare-and-swap, lost races re-read."""

from __future__ import annotations

import pytest

from prime_action.adapters.github.branch import MAX_ATTEMPTS, BranchFiles, BranchHead
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.state import git_blob_sha
from prime_action.domain.errors import ConflictError, StoreError
from testing.faults import Fault
from testing.github import FakeGitHub
from testing.router import FakeRequest

REPO = "acme/api"
BRANCH = "prime-state"


def _ref_move(request: FakeRequest) -> bool:
    return request.method == "PATCH" and request.template.endswith("/git/refs/{ref}")


def test_reading_a_file_costs_one_request_and_gives_its_blob_sha(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"notes.txt": "hello\n"}, branch=BRANCH)
    files = BranchFiles(client, REPO, BRANCH)
    fake_github.reset_counts()
    assert files.read_versioned("notes.txt") == ("hello\n", git_blob_sha("hello\n"))
    assert len(fake_github.requests) == 1


@pytest.mark.parametrize("path", ["absent.txt", "docs"])
def test_an_absent_file_or_a_directory_reads_as_none(
    fake_github: FakeGitHub, client: GitHubClient, path: str
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"docs/a.md": "a"}, branch=BRANCH)
    assert BranchFiles(client, REPO, BRANCH).read(path) is None


def test_a_file_on_a_missing_branch_reads_as_none(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    assert BranchFiles(client, REPO, "nowhere").read("README.md") is None


def test_the_first_change_creates_the_branch_without_a_parent(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    seen: list[str | None] = []

    def edit(text: str | None) -> str:
        seen.append(text)
        return "one\n"

    assert BranchFiles(client, REPO, BRANCH).change("log.txt", edit, "start") == "one\n"
    assert seen == [None]
    head = fake_github.repos[REPO].git.commit(fake_github.ref(REPO, BRANCH) or "")
    assert head is not None
    assert head.parents == ()
    assert fake_github.read(REPO, "log.txt", ref=BRANCH) == "one\n"


def test_a_change_keeps_the_other_files_of_the_branch(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"log.txt": "a\n"}, branch=BRANCH)
    BranchFiles(client, REPO, BRANCH).change("log.txt", lambda t: f"{t}b\n", "more")
    assert fake_github.read(REPO, "log.txt", ref=BRANCH) == "a\nb\n"
    assert fake_github.read(REPO, "README.md", ref=BRANCH) == "# api\n"


@pytest.mark.parametrize("result", [None, "same\n"])
def test_an_edit_that_changes_nothing_writes_nothing_and_returns_the_text(
    fake_github: FakeGitHub, client: GitHubClient, result: str | None
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"log.txt": "same\n"}, branch=BRANCH)
    fake_github.reset_counts()
    assert BranchFiles(client, REPO, BRANCH).change("log.txt", lambda _: result, "m") == "same\n"
    assert fake_github.writes == 0
    assert len(fake_github.requests) == 4  # ref, commit, tree, the file's blob


def test_a_change_on_an_existing_branch_costs_seven_requests_three_of_them_writes(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"log.txt": "a\n"}, branch=BRANCH)
    fake_github.reset_counts()
    BranchFiles(client, REPO, BRANCH).change("log.txt", lambda t: f"{t}b\n", "more")
    assert len(fake_github.requests) == 7
    assert fake_github.writes == 3  # tree, commit, ref move


def test_a_lost_race_is_re_read_and_the_concurrent_write_is_kept(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"log.txt": "a\n"}, branch=BRANCH)
    fake_github.race_ref(REPO, f"heads/{BRANCH}", {"log.txt": "a\nthem\n"})
    seen: list[str | None] = []

    def edit(text: str | None) -> str:
        seen.append(text)
        return f"{text}us\n"

    assert BranchFiles(client, REPO, BRANCH).change("log.txt", edit, "m") == "a\nthem\nus\n"
    assert seen == ["a\n", "a\nthem\n"]
    assert fake_github.read(REPO, "log.txt", ref=BRANCH) == "a\nthem\nus\n"


def test_a_branch_that_keeps_moving_gives_up_after_the_attempts(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"log.txt": "a\n"}, branch=BRANCH)

    def someone_pushes(fake: FakeGitHub) -> None:
        fake.push(REPO, {"other.txt": str(fake.now())}, branch=BRANCH)

    fake_github.on_request(_ref_move, someone_pushes, once=False)
    with pytest.raises(StoreError, match=f"changed under {MAX_ATTEMPTS} writes; rerun"):
        BranchFiles(client, REPO, BRANCH).change("log.txt", lambda t: f"{t}b\n", "m")
    moves = [r for r in fake_github.requests if r[0] == "PATCH"]
    assert len(moves) == MAX_ATTEMPTS
    assert fake_github.read(REPO, "log.txt", ref=BRANCH) == "a\n"


def test_a_branch_created_meanwhile_by_another_writer_is_a_conflict(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)

    def create_first(request: FakeRequest) -> bool:
        return request.method == "POST" and request.template.endswith("/git/refs")

    def someone_creates_it(fake: FakeGitHub) -> None:
        fake.push(REPO, {"x": "theirs"}, branch=BRANCH)

    fake_github.on_request(create_first, someone_creates_it)
    files = BranchFiles(client, REPO, BRANCH)
    with pytest.raises(ConflictError, match="moved during the write"):
        files.commit(lambda _: {"x": "ours"}, "m")
    assert fake_github.read(REPO, "x", ref=BRANCH) == "theirs"


def test_a_commit_whose_change_wants_nothing_makes_no_commit(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"a": "1", "b": "2"}, branch=BRANCH)
    heads: list[BranchHead] = []

    def look(head: BranchHead) -> None:
        heads.append(head)

    assert BranchFiles(client, REPO, BRANCH).commit(look, "m") is False
    assert sorted(heads[0].shas) == ["README.md", "a", "b"]
    assert heads[0].text("b") == "2"
    assert heads[0].text("c") is None
    assert fake_github.writes == 0


@pytest.mark.parametrize("kind", [Fault.SERVER_ERROR, Fault.APPLIED_THEN_ERROR])
def test_a_ref_move_answered_with_a_5xx_is_repeated_and_lands_once(
    fake_github: FakeGitHub, client: GitHubClient, kind: Fault
) -> None:
    fake_github.add_repo(REPO)
    before = fake_github.push(REPO, {"log.txt": "a\n"}, branch=BRANCH)
    fake_github.fail_matching(_ref_move, kind)
    BranchFiles(client, REPO, BRANCH).change("log.txt", lambda t: f"{t}b\n", "m")
    head = fake_github.repos[REPO].git.commit(fake_github.ref(REPO, BRANCH) or "")
    assert head is not None
    assert head.parents == (before,)
    assert fake_github.read(REPO, "log.txt", ref=BRANCH) == "a\nb\n"
