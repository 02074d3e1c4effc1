"""The PR boundary's host: branches, files, fast-forward commits, pull requests and their labels."""

from __future__ import annotations

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.pulls import GitHubPulls, open_prime_pulls
from prime_action.domain.errors import ConflictError, GitHubError
from prime_action.runners.boundary import BoundaryError
from testing.github import FakeGitHub

REPO = "acme/api"


def _pulls(
    fake: FakeGitHub, client: GitHubClient, files: dict[str, str] | None = None
) -> GitHubPulls:
    fake.add_repo(REPO, files)
    return GitHubPulls(client, REPO)


def test_the_default_branch_and_its_head_cost_two_requests_once_per_run(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    fake_github.reset_counts()
    assert host.default_branch() == ("main", fake_github.ref(REPO, "main"))
    assert len(fake_github.requests) == 2
    host.default_branch()
    assert len(fake_github.requests) == 2


def test_a_default_branch_without_a_commit_is_a_404_saying_there_is_nothing_to_propose(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    fake_github.delete_branch(REPO, "main")
    with pytest.raises(GitHubError, match="no commit on main; nothing to propose") as caught:
        host.default_branch()
    assert caught.value.status == 404


def test_a_missing_branch_has_no_head(fake_github: FakeGitHub, client: GitHubClient) -> None:
    assert _pulls(fake_github, client).branch_head("prime/nothing") is None


def test_files_at_reads_the_tree_once_and_each_present_file(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client, {"a.txt": "A", "d/b.txt": "B"})
    sha = fake_github.ref(REPO, "main") or ""
    fake_github.reset_counts()
    found = host.files_at(sha, ("a.txt", "d/b.txt", "absent.txt"))
    assert found == {"a.txt": "A", "d/b.txt": "B", "absent.txt": None}
    assert len(fake_github.requests) == 3


def test_a_commit_creates_the_branch_then_fast_forwards_it(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    _, head = host.default_branch()
    first = host.commit("prime/license", head, {"LICENSE": "MIT\n"}, "Add a license", create=True)
    second = host.commit("prime/license", first, {"LICENSE": "MIT 2\n"}, "Again", create=False)
    assert fake_github.ref(REPO, "prime/license") == second
    assert fake_github.read(REPO, "LICENSE", ref="prime/license") == "MIT 2\n"
    assert fake_github.read(REPO, "README.md", ref="prime/license") == "# api\n"
    commit = fake_github.repos[REPO].git.commit(second)
    assert commit is not None
    assert commit.parents == (first,)


def test_a_branch_someone_pushed_to_meanwhile_is_never_forced(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    _, head = host.default_branch()
    first = host.commit("prime/license", head, {"LICENSE": "MIT\n"}, "Add", create=True)
    fake_github.race_ref(REPO, "heads/prime/license", {"LICENSE": "theirs\n"})
    with pytest.raises(ConflictError, match="moved during the write"):
        host.commit("prime/license", first, {"LICENSE": "ours\n"}, "Again", create=False)
    assert fake_github.read(REPO, "LICENSE", ref="prime/license") == "theirs\n"


def test_creating_a_branch_that_exists_already_is_a_conflict(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    _, head = host.default_branch()
    fake_github.push(REPO, {"x": "theirs"}, branch="prime/license")
    with pytest.raises(ConflictError):
        host.commit("prime/license", head, {"x": "ours"}, "Add", create=True)
    assert fake_github.read(REPO, "x", ref="prime/license") == "theirs"


def test_a_pull_request_is_opened_and_labelled_in_two_writes(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    fake_github.push(REPO, {"LICENSE": "MIT\n"}, branch="prime/license")
    fake_github.reset_counts()
    pull = host.open_pull("prime/license", "main", "Add a license", "Fixes #1", ("automated",))
    assert pull is not None
    assert (pull.title, pull.body) == ("Add a license", "Fixes #1")
    [found] = fake_github.pulls(REPO)
    assert (found.number, found.labels) == (pull.number, ["automated"])
    assert fake_github.writes == 2


def test_a_pull_request_without_labels_is_one_write(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    fake_github.push(REPO, {"LICENSE": "MIT\n"}, branch="prime/license")
    fake_github.reset_counts()
    assert host.open_pull("prime/license", "main", "t", "b", ()) is not None
    assert fake_github.writes == 1


def test_a_branch_with_no_commits_past_the_base_opens_no_pull_request(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    fake_github.push(REPO, {}, branch="prime/empty")
    fake_github.repos[REPO].git.refs["refs/heads/prime/empty"] = fake_github.ref(REPO, "main") or ""
    assert host.open_pull("prime/empty", "main", "t", "b", ("automated",)) is None
    assert fake_github.pulls(REPO) == []


def test_actions_not_allowed_to_open_pull_requests_names_the_setting_and_the_waiting_branch(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    fake_github.repos[REPO].actions_may_open_pulls = False
    fake_github.push(REPO, {"LICENSE": "MIT\n"}, branch="prime/license")
    with pytest.raises(BoundaryError, match="Allow GitHub Actions to create and approve pull") as e:
        host.open_pull("prime/license", "main", "t", "b", ())
    assert "the branch prime/license was pushed and waits" in str(e.value)


def test_a_second_pull_request_for_the_same_branch_is_an_error(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    fake_github.push(REPO, {"LICENSE": "MIT\n"}, branch="prime/license")
    host.open_pull("prime/license", "main", "t", "b", ())
    with pytest.raises(GitHubError) as caught:
        host.open_pull("prime/license", "main", "t", "b", ())
    assert caught.value.status == 422
    assert len(fake_github.pulls(REPO)) == 1


def test_recent_pull_requests_open_and_closed_come_newest_first_in_one_request(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    for name in ("a", "b"):
        fake_github.push(REPO, {name: name}, branch=f"prime/{name}")
    older = fake_github.add_pull(REPO, "prime/a", title="A")
    newer = fake_github.add_pull(REPO, "prime/b", title="B")
    fake_github.repos[REPO].issues[older].state = "closed"
    fake_github.reset_counts()
    infos = host.pulls()
    assert [(p.number, p.head, p.state) for p in infos] == [
        (newer, "prime/b", "open"),
        (older, "prime/a", "closed"),
    ]
    assert len(fake_github.requests) == 1


def test_compare_gives_the_messages_and_paths_past_the_base(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    host = _pulls(fake_github, client)
    base = fake_github.ref(REPO, "main") or ""
    fake_github.push(REPO, {"a.txt": "1"}, branch="work", message="one")
    head = fake_github.push(REPO, {"b.txt": "2"}, branch="work", message="two")
    fake_github.reset_counts()
    assert host.compare(base, head) == (("one", "two"), ("a.txt", "b.txt"))
    assert len(fake_github.requests) == 1


def test_update_pull_changes_title_and_body(fake_github: FakeGitHub, client: GitHubClient) -> None:
    host = _pulls(fake_github, client)
    fake_github.push(REPO, {"a": "1"}, branch="prime/a")
    number = fake_github.add_pull(REPO, "prime/a", title="old")
    pull = host.update_pull(number, "new", "body")
    assert (pull.number, pull.title, pull.body) == (number, "new", "body")
    assert (fake_github.pulls(REPO)[0].title, fake_github.pulls(REPO)[0].body) == ("new", "body")


def test_config_is_the_defaults_without_a_file_and_read_once_with_one(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    assert _pulls(fake_github, client).config().license == "MIT"
    fake_github.add_repo("acme/lib", {".github/prime.yml": "license: Apache-2.0\n"})
    host = GitHubPulls(client, "acme/lib")
    assert host.config().license == "Apache-2.0"
    fake_github.reset_counts()
    host.config()
    assert fake_github.requests == []


def test_the_listing_has_every_path_the_content_files_and_the_owner(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    files = {"pyproject.toml": "[project]\n", "src/x.py": "", ".github/prime.yml": "license: ISC\n"}
    listing = _pulls(fake_github, client, files).listing()
    assert listing.paths == tuple(sorted(files))
    assert listing.files == {"pyproject.toml": "[project]\n"}
    assert (listing.owner, listing.license_id) == ("@acme", "ISC")
    assert listing.code_owner is None  # an organisation cannot own code in CODEOWNERS


def test_a_user_account_is_the_code_owner_of_its_repository(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo("alice/dotfiles", {"x.sh": ""}, owner_type="User")
    listing = GitHubPulls(client, "alice/dotfiles").listing()
    assert (listing.owner, listing.code_owner) == ("@alice", "@alice")


def test_the_listing_reads_the_workflows_and_dependabot_config_fixes_merge_into(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    files = {".github/workflows/ci.yml": "on: push\n", ".github/dependabot.yml": "version: 2\n"}
    listing = _pulls(fake_github, client, files).listing()
    assert listing.files == files


def test_prime_open_pull_requests_are_counted_across_the_owner_in_one_search(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    for repo in ("acme/api", "acme/web", "other/x"):
        fake_github.add_repo(repo)
        fake_github.push(repo, {"a": "1"}, branch="prime/a")
        fake_github.add_pull(repo, "prime/a", labels=["automated"])
    fake_github.push("acme/api", {"b": "1"}, branch="human")
    fake_github.add_pull("acme/api", "human")
    fake_github.add_issue("acme/api", "an issue", labels=["automated"])
    fake_github.reset_counts()
    assert open_prime_pulls(client, "acme", "automated") == 2
    assert fake_github.requests == [("POST", "/graphql")]
