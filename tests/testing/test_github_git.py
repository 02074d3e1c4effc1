"""The fake GitHub's repositories and Git Data API, driven through PyGithub."""

from __future__ import annotations

import base64

import github
import pytest
from github import InputGitTreeElement

from testing import FakeGitHub

FILES = {"README.md": "# api\n", "src/app.py": "print('hi')\n", "src/lib/util.py": "X = 1\n"}


@pytest.fixture
def repo(fake_github: FakeGitHub, github_client: github.Github) -> github.Repository.Repository:
    fake_github.add_repo("acme/api", FILES, topics=["python"])
    return github_client.get_repo("acme/api")


def test_repository_reports_its_flags(
    fake_github: FakeGitHub, github_client: github.Github
) -> None:
    fake_github.add_repo("acme/old", archived=True, fork=True, private=True, default_branch="trunk")
    repo = github_client.get_repo("acme/old")
    assert (repo.archived, repo.fork, repo.private) == (True, True, True)
    assert repo.default_branch == "trunk"
    assert repo.owner.login == "acme"


def test_unknown_repository_is_not_found(github_client: github.Github) -> None:
    with pytest.raises(github.UnknownObjectException):
        github_client.get_repo("acme/missing")


def test_recursive_tree_lists_every_file_and_directory(repo: github.Repository.Repository) -> None:
    head = repo.get_branch("main").commit.sha
    tree = repo.get_git_tree(head, recursive=True)
    blobs = {e.path: e.sha for e in tree.tree if e.type == "blob"}
    assert set(blobs) == set(FILES)
    assert {e.path for e in tree.tree if e.type == "tree"} == {"src", "src/lib"}
    blob = repo.get_git_blob(blobs["src/app.py"])
    assert base64.b64decode(blob.content) == b"print('hi')\n"


def test_contents_returns_a_file_or_a_directory(repo: github.Repository.Repository) -> None:
    readme = repo.get_contents("README.md")
    assert not isinstance(readme, list)
    assert readme.decoded_content == b"# api\n"
    listing = repo.get_contents("src")
    assert isinstance(listing, list)
    assert sorted((c.name, c.type) for c in listing) == [("app.py", "file"), ("lib", "dir")]


def test_blob_ids_are_git_object_ids(repo: github.Repository.Repository) -> None:
    # `git hash-object` of "hello\n"
    assert (
        repo.create_git_blob("hello\n", "utf-8").sha == "ce013625030ba8dba906f756967f9e9ca394464a"
    )


def _commit(
    repo: github.Repository.Repository, parent_sha: str, path: str, text: str
) -> github.GitCommit.GitCommit:
    parent = repo.get_git_commit(parent_sha)
    blob = repo.create_git_blob(text, "utf-8")
    element = InputGitTreeElement(path, "100644", "blob", sha=blob.sha)
    tree = repo.create_git_tree([element], base_tree=parent.tree)
    return repo.create_git_commit(f"write {path}", tree, [parent])


