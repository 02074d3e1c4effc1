"""Every request the fake GitHub sees is checked against GitHub's REST description."""

from __future__ import annotations

import contextlib

import github
import pytest
import requests

from testing import FakeGitHub
from testing.router import Reply

API = "https://api.github.test"


@pytest.fixture(autouse=True)
def repo(fake_github: FakeGitHub) -> None:
    fake_github.add_repo("acme/api")
    fake_github.add_issue("acme/api", "first")


def _refused(fake: FakeGitHub, method: str, path: str, **kwargs: object) -> str:
    with pytest.raises(AssertionError) as caught:
        requests.request(method, f"{API}{path}", timeout=5, **kwargs)  # type: ignore[arg-type]
    assert fake.take_violations() == [str(caught.value)]
    return str(caught.value)


def test_an_undocumented_path_is_refused_naming_method_and_path(fake_github: FakeGitHub) -> None:
    message = _refused(fake_github, "GET", "/repos/acme/api/secrets-of-the-universe")
    assert message.startswith("GET /repos/acme/api/secrets-of-the-universe is not in GitHub's")


def test_a_method_not_documented_for_a_path_is_refused(fake_github: FakeGitHub) -> None:
    message = _refused(fake_github, "DELETE", "/repos/acme/api/issues/1")
    assert "documented there only for GET, PATCH" in message


def test_a_body_missing_a_required_field_is_refused(fake_github: FakeGitHub) -> None:
    message = _refused(fake_github, "POST", "/repos/acme/api/issues", json={"titel": "typo"})
    assert "request body does not match" in message
    assert "'title' is a required property" in message
    assert fake_github.issues("acme/api")[-1].title == "first"


def test_a_body_field_of_the_wrong_type_is_refused(fake_github: FakeGitHub) -> None:
    message = _refused(fake_github, "PATCH", "/repos/acme/api/git/refs/heads/main", json={"sha": 1})
    assert "at sha" in message


def test_a_body_on_an_operation_without_one_is_refused(fake_github: FakeGitHub) -> None:
    message = _refused(fake_github, "GET", "/repos/acme/api/issues/1", json={"x": 1})
    assert "documents no JSON request body" in message


def test_an_undeclared_query_parameter_is_refused(fake_github: FakeGitHub) -> None:
    message = _refused(fake_github, "GET", "/repos/acme/api/issues?colour=red")
    assert "query parameter 'colour' is not declared" in message


def test_a_query_value_outside_its_enum_is_refused(fake_github: FakeGitHub) -> None:
    message = _refused(fake_github, "GET", "/repos/acme/api/issues?state=opened")
    assert "state='opened' is invalid" in message


def test_pygithub_calls_outside_the_description_are_caught(
    fake_github: FakeGitHub, github_client: github.Github
) -> None:
    repo = github_client.get_repo("acme/api")
    with pytest.raises(AssertionError, match="GET /repos/acme/api/git/refs is not in"):
        list(repo.get_git_refs())  # the description only has /git/matching-refs/{ref}
    with pytest.raises(AssertionError, match="request body does not match"):
        repo.get_issue(1).add_to_labels("bug")  # a bare array; the schema wants {"labels": [...]}
    assert len(fake_github.take_violations()) == 2


def test_a_swallowed_violation_is_still_recorded(fake_github: FakeGitHub) -> None:
    with contextlib.suppress(AssertionError):  # as a careless `except Exception` would
        requests.get(f"{API}/nowhere", timeout=5)
    assert fake_github.take_violations() == [
        "GET /nowhere is not in GitHub's REST description (@octokit/openapi 23.0.2 subset): "
        "the adapter called an undocumented endpoint, or scripts/vendor_openapi.py needs this "
        "operation"
    ]


def test_graphql_is_answered_by_default_and_a_handler_replaces_the_default(
    fake_github: FakeGitHub,
) -> None:
    fake_github.graphql_handler = None  # as a FakeGitHub made without the fixture
    answer = requests.post(f"{API}/graphql", json={"query": "{ viewer { login } }"}, timeout=5)
    assert answer.json() == {"data": {"viewer": {"login": fake_github.actor.login}}}
    fake_github.on_graphql(lambda fake, body: Reply(200, {"data": {"viewer": {"login": "x"}}}))
    answer = requests.post(f"{API}/graphql", json={"query": "{ viewer { login } }"}, timeout=5)
    assert answer.json() == {"data": {"viewer": {"login": "x"}}}
    assert fake_github.requests[-1] == ("POST", "/graphql")


def test_a_fake_with_a_path_prefix_serves_enterprise_urls() -> None:
    fake = FakeGitHub("https://ghe.example.test/api/v3")
    fake.add_repo("acme/api")
    with fake:
        repo = fake.client().get_repo("acme/api")
        assert repo.url == "https://ghe.example.test/api/v3/repos/acme/api"
        assert fake.requests == [("GET", "/repos/acme/api")]
