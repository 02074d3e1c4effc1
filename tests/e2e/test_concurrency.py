"""Two wakes writing `prime-state` at once: the second to commit re-reads and loses nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from prime_action.domain.markers import DASHBOARD, PREFIX, find_signal
from testing.github import FakeGitHub
from testing.router import FakeRequest
from tests.e2e.harness import FILES, FOLLOWED, REPO, Actions, comment_count, dashboards, prime_state


def _moves_the_state_ref(request: FakeRequest) -> bool:
    return request.method == "PATCH" and request.path.endswith("/git/refs/heads/prime-state")


def test_two_concurrent_writers_on_prime_state_lose_no_update(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(REPO, FILES)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = (Actions(fake_github, tmp_path / n, monkeypatch) for n in ("a", "b"))
    first.run("workflow_dispatch")
    (dashboard,) = dashboards(fake_github)

    def pause_meanwhile(fake: FakeGitHub) -> None:
        # A maintainer ticks a box while the first wake runs; that edit's own wake (the
        # second) commits first.
        before = dashboard.body or ""
        dashboard.body = before.replace("- [ ] <!-- prime:pause -->", "- [x] <!-- prime:pause -->")
        pause = {
            "issue.number": dashboard.number,
            "issue.body": dashboard.body,
            "changes": {"body": {"from": before}},
            "repository.full_name": REPO,
            "repository.default_branch": "main",
        }
        code, _ = second.run("issues.edited", pause)
        assert code == 0
        assert prime_state(fake).status == "paused"

    fake_github.on_request(_moves_the_state_ref, pause_meanwhile)
    skip = {
        "comment.body": "/prime skip license",
        "comment.author_association": "MEMBER",
        "issue.number": dashboard.number,
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    code, _ = first.run("issue_comment.created", skip)
    assert code == 0
    state = prime_state(fake_github)
    assert state.status == "paused"  # the second writer's update survived
    assert "license" in state.skipped  # and so did the first writer's
    replies = [c for c in fake_github.comments(REPO, dashboard.number) if "reply-" in c.body]
    assert len(replies) == 1
    assert len(dashboards(fake_github)) == 1
    issues = [find_signal(i.body) for i in fake_github.issues(REPO) if find_signal(i.body)]
    assert len(issues) == len(set(issues))
    before = comment_count(fake_github)
    code, _ = first.run("issue_comment.created", skip)  # the same event delivered again
    assert code == 0
    assert comment_count(fake_github) == before


def _nth_request(n: int) -> Callable[[FakeRequest], bool]:
    seen = [0]

    def nth(request: FakeRequest) -> bool:
        seen[0] += 1
        return seen[0] == n

    return nth


def _open_prime_issues(fake: FakeGitHub) -> list[str]:
    """Dashboard and signal of every open issue Prime keeps (duplicates show twice)."""
    return [
        "dashboard" if DASHBOARD in (i.body or "") else find_signal(i.body) or ""
        for i in fake.issues(REPO)
        if i.state == "open" and i.pull is None and PREFIX in (i.body or "")
    ]


# A first wake with tracking issues makes 33 requests: 20 moments spread over them.
@pytest.mark.parametrize("moment", [*range(1, 33, 2), 2, 4, 6, 32])
def test_two_concurrent_first_wakes_converge_to_one_of_each(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: int
) -> None:
    """20 trials: the second first wake runs whole inside the first, at its `moment`-th request.

    With a tracking issue per problem, so that the issues' creation races too."""
    fake_github.add_repo(REPO, FOLLOWED)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = (Actions(fake_github, tmp_path / n, monkeypatch) for n in ("a", "b"))

    ran: list[int] = []

    def second_wake(fake: FakeGitHub) -> None:
        code, _ = second.run("workflow_dispatch")
        ran.append(code)

    fake_github.on_request(_nth_request(moment), second_wake)
    code, _ = first.run("workflow_dispatch")
    assert (code, ran) == (0, [0])
    found = _open_prime_issues(fake_github)
    assert found.count("dashboard") == 1
    assert len(found) == len(set(found)), f"duplicates among {sorted(found)}"
    assert prime_state(fake_github).dashboard_issue == dashboards_open(fake_github)
    closed = [i for i in fake_github.issues(REPO) if i.state == "closed"]
    assert all(not fake_github.comments(REPO, i.number) for i in closed)  # closed quietly
    first.run("workflow_dispatch")  # and the next wake keeps it that way
    assert sorted(_open_prime_issues(fake_github)) == sorted(found)


def dashboards_open(fake: FakeGitHub) -> int:
    (number,) = [i.number for i in dashboards(fake) if i.state == "open"]
    return number
