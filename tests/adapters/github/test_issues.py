"""Tracking issues on GitHub: found by marker, created once, reopened, commented once, closed."""

from __future__ import annotations

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.config.models import LabelSettings
from prime_action.domain.markers import data_marker, signal_marker
from testing.github import FakeGitHub

REPO = "acme/api"


def _store(client: GitHubClient) -> GitHubIssueStore:
    return GitHubIssueStore(client, REPO, LabelSettings())


def _body(signal: str, fingerprint: str = "fp1") -> str:
    data = data_marker({"fingerprint": fingerprint, "signal": signal})
    return f"{signal_marker(signal)}\n{data}\nbody"


def test_issue_is_created_once_with_its_labels_and_found_again_by_marker(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = _store(client)
    store.tracking_issues()
    number = store.open_issue("ci", "Prime: ci", _body("ci"), ("automated",))
    again = _store(client)
    tracked = again.tracking_issues()
    assert again.open_issue("ci", "Prime: ci", _body("ci"), ("automated",)) == number
    assert [(i.number, i.signal, i.fingerprint) for i in tracked] == [(number, "ci", "fp1")]
    assert [i.labels for i in fake_github.issues(REPO)] == [["automated"]]


def test_title_is_never_the_key_a_renamed_issue_is_still_found(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.add_issue(REPO, "renamed by a human", _body("license"), labels=["automated"])
    fake_github.add_issue(REPO, "Prime: license", "no marker here", labels=["automated"])
    tracked = _store(client).tracking_issues()
    assert [(i.title, i.signal) for i in tracked] == [("renamed by a human", "license")]


def test_closed_issue_is_reopened_not_duplicated(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = _store(client)
    store.tracking_issues()
    number = store.open_issue("ci", "t", _body("ci"), ())
    store.close_issue(number, "<!-- prime:comment=closed -->\nok again")
    store = _store(client)
    assert store.tracking_issues()[0].state == "closed"
    assert not store.tracking_issues()[0].closed_by_human
    assert store.open_issue("ci", "t", _body("ci", "fp2"), ()) == number
    assert [(i.number, i.state) for i in fake_github.issues(REPO)] == [(number, "open")]


def test_issue_closed_by_a_human_is_told_apart_from_one_closed_by_prime(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    number = fake_github.add_issue(REPO, "t", _body("ci"), labels=["automated"], state="closed")
    tracked = _store(client).tracking_issues()
    assert [(i.number, i.closed_by_human) for i in tracked] == [(number, True)]


def test_comment_with_the_same_marker_is_posted_once(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = _store(client)
    store.tracking_issues()
    number = store.open_issue("ci", "t", _body("ci"), ())
    for _ in range(3):
        store.comment(number, "<!-- prime:comment=k -->\nnew fact", "<!-- prime:comment=k -->")
    assert len(fake_github.comments(REPO, number)) == 1


def test_labels_are_created_on_demand_and_only_differences_are_written(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = _store(client)
    store.tracking_issues()
    number = store.open_issue("ci", "t", _body("ci"), ())
    store.set_labels(number, ("needs-human",), ())
    fake_github.reset_counts()
    store.set_labels(number, ("needs-human",), ("in-progress",))
    assert fake_github.writes == 0
    store.set_labels(number, (), ("needs-human",))
    assert fake_github.issues(REPO)[0].labels == ["automated"]
