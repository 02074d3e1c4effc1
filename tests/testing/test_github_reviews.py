"""Reviews in the fake answer as GitHub does: a commit's review with inline comments on lines of
the diff, and the 422s for a line outside it, an Actions approval and a body-less comment."""

from __future__ import annotations

import github
import pytest

from testing import FakeGitHub
from testing.routes_reviews import diff_lines

REPO = "acme/api"
UNRESOLVED = "Line could not be resolved"


@pytest.fixture
def pull(fake_github: FakeGitHub, github_client: github.Github) -> github.PullRequest.PullRequest:
    """A person's PR changing line 2 of a three-line file."""
    fake_github.add_repo(REPO, {"app.py": "a = 1\nb = 2\nc = 3\n"})
    fake_github.push(REPO, {"app.py": "a = 1\nb = 20\nc = 3\n"}, branch="feature")
    number = fake_github.add_pull(REPO, "feature")
    return github_client.get_repo(REPO).get_pull(number)


def test_diff_lines_are_the_hunks_lines_on_each_side() -> None:
    patch = "@@ -1,3 +1,3 @@\n a = 1\n-b = 2\n+b = 20\n c = 3"
    assert diff_lines(patch) == {"LEFT": {1, 2, 3}, "RIGHT": {1, 2, 3}}
    assert diff_lines("@@ -10,0 +11,2 @@\n+x\n+y") == {"LEFT": set(), "RIGHT": {11, 12}}


def _post(pull: github.PullRequest.PullRequest, payload: dict[str, object]) -> dict[str, object]:
    _, data = pull.requester.requestJsonAndCheck("POST", f"{pull.url}/reviews", input=payload)
    return data


def test_a_comment_review_with_an_inline_comment_on_the_diff_is_saved(
    fake_github: FakeGitHub, pull: github.PullRequest.PullRequest
) -> None:
    comment = {"path": "app.py", "line": 2, "side": "RIGHT", "body": "why 20?"}
    data = _post(pull, {"commit_id": pull.head.sha, "body": "Looks odd.", "event": "COMMENT",
                        "comments": [comment]})  # fmt: skip
    assert (data["state"], data["commit_id"]) == ("COMMENTED", pull.head.sha)
    [review] = pull.get_reviews()
    assert review.body == "Looks odd."
    assert fake_github.take_violations() == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"body": "x", "event": "COMMENT",
          "comments": [{"path": "app.py", "line": 9, "body": "far"}]}, UNRESOLVED),
        ({"body": "x", "event": "COMMENT",
          "comments": [{"path": "other.py", "line": 1, "body": "no"}]}, UNRESOLVED),
        ({"event": "APPROVE"}, "GitHub Actions is not permitted to approve pull requests."),
        ({"event": "COMMENT"}, "Body is required"),
    ],
)  # fmt: skip
def test_the_fake_refuses_what_github_refuses_and_saves_nothing(
    pull: github.PullRequest.PullRequest, payload: dict[str, object], message: str
) -> None:
    with pytest.raises(github.GithubException, match=message) as refused:
        _post(pull, payload)
    assert refused.value.status == 422
    assert list(pull.get_reviews()) == []


def test_a_pull_requests_commits_are_its_own_oldest_first(
    fake_github: FakeGitHub, pull: github.PullRequest.PullRequest
) -> None:
    fake_github.push(REPO, {"app.py": "a = 1\nb = 21\nc = 3\n"}, branch="feature", message="Two")
    fake_github.push(REPO, {"README.md": "# api\n"}, message="On main meanwhile")
    messages = [c.commit.message for c in pull.get_commits()]
    assert messages == ["Update files", "Two"]
    assert fake_github.take_violations() == []
