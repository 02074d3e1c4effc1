"""GraphQL through PyGithub: partial answers kept, whole-query errors raised, schema enforced."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from prime_action.adapters.github.client import GitHubClient, RetryPolicy
from prime_action.adapters.github.graphql import GraphQL
from prime_action.adapters.github.org import list_repos, read_home
from prime_action.adapters.github.org_queries import files_query
from prime_action.config.org import OrgConfig
from prime_action.domain.errors import GitHubError
from prime_action.domain.models import PrimeState
from prime_action.repo.memory import dump_state
from testing.github import FakeGitHub
from testing.graphql import FakeGraphQL


@pytest.fixture
def gql(fake_github: FakeGitHub) -> Iterator[GraphQL]:
    FakeGraphQL().install(fake_github)
    client = GitHubClient("t0ken", fake_github.base_url, write_spacing=0)
    yield GraphQL(client)
    client.close()


def test_a_query_answers_from_the_fake_repositories_and_is_counted(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    fake_github.add_repo("acme/api", {"README.md": "# api\n"})
    oid = fake_github.repos["acme/api"].git.put_blob(b"# api\n")
    text, variables = files_query([("acme/api", [oid])])
    answer = gql.query("read", text, variables)
    assert answer.data["r0"]["f0"]["text"] == "# api\n"
    assert answer.problems == ()
    assert gql.queries == 1
    assert fake_github.requests == [("POST", "/graphql")]


def test_one_missing_repository_leaves_the_rest_of_the_batch_readable(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    fake_github.add_repo("acme/api", {"README.md": "x"})
    oid = fake_github.repos["acme/api"].git.put_blob(b"x")
    text, variables = files_query([("acme/gone", [oid]), ("acme/api", [oid])])
    answer = gql.query("read", text, variables)
    assert answer.data["r0"] is None
    assert answer.data["r1"]["f0"]["text"] == "x"
    problem = answer.problem_at("r0")
    assert problem is not None
    assert problem.type == "NOT_FOUND"


def test_an_unknown_owner_is_a_configuration_error_naming_the_key(gql: GraphQL) -> None:
    with pytest.raises(GitHubError, match="set `owner` in the org config"):
        list_repos(gql, "nobody", OrgConfig())


def test_a_query_outside_githubs_schema_is_refused_and_recorded(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    with pytest.raises(Exception, match="Cannot query field"):
        gql.query("read", "query { viewer { logins } }", {})
    assert "Cannot query field 'logins'" in fake_github.take_violations()[0]


def test_a_connection_without_a_page_size_is_refused_like_github_does(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    query = 'query { repository(owner: "a", name: "b") { issues { totalCount } } }'
    with pytest.raises(Exception, match="first"):
        gql.query("read", query, {})
    assert fake_github.take_violations()


def test_a_query_over_the_node_limit_is_refused(fake_github: FakeGitHub, gql: GraphQL) -> None:
    query = (
        'query { repositoryOwner(login: "a") { repositories(first: 100) { nodes { '
        "issues(first: 100) { nodes { comments(first: 100) { totalCount } } } } } } }"
    )
    with pytest.raises(Exception, match="500,000"):
        gql.query("read", query, {})
    assert fake_github.take_violations()


BIG = 600_000  # over the 512,000 bytes of a Blob's text that GraphQL returns


def test_the_fake_cuts_a_blob_text_at_512000_bytes_and_says_so_as_github_does(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    fake_github.add_repo("acme/api", {"README.md": "x"})
    big = fake_github.repos["acme/api"].git.put_blob(b"y" * BIG)
    small = fake_github.repos["acme/api"].git.put_blob(b"x")
    text, variables = files_query([("acme/api", [big, small])])
    answer = gql.query("read", text, variables).data["r0"]
    assert (len(answer["f0"]["text"]), answer["f0"]["isTruncated"]) == (512_000, True)
    assert (answer["f1"]["text"], answer["f1"]["isTruncated"]) == ("x", False)


def test_a_run_sheet_and_a_ledger_cut_by_graphql_are_read_whole_over_rest(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    sheet = json.dumps([{"rank": 1, "reason": "r" * BIG}])
    ledger = "\n".join(f'{{"line": {i}, "pad": "{"p" * 100}"}}' for i in range(6_000))
    fake_github.add_repo("acme/prime-org", {"run-sheet.json": sheet, "STATUS.md": "ok"})
    fake_github.push("acme/prime-org", {"attempts.jsonl": ledger}, branch="prime-state")
    fake_github.reset_counts()

    home = read_home(gql, "acme/prime-org", "prime-org.yml", "automated")

    assert (home.run_sheet_text, home.ledger_text, home.status_text) == (sheet, ledger, "ok")
    blobs = [path for _, path in fake_github.requests if "/git/blobs/" in path]
    assert len(fake_github.requests) == 3  # the query, and one REST read per cut blob
    assert len(blobs) == 2


def test_a_managed_repository_whose_state_graphql_cut_is_listed_with_its_whole_state(
    fake_github: FakeGitHub, gql: GraphQL
) -> None:
    state = dump_state(PrimeState(flagged=tuple(f"{i:064x}" for i in range(9_000))))
    assert len(state) > BIG
    fake_github.add_repo("acme/api", {"README.md": "x"})
    fake_github.push("acme/api", {"state.json": state}, branch="prime-state")

    (item,) = list_repos(gql, "acme", OrgConfig())

    assert (item.state_text, item.state_truncated) == (state, None)


def test_graphql_queries_never_wait_and_writes_are_spaced_a_second_apart(
    fake_github: FakeGitHub,
) -> None:
    FakeGraphQL().install(fake_github)
    fake_github.add_repo("acme/api", {"README.md": "x"})
    waits: list[float] = []
    client = GitHubClient(
        "t0ken", fake_github.base_url, policy=RetryPolicy(sleep=waits.append), clock=lambda: 100.0
    )
    gql = GraphQL(client)
    oid = fake_github.repos["acme/api"].git.put_blob(b"x")
    text, variables = files_query([("acme/api", [oid])])
    repo = client.github.get_repo("acme/api")
    try:
        for _ in range(3):
            gql.query("read", text, variables)
        assert waits == []
        client.write("label", lambda: repo.create_label("a", "ffffff"))
        gql.query("read", text, variables)
        client.write("label", lambda: repo.create_label("b", "ffffff"))
    finally:
        client.close()
    assert waits == [1.0]  # before the second write only (the clock stands still)
