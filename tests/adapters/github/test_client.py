"""The client's retry policy: reads retry, writes never repeat what may have landed, all counted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from prime_action.adapters.github.client import GitHubClient, RetryPolicy, blob_text, is_missing
from prime_action.domain.errors import GitHubError
from testing.faults import Fault
from testing.github import FakeGitHub

REPO = "acme/api"


@pytest.fixture
def slept() -> list[float]:
    return []


@pytest.fixture
def counted(fake_github: FakeGitHub, slept: list[float]) -> Iterator[GitHubClient]:
    """A client whose waits are recorded instead of slept."""
    made = GitHubClient(
        "t0ken", fake_github.base_url, policy=RetryPolicy(sleep=slept.append), write_spacing=0
    )
    yield made
    made.close()


def _read_readme(client: GitHubClient) -> str:
    found = client.github.get_repo(REPO).get_contents("README.md")
    assert not isinstance(found, list)
    return found.decoded_content.decode()


def _open_issue(client: GitHubClient) -> int:
    return client.github.get_repo(REPO).create_issue(title="t", body="b").number


@pytest.mark.parametrize(
    "kind", [Fault.SERVER_ERROR, Fault.BAD_GATEWAY, Fault.TIMEOUT, Fault.CONNECTION_ERROR]
)
def test_a_read_that_fails_once_is_retried_after_a_backoff(
    fake_github: FakeGitHub, counted: GitHubClient, slept: list[float], kind: Fault
) -> None:
    fake_github.add_repo(REPO, {"README.md": "hello"})
    fake_github.fail(1, kind)
    assert counted.read("read README", lambda: _read_readme(counted)) == "hello"
    assert slept == [2.0]
    assert len(fake_github.requests) == 2


def test_a_read_that_keeps_failing_gives_up_after_the_attempts_with_the_status(
    fake_github: FakeGitHub, counted: GitHubClient, slept: list[float]
) -> None:
    fake_github.add_repo(REPO)
    for n in range(1, 5):
        fake_github.fail(n)
    with pytest.raises(GitHubError, match="read README: GitHub answered 500") as caught:
        counted.read("read README", lambda: _read_readme(counted))
    assert caught.value.status == 500
    assert slept == [2.0, 4.0, 6.0]  # backoff grows with the attempt
    assert len(fake_github.requests) == 4


@pytest.mark.parametrize("kind", [Fault.SERVER_ERROR, Fault.APPLIED_THEN_ERROR])
def test_a_write_answered_with_a_5xx_is_not_repeated(
    fake_github: FakeGitHub, counted: GitHubClient, slept: list[float], kind: Fault
) -> None:
    # A write may have been applied before the 5xx: repeating it could open a second issue.
    fake_github.add_repo(REPO)
    fake_github.fail(1, kind)
    with pytest.raises(GitHubError, match="GitHub answered 50"):
        counted.write("open issue", lambda: _open_issue(counted))
    assert slept == []
    assert fake_github.requests == [("POST", f"/repos/{REPO}/issues")]


@pytest.mark.parametrize("kind", [Fault.TIMEOUT, Fault.CONNECTION_ERROR])
def test_a_write_without_an_answer_fails_the_run_asking_for_a_rerun(
    fake_github: FakeGitHub, counted: GitHubClient, kind: Fault
) -> None:
    fake_github.add_repo(REPO)
    fake_github.fail(1, kind)
    with pytest.raises(GitHubError, match=r"did not answer .* rerun to reconcile"):
        counted.write("open issue", lambda: _open_issue(counted))
    assert len(fake_github.requests) == 1


@pytest.mark.parametrize("kind", [Fault.SECONDARY_RATE_LIMIT, Fault.TOO_MANY_REQUESTS])
def test_a_write_hitting_a_secondary_rate_limit_waits_retry_after_and_lands_once(
    fake_github: FakeGitHub, counted: GitHubClient, slept: list[float], kind: Fault
) -> None:
    # GitHub applies nothing when it answers a secondary rate limit (403 or 429, Retry-After).
    fake_github.add_repo(REPO)
    fake_github.fail(1, kind)
    number = counted.write("open issue", lambda: _open_issue(counted))
    assert slept == [1.0]
    assert [i.number for i in fake_github.issues(REPO)] == [number]


def test_a_long_retry_after_is_capped_by_the_policy(
    fake_github: FakeGitHub, slept: list[float]
) -> None:
    policy = RetryPolicy(sleep=slept.append, max_wait_seconds=0.25)
    client = GitHubClient("t0ken", fake_github.base_url, policy=policy, write_spacing=0)
    fake_github.add_repo(REPO, {"README.md": "hi"})
    fake_github.fail(1, Fault.SECONDARY_RATE_LIMIT)
    try:
        assert client.read("read README", lambda: _read_readme(client)) == "hi"
    finally:
        client.close()
    assert slept == [0.25]


def test_a_repeatable_write_is_retried_after_a_5xx_like_a_read(
    fake_github: FakeGitHub, counted: GitHubClient, slept: list[float]
) -> None:
    fake_github.add_repo(REPO)
    target = counted.github.get_repo(REPO)
    fake_github.fail(1, Fault.APPLIED_THEN_ERROR)
    blob = counted.repeatable("write blob", lambda: target.create_git_blob("x", "utf-8"))
    assert blob_text(target.get_git_blob(blob.sha)) == "x"
    assert slept == [2.0]


def test_a_missing_repository_is_a_404_error_that_reads_as_missing(
    fake_github: FakeGitHub, counted: GitHubClient
) -> None:
    with pytest.raises(
        GitHubError, match="404 Not Found; not found, or the token cannot see it"
    ) as e:
        counted.read("read README", lambda: _read_readme(counted))
    assert is_missing(e.value)
    assert len(fake_github.requests) == 1  # a 404 is an answer, not a failure to retry


def test_a_write_to_an_archived_repository_says_to_unarchive_or_exclude_it(
    fake_github: FakeGitHub, counted: GitHubClient
) -> None:
    fake_github.add_repo(REPO, archived=True)
    with pytest.raises(GitHubError, match="archived: unarchive it, or exclude it") as e:
        counted.write("open issue", lambda: _open_issue(counted))
    assert e.value.status == 403
    assert not is_missing(e.value)


def test_the_counter_sees_every_page_and_every_write(
    fake_github: FakeGitHub, counted: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    for n in range(150):
        fake_github.add_issue(REPO, f"issue {n}")
    listed = counted.read("list", lambda: list(counted.github.get_repo(REPO).get_issues()))
    counted.write("open issue", lambda: _open_issue(counted))
    assert len(listed) == 150
    assert counted.counter.total == len(fake_github.requests) == 3  # two pages and one write
    assert counted.counter.writes == 1


def test_a_used_up_rate_limit_stops_at_once_naming_the_reset_time(
    fake_github: FakeGitHub, counted: GitHubClient, slept: list[float]
) -> None:
    fake_github.add_repo(REPO)
    fake_github.reset_counts()
    fake_github.fail(1, Fault.RATE_LIMIT_USED_UP)
    with pytest.raises(GitHubError) as caught:
        counted.read("read README", lambda: _read_readme(counted))
    assert (len(fake_github.requests), slept) == (1, [])
    assert "rate limit is used up until" in str(caught.value)
    assert "permission" not in str(caught.value)