def test_compare_and_swap_moves_the_ref_forward(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    ref = repo.get_git_ref("heads/main")
    commit = _commit(repo, ref.object.sha, "state.json", "{}")
    ref.edit(commit.sha, force=False)
    assert fake_github.ref("acme/api", "main") == commit.sha
    assert fake_github.read("acme/api", "state.json") == "{}"
    assert fake_github.read("acme/api", "src/lib/util.py") == "X = 1\n"


def test_a_move_that_is_not_a_fast_forward_is_rejected(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    ref = repo.get_git_ref("heads/main")
    base = ref.object.sha
    ref.edit(_commit(repo, base, "a.txt", "first").sha, force=False)
    sibling = _commit(repo, base, "b.txt", "second")
    with pytest.raises(github.GithubException) as caught:
        ref.edit(sibling.sha, force=False)
    assert caught.value.status == 422
    assert caught.value.data["message"] == "Update is not a fast forward"
    ref.edit(sibling.sha, force=True)
    assert fake_github.ref("acme/api", "main") == sibling.sha


def test_a_concurrent_writer_makes_the_next_move_fail(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    ref = repo.get_git_ref("heads/main")
    mine = _commit(repo, ref.object.sha, "state.json", "{}")
    fake_github.race_ref("acme/api", "heads/main", {"human.txt": "mine"})
    with pytest.raises(github.GithubException) as caught:
        ref.edit(mine.sha, force=False)
    assert caught.value.status == 422
    assert fake_github.read("acme/api", "human.txt") == "mine"
    retry = _commit(repo, repo.get_git_ref("heads/main").object.sha, "state.json", "{}")
    ref.edit(retry.sha, force=False)
    assert fake_github.read("acme/api", "human.txt") == "mine"


def test_an_orphan_branch_is_created_and_deleted(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    blob = repo.create_git_blob("{}", "utf-8")
    tree = repo.create_git_tree([InputGitTreeElement("state.json", "100644", "blob", sha=blob.sha)])
    commit = repo.create_git_commit("state", tree, [])
    ref = repo.create_git_ref("refs/heads/prime-state", commit.sha)
    assert fake_github.read("acme/api", "state.json", ref="prime-state") == "{}"
    assert repo.get_branch("prime-state").commit.sha == commit.sha
    with pytest.raises(github.GithubException) as caught:
        repo.create_git_ref("refs/heads/prime-state", commit.sha)
    assert caught.value.data["message"] == "Reference already exists"
    ref.delete()
    assert fake_github.ref("acme/api", "prime-state") is None


def test_tree_entries_with_content_or_a_null_sha_write_and_delete(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    head = repo.get_git_commit(repo.get_branch("main").commit.sha)
    elements = [
        InputGitTreeElement("docs/new.md", "100644", "blob", content="new"),
        InputGitTreeElement("src/app.py", "100644", "blob", sha=None),
    ]
    tree = repo.create_git_tree(elements, base_tree=head.tree)
    commit = repo.create_git_commit("edit", tree, [head])
    repo.get_git_ref("heads/main").edit(commit.sha)
    assert fake_github.read("acme/api", "docs/new.md") == "new"
    assert fake_github.read("acme/api", "src/app.py") is None


def test_a_human_push_shows_in_compare(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    base = fake_github.ref("acme/api", "main")
    fake_github.push("acme/api", {"x.txt": "1"}, branch="prime/ci")
    fake_github.push("acme/api", {"y.txt": "2"}, branch="prime/ci", author="alice")
    comparison = repo.compare(str(base), "prime/ci")
    assert (comparison.status, comparison.ahead_by, comparison.behind_by) == ("ahead", 2, 0)


def test_put_contents_creates_then_updates_a_file(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    created = repo.create_file("run-sheet.json", "add", "[]")
    repo.update_file("run-sheet.json", "update", "[1]", created["content"].sha)
    assert fake_github.read("acme/api", "run-sheet.json") == "[1]"


def test_organisation_and_user_repositories_are_listed(
    fake_github: FakeGitHub, github_client: github.Github
) -> None:
    for index in range(3):
        fake_github.add_repo(f"acme/r{index}", fork=index == 2)
    fake_github.add_repo("alice/dotfiles", owner_type="User")
    org = github_client.get_organization("acme")
    assert [r.name for r in org.get_repos()] == ["r0", "r1", "r2"]
    assert [r.name for r in org.get_repos(type="sources")] == ["r0", "r1"]
    assert [r.full_name for r in github_client.get_user("alice").get_repos()] == ["alice/dotfiles"]


def test_rate_limit_counts_the_requests_made(
    fake_github: FakeGitHub, repo: github.Repository.Repository, github_client: github.Github
) -> None:
    core = github_client.get_rate_limit().resources.core
    assert core.limit == 5000
    assert core.remaining == 5000 - fake_github.rate_used + 1
