"""Remote eyes: a snapshot of the default branch in 4 + (wanted files) requests."""

from __future__ import annotations

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.eyes import RemoteEyes
from prime_action.config.models import RepoConfig
from prime_action.eyes import run_signals
from prime_action.signals.base import CiStatus
from testing.github import FakeGitHub
from tests.values import NOW

REPO = "acme/api"
FILES = {
    "README.md": "# api\n",
    "pyproject.toml": "[project]\nname = 'api'\n",
    ".github/workflows/ci.yml": "on: push\n",
    "src/api/__init__.py": "",
}


def _eyes(
    fake: FakeGitHub, client: GitHubClient, files: dict[str, str] | None = None
) -> RemoteEyes:
    fake.add_repo(REPO, files if files is not None else FILES)
    return RemoteEyes(client, REPO, "main")


def test_a_snapshot_lists_every_path_and_reads_only_the_wanted_files(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    eyes = _eyes(fake_github, client)
    fake_github.reset_counts()
    snapshot = eyes.snapshot(RepoConfig(), NOW)
    assert snapshot.paths == tuple(sorted(FILES))
    assert snapshot.files == {p: FILES[p] for p in ("pyproject.toml", ".github/workflows/ci.yml")}
    assert (snapshot.now, snapshot.remote) == (NOW, True)
    # The tree, one GraphQL query for both wanted files, check runs, statuses, pull requests.
    assert len(fake_github.requests) == 4 + 1
    assert fake_github.writes == 0


@pytest.mark.parametrize("workflows", [3, 300])
def test_the_wanted_files_cost_one_query_whatever_their_number(
    fake_github: FakeGitHub, client: GitHubClient, workflows: int
) -> None:
    files = {f".github/workflows/w{n:03}.yml": f"name: w{n}\non: push\n" for n in range(workflows)}
    eyes = _eyes(fake_github, client, FILES | files)
    fake_github.reset_counts()
    snapshot = eyes.snapshot(RepoConfig(), NOW)
    assert {p: snapshot.files[p] for p in files} == files
    assert len(fake_github.requests) == 5
    assert [r for r in fake_github.requests if r[0] == "POST"] == [("POST", "/graphql")]
    assert fake_github.writes == 0


def test_a_file_over_graphqls_cut_is_read_whole_over_rest(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    big = "x: " + "y" * 600_000 + "\n"  # GitHub cuts Blob.text at 512,000 bytes
    eyes = _eyes(fake_github, client, FILES | {".github/workflows/big.yml": big})
    assert eyes.snapshot(RepoConfig(), NOW).files[".github/workflows/big.yml"] == big


@pytest.mark.parametrize(
    ("arrange", "expected"),
    [
        ({}, CiStatus(state="none")),
        ({"state": "success"}, CiStatus(state="success")),
        ({"state": "pending"}, CiStatus(state="pending")),
        ({"state": "failure"}, CiStatus(state="failure", failing=("build", "test"))),
        ({"failing": ["test"]}, CiStatus(state="failure", failing=("test",))),
        (
            {"checks": (), "statuses": {"ci/legacy": "error"}},
            CiStatus(state="failure", failing=("ci/legacy",)),
        ),
        ({"checks": (), "statuses": {"ci/legacy": "pending"}}, CiStatus(state="pending")),
        ({"checks": (), "statuses": {"ci/legacy": "success"}}, CiStatus(state="success")),
    ],
)
def test_ci_combines_check_runs_and_commit_statuses_of_the_head(
    fake_github: FakeGitHub, client: GitHubClient, arrange: dict[str, object], expected: CiStatus
) -> None:
    eyes = _eyes(fake_github, client)
    if arrange:
        fake_github.set_ci(REPO, **arrange)  # type: ignore[arg-type]  # a table of keyword sets
    ci = eyes.snapshot(RepoConfig(), NOW).ci
    assert ci is not None
    assert ci.model_copy(update={"sha": "", "evidence": None}) == expected
    assert ci.sha == fake_github.ref(REPO, "main")


def test_open_pull_requests_are_listed_and_prime_branches_told_apart(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    eyes = _eyes(fake_github, client)
    fake_github.push(REPO, {"a": "1"}, branch="prime/license")
    fake_github.push(REPO, {"b": "2"}, branch="feature")
    fake_github.push(REPO, {"c": "3"}, branch="old")
    ours = fake_github.add_pull(REPO, "prime/license", title="Add a license", user="prime-bot")
    theirs = fake_github.add_pull(REPO, "feature", title="Feature", user="alice")
    closed = fake_github.add_pull(REPO, "old", title="Old")
    fake_github.repos[REPO].issues[closed].state = "closed"
    pulls = eyes.snapshot(RepoConfig(), NOW).open_prs or ()
    assert [(p.number, p.title, p.author, p.by_prime) for p in pulls] == [
        (theirs, "Feature", "alice", False),  # GitHub lists the newest first
        (ours, "Add a license", "prime-bot", True),
    ]


def test_identity_follows_the_identity_files_of_the_last_listing_without_a_request(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    eyes = _eyes(fake_github, client, FILES | {"CLAUDE.md": "be kind\n"})
    eyes.snapshot(RepoConfig(), NOW)
    before = eyes.identity()
    fake_github.reset_counts()
    assert eyes.identity() == before
    assert fake_github.requests == []
    fake_github.push(REPO, {"README.md": "# renamed\n"})
    eyes.snapshot(RepoConfig(), NOW)
    assert eyes.identity() == before  # not an identity file
    fake_github.push(REPO, {"CLAUDE.md": "be brief\n"})
    eyes.snapshot(RepoConfig(), NOW)
    assert eyes.identity() != before


def test_identity_docs_reads_claude_and_agents_md_one_request_each(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    eyes = _eyes(fake_github, client, FILES | {"CLAUDE.md": "c\n", "AGENTS.md": "a\n"})
    eyes.snapshot(RepoConfig(), NOW)
    fake_github.reset_counts()
    assert eyes.identity_docs() == {"CLAUDE.md": "c\n", "AGENTS.md": "a\n"}
    assert len(fake_github.requests) == 2


def test_an_empty_listing_has_no_identity_docs(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    eyes = _eyes(fake_github, client)
    assert eyes.identity_docs() == {}


def test_the_owner_s_github_repository_defaults_come_in_the_same_query(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    eyes = _eyes(fake_github, client)
    fake_github.reset_counts()
    without = eyes.snapshot(RepoConfig(), NOW)
    alone = len(fake_github.requests)
    assert without.org_paths == ()
    fake_github.add_repo(
        "acme/.github",
        {"SECURITY.md": "Mail security@acme.test\n", ".github/ISSUE_TEMPLATE/bug.yml": "name: x\n"},
    )
    fake_github.reset_counts()
    snapshot = RemoteEyes(client, REPO, "main").snapshot(RepoConfig(), NOW)
    assert set(snapshot.org_paths) >= {"SECURITY.md", ".github/ISSUE_TEMPLATE/bug.yml"}
    assert len(fake_github.requests) == alone  # not one request more for the org's defaults
    signals = {s.name: s.status for s in run_signals(snapshot, RepoConfig())}
    assert (signals["security-policy"], signals["issue-templates"]) == ("ok", "ok")
    assert {s.name: s.status for s in run_signals(without, RepoConfig())}["security-policy"] == (
        "failing"
    )


def test_a_repository_with_no_wanted_file_still_reads_the_owner_s_defaults(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    eyes = _eyes(fake_github, client, {"notes.txt": "x\n"})
    fake_github.add_repo("acme/.github", {"SECURITY.md": "Mail security@acme.test\n"})
    snapshot = eyes.snapshot(RepoConfig(), NOW)
    assert snapshot.files == {}
    assert snapshot.org_paths == ("SECURITY.md",)
