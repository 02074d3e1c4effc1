"""Injected failures of the fake GitHub, as PyGithub callers observe them."""

from __future__ import annotations

import github
import pytest
import requests

from testing import FakeGitHub, Fault


@pytest.fixture
def repo(fake_github: FakeGitHub, github_client: github.Github) -> github.Repository.Repository:
    fake_github.add_repo("acme/api")
    return github_client.get_repo("acme/api")


@pytest.mark.parametrize(
    ("kind", "status", "exception"),
    [
        (Fault.SERVER_ERROR, 500, github.GithubException),
        (Fault.BAD_GATEWAY, 502, github.GithubException),
        (Fault.SECONDARY_RATE_LIMIT, 403, github.RateLimitExceededException),
        (Fault.TOO_MANY_REQUESTS, 429, github.GithubException),
    ],
)
def test_error_statuses_reach_the_caller(
    fake_github: FakeGitHub,
    repo: github.Repository.Repository,
    kind: Fault,
    status: int,
    exception: type[github.GithubException],
) -> None:
    fake_github.fail(1, kind)
    with pytest.raises(exception) as caught:
        repo.create_issue("x")
    assert caught.value.status == status
    assert fake_github.issues("acme/api") == []
    repo.create_issue("x")
    assert len(fake_github.issues("acme/api")) == 1


def test_rate_limits_say_when_to_retry(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.fail(1, Fault.SECONDARY_RATE_LIMIT)
    with pytest.raises(github.RateLimitExceededException) as caught:
        repo.get_issues().get_page(0)
    assert caught.value.headers is not None
    assert caught.value.headers["retry-after"] == "1"
    assert caught.value.data["message"].startswith("You have exceeded a secondary rate limit")


@pytest.mark.parametrize(
    ("kind", "exception"),
    [
        (Fault.CONNECTION_ERROR, requests.exceptions.ConnectionError),
        (Fault.TIMEOUT, requests.exceptions.ReadTimeout),
    ],
)
def test_network_failures_raise_from_requests(
    fake_github: FakeGitHub,
    repo: github.Repository.Repository,
    kind: Fault,
    exception: type[Exception],
) -> None:
    fake_github.fail(1, kind)
    with pytest.raises(exception):
        repo.create_issue("x")
    assert fake_github.log[-1].status is None
    assert fake_github.issues("acme/api") == []


def test_applied_then_error_performs_the_write(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.fail(1, Fault.APPLIED_THEN_ERROR)
    with pytest.raises(github.GithubException) as caught:
        repo.create_issue("x")
    assert caught.value.status == 502
    assert [issue.title for issue in fake_github.issues("acme/api")] == ["x"]


def test_the_nth_request_from_now_fails(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.fail(2, Fault.SERVER_ERROR)
    repo.create_issue("first")
    with pytest.raises(github.GithubException):
        repo.create_issue("second")
    assert [r.status for r in fake_github.log[-2:]] == [201, 500]


def test_pygithub_default_retry_repeats_a_post_that_was_applied(fake_github: FakeGitHub) -> None:
    # GithubRetry retries POST on 5xx; `responses` honours the adapter's Retry (without sleeping),
    # so a write that GitHub applied before failing is made twice.
    fake_github.add_repo("acme/api")
    repo = fake_github.client(retry=github.GithubRetry()).get_repo("acme/api")
    fake_github.fail(1, Fault.APPLIED_THEN_ERROR)
    repo.create_issue("x")
    assert [issue.title for issue in fake_github.issues("acme/api")] == ["x", "x"]


def test_requests_and_writes_are_counted(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.reset_counts()
    issue = repo.create_issue("x")
    repo.get_issue(issue.number)
    assert fake_github.requests == [
        ("POST", "/repos/acme/api/issues"),
        ("GET", "/repos/acme/api/issues/1"),
    ]
    assert fake_github.writes == 1
    fake_github.reset_counts()
    assert (fake_github.requests, fake_github.writes) == ([], 0)
