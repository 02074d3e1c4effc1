"""Org Prime on GitHub: its repository read in one query, repositories listed by page, commits."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.graphql import GraphQL, GraphQLAnswer, GraphQLProblem
from prime_action.adapters.github.org import (
    STATE_BRANCH,
    STATE_FILE,
    Home,
    commit_files,
    facts,
    ledger,
    list_repos,
    org_config,
    org_state,
    read_files,
    read_home,
    save_state,
)
from prime_action.adapters.github.org_queries import PAGE
from prime_action.config.models import CustomSignal
from prime_action.config.org import OrgConfig
from prime_action.dispatch.ledger import dump_ledger
from prime_action.domain.errors import GitHubError
from prime_action.domain.models import Attempt, PrimeState
from prime_action.org.dashboard import ORG_DASHBOARD
from prime_action.org.model import OrgState
from prime_action.repo.memory import dump_state
from testing.github import FakeGitHub
from tests.values import NOW

ORG = "acme/.github"
LABEL = "prime-dashboard"


@pytest.fixture
def gql(client: GitHubClient) -> GraphQL:
    return GraphQL(client)


def _attempt() -> Attempt:
    return Attempt(
        id="a1", repo="acme/api", signal="ci", runner="agent", created_at=NOW, updated_at=NOW
    )


def test_the_org_repository_is_read_in_one_query(fake_github: FakeGitHub, gql: GraphQL) -> None:
    fake_github.add_repo(
        ORG, {"prime.yml": "owner: acme\n", "run-sheet.json": "[]", "STATUS.md": "ok"}
    )
    state = OrgState().model_dump_json()
    fake_github.push(
        ORG, {STATE_FILE: state, "attempts.jsonl": dump_ledger([_attempt()])}, branch=STATE_BRANCH
    )
    fake_github.add_issue(ORG, "Not the dashboard", "hello", labels=[LABEL])
    number = fake_github.add_issue(ORG, "Org dashboard", f"{ORG_DASHBOARD}\nbody", labels=[LABEL])
    comment = fake_github.add_comment(ORG, number, "/prime priority acme/api high", user="alice")
    fake_github.reset_counts()
    home = read_home(gql, ORG, "prime.yml", LABEL)
    assert fake_github.requests == [("POST", "/graphql")]
    assert (home.branch, home.head) == ("main", fake_github.ref(ORG, "main"))
    assert (home.config_text, home.run_sheet_text, home.status_text) == (
        "owner: acme\n",
        "[]",
        "ok",
    )
    assert (home.state_head, home.state_text) == (fake_github.ref(ORG, STATE_BRANCH), state)
    assert ledger(home) == (_attempt(),)
    assert (home.dashboard, home.dashboard_body) == (number, f"{ORG_DASHBOARD}\nbody")
    assert [(c.id, c.author, c.association, c.bot) for c in home.comments] == [
        (comment, "alice", "OWNER", False)
    ]
    assert home.viewer == fake_github.actor.login


def test_a_bare_org_repository_reads_as_defaults(fake_github: FakeGitHub, gql: GraphQL) -> None:
    fake_github.add_repo(ORG)
    home = read_home(gql, ORG, "prime.yml", LABEL)
    assert (home.config_text, home.state_head, home.dashboard, home.comments) == (
        None,
        None,
        None,
        (),
    )
    assert org_config(home, "prime.yml") == OrgConfig()
    assert org_state(home) == OrgState()
    assert ledger(home) == ()


def test_a_damaged_org_state_reads_as_fresh_and_bad_ledger_lines_are_skipped() -> None:
    good = _attempt().model_dump_json()
    home = Home(repo=ORG, state_text="{broken", ledger_text=f"{good}\nnot json\n{good}\n")
    assert org_state(home) == OrgState()
    assert ledger(home) == (_attempt(), _attempt())


def test_repositories_are_listed_a_page_a_query_archived_and_forks_left_out(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    for n in range(PAGE + 5):
        fake_github.add_repo(f"acme/r{n:03}")
    fake_github.add_repo("acme/old", archived=True)
    fake_github.add_repo("acme/copy", fork=True)
    fake_github.add_repo("other/x")
    found = list_repos(gql, "acme", OrgConfig())
    assert [i.repo for i in found] == [f"acme/r{n:03}" for n in range(PAGE + 5)]
    assert gql.queries == 2
    everything = list_repos(gql, "acme", OrgConfig(archived=True, forks=True))
    assert {"acme/old", "acme/copy"} <= {i.repo for i in everything}


def test_files_and_pull_requests_come_with_the_listing_page_at_no_request_of_their_own(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    workflows = {f".github/workflows/w{n:03}.yml": f"name: w{n}\non: push\n" for n in range(300)}
    fake_github.add_repo("acme/api", {"pyproject.toml": "[project]\n", "src/a.py": ""} | workflows)
    fake_github.push("acme/api", {"x": "1"}, branch="prime/license")
    fake_github.add_pull("acme/api", "prime/license", title="Add a license")
    items = list_repos(gql, "acme", OrgConfig())
    assert gql.queries == 1
    found = read_files(gql, items)
    assert gql.queries == 1
    api = found["acme/api"]
    assert not isinstance(api, str)
    assert api.files == {"pyproject.toml": "[project]\n"} | workflows
    assert [(p.title, p.by_prime) for p in api.pulls] == [("Add a license", True)]


def test_a_wanted_file_the_listing_does_not_carry_is_queried_and_a_vanished_repo_errs(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    # The dependabot detector finds its config whatever its case; the listing asks by exact path.
    odd = {"package.json": "{}\n", ".github/Dependabot.yml": "version: 2\n"}
    fake_github.add_repo("acme/odd", odd)
    fake_github.add_repo("acme/gone", {".github/DEPENDABOT.yml": "version: 2\n"})
    items = list_repos(gql, "acme", OrgConfig())
    del fake_github.repos["acme/gone"]
    found = read_files(gql, items)
    assert gql.queries == 2
    assert not isinstance(found["acme/odd"], str)
    assert found["acme/odd"].files == odd
    assert str(found["acme/gone"]).startswith("NOT_FOUND: ")


def test_a_page_with_a_repository_whose_pull_requests_are_hidden_is_read_again_lean(
    fake_github: FakeGitHub, gql: GraphQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo("acme/api", {"README.md": "x\n"})
    fake_github.add_repo("acme/secret", {"README.md": "x\n"})
    answers = iter([_without("acme/secret"), None])
    query = gql.query

    def hiding(what: str, text: str, variables: dict[str, object]) -> GraphQLAnswer:
        answer = query(what, text, variables)
        hide = next(answers, None)
        return hide(answer) if hide else answer

    monkeypatch.setattr(gql, "query", hiding)
    items = list_repos(gql, "acme", OrgConfig())
    assert [i.repo for i in items] == ["acme/api", "acme/secret"]
    assert gql.queries == 2
    assert {i.repo: i.pulls for i in items} == {"acme/api": None, "acme/secret": None}


def _without(repo: str) -> Callable[[GraphQLAnswer], GraphQLAnswer]:
    """GitHub's answer when the token may not read one repository's pull requests."""

    def hide(answer: GraphQLAnswer) -> GraphQLAnswer:
        nodes = answer.data["repositoryOwner"]["repositories"]["nodes"]
        index = next(i for i, n in enumerate(nodes) if n["nameWithOwner"] == repo)
        nodes[index] = None
        path = ("repositoryOwner", "repositories", "nodes", index, "pullRequests")
        problem = GraphQLProblem(type="FORBIDDEN", message="Resource not accessible", path=path)
        return answer.model_copy(update={"problems": (problem,)})

    return hide


def test_facts_tell_managed_empty_failed_and_remote_repositories_apart(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    fake_github.add_repo("acme/managed")
    fake_github.push(
        "acme/managed", {"state.json": dump_state(PrimeState(wake_count=3))}, branch="prime-state"
    )
    fake_github.add_repo("acme/remote", {".github/prime.yml": "license: [not, a, string]\n"})
    items = list_repos(gql, "acme", OrgConfig())
    remote = read_files(gql, [i for i in items if i.repo == "acme/remote"])
    assert gql.queries == 1  # the listing page carried the files
    found, warnings = facts(items, remote, NOW)
    by_repo = {f.repo: f for f in found}
    assert by_repo["acme/managed"].managed
    assert by_repo["acme/managed"].state == PrimeState(wake_count=3)
    assert not by_repo["acme/remote"].managed
    assert by_repo["acme/remote"].signals  # computed remotely, with the default config
    assert len(warnings) == 1
    assert "acme/remote:.github/prime.yml" in warnings[0]
    unread, _ = facts(items, {}, NOW)
    assert {f.repo: f.error for f in unread}["acme/remote"] == "not read"


def test_commit_files_commits_only_on_the_expected_head(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    fake_github.add_repo(ORG)
    head = fake_github.ref(ORG, "main") or ""
    oid = commit_files(
        gql,
        ORG,
        branch="main",
        head=head,
        files={"STATUS.md": "ok\n", "run-sheet.json": "[]"},
        message="prime: org",
    )
    assert fake_github.ref(ORG, "main") == oid
    assert fake_github.read(ORG, "STATUS.md") == "ok\n"
    with pytest.raises(GitHubError):
        commit_files(
            gql, ORG, branch="main", head=head, files={"STATUS.md": "stale\n"}, message="m"
        )
    assert fake_github.read(ORG, "STATUS.md") == "ok\n"


def test_the_org_state_branch_is_created_on_the_first_save_then_committed_on(
    fake_github: FakeGitHub, client: GitHubClient, gql: GraphQL
) -> None:
    fake_github.add_repo(ORG)
    home = save_state(client, gql, Home(repo=ORG), OrgState(applied=(1,)))
    assert home.state_head == fake_github.ref(ORG, STATE_BRANCH)
    assert OrgState.model_validate_json(
        fake_github.read(ORG, STATE_FILE, ref=STATE_BRANCH) or ""
    ) == OrgState(applied=(1,))
    again = save_state(client, gql, home, OrgState(applied=(1, 2)))
    assert again.state_head == fake_github.ref(ORG, STATE_BRANCH) != home.state_head
    assert org_state(again) == OrgState(applied=(1, 2))
    with pytest.raises(GitHubError):
        save_state(client, gql, home, OrgState(applied=(9,)))  # read before the last save


def test_org_custom_signals_run_remotely_and_a_repository_s_own_definition_wins(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    own = "custom_signals:\n  - {name: changelog, glob: HISTORY.md}\n"
    fake_github.add_repo("acme/api", {"README.md": "x", ".github/prime.yml": own})
    fake_github.add_repo("acme/web", {"README.md": "x", "CHANGELOG.md": "x"})
    org = (
        CustomSignal(name="changelog", glob="CHANGELOG.md"),
        CustomSignal(name="no-todo", glob="README.md", check="lacks", pattern="TODO"),
    )
    items = list_repos(gql, "acme", OrgConfig())
    found, _ = facts(items, read_files(gql, items, org), NOW, org)
    status = {(f.repo, s.name): s.status for f in found for s in f.signals}
    assert status["acme/api", "changelog"] == "failing"  # its own glob: HISTORY.md
    assert status["acme/web", "changelog"] == "ok"
    assert status["acme/web", "no-todo"] == "ok"
