"""A maintainer's "no" end to end: a closed tracking issue or an unmerged Prime PR."""

from __future__ import annotations

from tests.e2e.harness import REPO, Actions, comment_count, prime_state, tracking

HERE = {"repository.full_name": REPO, "repository.default_branch": "main"}


def test_prime_pr_closed_unmerged_suppresses_the_same_fix(followed_actions: Actions) -> None:
    followed_actions.run("workflow_dispatch")
    assert "dependabot" in {job.signal for job in prime_state(followed_actions.fake).in_flight}
    closed = {
        **HERE,
        "pull_request.head.ref": "prime/dependabot",
        "pull_request.head.repo.full_name": REPO,
        "pull_request.merged": False,
    }
    code, summary = followed_actions.run("pull_request.closed", closed)
    assert code == 0
    assert "pr-closed-unmerged" in summary
    state = prime_state(followed_actions.fake)
    assert "dependabot" in state.refused
    assert "dependabot" not in {job.signal for job in state.in_flight}
    assert "dependabot" not in {item.signal for item in state.plan}
    issues, comments = len(followed_actions.fake.issues(REPO)), comment_count(followed_actions.fake)
    followed_actions.run("workflow_dispatch")
    assert "dependabot" not in {job.signal for job in prime_state(followed_actions.fake).in_flight}
    assert (len(followed_actions.fake.issues(REPO)), comment_count(followed_actions.fake)) == (
        issues,
        comments,
    )


def test_a_fork_named_prime_branch_closing_is_nobody_saying_no(followed_actions: Actions) -> None:
    followed_actions.run("workflow_dispatch")
    closed = {**HERE, "pull_request.head.ref": "prime/dependabot", "pull_request.merged": False}
    code, summary = followed_actions.run("pull_request.closed", closed)  # head repo: someone's fork
    assert code == 0
    assert "Not woken" in summary
    assert prime_state(followed_actions.fake).refused == {}


def test_tracking_issue_closed_by_a_human_is_not_reopened(followed_actions: Actions) -> None:
    followed_actions.run("workflow_dispatch")
    number = tracking(followed_actions.fake)["dependabot"]
    followed_actions.fake.issues(REPO)[number - 1].state = "closed"
    closed = {**HERE, "issue.number": number, "issue.state": "closed"}
    code, _ = followed_actions.run("issues.closed", closed)
    assert code == 0
    assert "dependabot" in prime_state(followed_actions.fake).refused
    followed_actions.run("workflow_dispatch")
    assert followed_actions.fake.issues(REPO)[number - 1].state == "closed"
