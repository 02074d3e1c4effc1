"""Issues, comments, labels and pull requests of the fake GitHub, driven through PyGithub."""

from __future__ import annotations

import github
import pytest

from testing import FakeGitHub

MARKER = "<!-- prime:signal=ci -->"


@pytest.fixture
def repo(fake_github: FakeGitHub, github_client: github.Github) -> github.Repository.Repository:
    fake_github.add_repo("acme/api")
    return github_client.get_repo("acme/api")


def test_created_issue_is_attributed_to_the_token_and_creates_its_labels(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    issue = repo.create_issue("CI is failing", body=f"{MARKER}\nred", labels=["automated"])
    assert issue.number == 1
    assert issue.user.login == "github-actions[bot]"
    assert issue.user.type == "Bot"
    assert [label.name for label in issue.labels] == ["automated"]
    assert [label.name for label in repo.get_labels()] == ["automated"]
    assert fake_github.issues("acme/api")[0].body == f"{MARKER}\nred"


def test_listing_pages_through_more_than_thirty_issues(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    for index in range(45):
        fake_github.add_issue(
            "acme/api", f"issue {index}", labels=["automated"] if index % 3 else []
        )
    fake_github.reset_counts()
    numbers = [issue.number for issue in repo.get_issues(state="open")]
    assert numbers == list(range(45, 0, -1))
    assert fake_github.requests == [("GET", "/repos/acme/api/issues")] * 2
    labelled = repo.get_issues(labels=[repo.get_label("automated")])
    assert labelled.totalCount == 30


def test_state_filter_and_since(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.add_issue("acme/api", "old", state="closed")
    fake_github.add_issue("acme/api", "new")
    assert [i.title for i in repo.get_issues()] == ["new"]
    assert [i.title for i in repo.get_issues(state="closed")] == ["old"]
    assert [i.title for i in repo.get_issues(state="all", direction="asc")] == ["old", "new"]


def test_comment_edit_and_listing(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    number = fake_github.add_issue("acme/api", "question", user="alice")
    fake_github.add_comment(
        "acme/api", number, "/prime retry", user="alice", author_association="MEMBER"
    )
    issue = repo.get_issue(number)
    mine = issue.create_comment(f"{MARKER} on it")
    mine.edit(f"{MARKER} done")
    comments = list(issue.get_comments())
    assert [(c.user.login, c.body) for c in comments] == [
        ("alice", "/prime retry"),
        ("github-actions[bot]", f"{MARKER} done"),
    ]
    assert comments[0].author_association == "MEMBER"
    assert [c.body for c in fake_github.comments("acme/api", number)][-1] == f"{MARKER} done"
    assert repo.get_issue(number).comments == 2


def test_labels_are_set_replaced_and_removed(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    repo.create_label("needs-human", "d73a4a", "A person must act")
    issue = repo.create_issue("x", labels=["automated"])
    issue.edit(labels=["automated", "in-progress"])
    issue.remove_from_labels("automated")
    assert [label.name for label in repo.get_issue(issue.number).labels] == ["in-progress"]
    with pytest.raises(github.GithubException) as caught:
        issue.remove_from_labels("automated")
    assert caught.value.status == 404
    with pytest.raises(github.GithubException) as taken:
        repo.create_label("needs-human", "000000")
    assert taken.value.status == 422
    names = [label.name for label in repo.get_labels()]
    assert names == ["automated", "in-progress", "needs-human"]


def test_adding_labels_with_the_documented_object_body(repo: github.Repository.Repository) -> None:
    issue = repo.create_issue("x")
    # PyGithub's add_to_labels() sends a bare array, which the description's schema does not
    # list; the documented body is an object.
    issue.requester.requestJsonAndCheck("POST", f"{issue.url}/labels", input={"labels": ["a"]})
    assert [label.name for label in repo.get_issue(issue.number).labels] == ["a"]


def test_closing_and_reopening_keep_closed_at_and_reason(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    issue = repo.create_issue("fixed soon")
    issue.edit(state="closed", state_reason="not_planned")
    closed = repo.get_issue(issue.number)
    assert (closed.state, closed.state_reason) == ("closed", "not_planned")
    assert closed.closed_at is not None
    closed.edit(state="open")
    reopened = repo.get_issue(issue.number)
    assert (reopened.state, reopened.state_reason) == ("open", "reopened")
    assert reopened.closed_at is None


def test_pull_requests_share_the_number_sequence_and_show_in_issues(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    repo.create_issue("first")
    fake_github.push("acme/api", {"fix.txt": "1"}, branch="prime/ci")
    pull = repo.create_pull(base="main", head="prime/ci", title="Fix CI", body=MARKER)
    assert pull.number == 2
    assert pull.head.ref == "prime/ci"
    listed = list(repo.get_issues())
    assert [(i.number, i.pull_request is not None) for i in listed] == [(2, True), (1, False)]
    assert [p.number for p in repo.get_pulls(head="acme:prime/ci")] == [2]
    with pytest.raises(github.GithubException) as caught:
        repo.create_pull(base="main", head="prime/ci", title="again")
    assert caught.value.status == 422
    pull.edit(state="closed")
    assert repo.get_pulls(state="open").totalCount == 0
    assert fake_github.pulls("acme/api")[0].state == "closed"


def test_a_branch_without_new_commits_cannot_be_proposed(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    repo.create_git_ref("refs/heads/empty", str(fake_github.ref("acme/api", "main")))
    with pytest.raises(github.GithubException) as caught:
        repo.create_pull(base="main", head="empty", title="nothing")
    assert caught.value.data["message"] == "No commits between main and empty"


def test_archived_repository_refuses_writes(
    fake_github: FakeGitHub, github_client: github.Github
) -> None:
    fake_github.add_repo("acme/old", archived=True)
    with pytest.raises(github.GithubException) as caught:
        github_client.get_repo("acme/old").create_issue("x")
    assert caught.value.status == 403
