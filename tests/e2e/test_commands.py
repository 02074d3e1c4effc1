"""`/prime` commands in issue comments end to end: trusted ones act and reply once."""

from __future__ import annotations

from testing.github import FakeGitHub
from tests.e2e.harness import REPO, Actions, comment_count, prime_state, tracking


def _command(
    followed_actions: Actions, text: str, issue: int, comment_id: int = 5001
) -> tuple[int, str]:
    changes = {
        "comment.body": text,
        "comment.id": comment_id,
        "comment.author_association": "COLLABORATOR",
        "issue.number": issue,
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    return followed_actions.run("issue_comment.created", changes)


def _replies(fake: FakeGitHub, issue: int) -> list[str]:
    return [c.body for c in fake.comments(REPO, issue) if "prime:comment=reply-" in c.body]


def test_trusted_skip_command_acts_and_replies_once(followed_actions: Actions) -> None:
    followed_actions.run("workflow_dispatch")
    issue = tracking(followed_actions.fake)["dependabot"]
    code, _ = _command(followed_actions, "/prime skip license", issue)
    assert code == 0
    assert "license" in prime_state(followed_actions.fake).skipped
    (reply,) = _replies(followed_actions.fake, issue)
    assert "leave **license** alone" in reply
    before = comment_count(followed_actions.fake)
    _command(followed_actions, "/prime skip license", issue)  # the event delivered again
    assert comment_count(followed_actions.fake) == before
    assert followed_actions.fake.writes == 0


def test_unknown_command_gets_a_short_help_reply(followed_actions: Actions) -> None:
    followed_actions.run("workflow_dispatch")
    issue = tracking(followed_actions.fake)["dependabot"]
    _command(followed_actions, "/prime dance", issue, comment_id=5002)
    (reply,) = _replies(followed_actions.fake, issue)
    assert "Prime understands: `/prime wake`" in reply
    assert "/prime run SIGNAL" in reply


def test_retry_of_an_unknown_signal_names_the_known_ones(followed_actions: Actions) -> None:
    followed_actions.run("workflow_dispatch")
    issue = tracking(followed_actions.fake)["dependabot"]
    _command(followed_actions, "/prime retry nope", issue, comment_id=5003)
    (reply,) = _replies(followed_actions.fake, issue)
    assert "There is no signal **nope**" in reply
    assert "dependabot" in reply


def test_status_command_reports_without_changing_the_plan(followed_actions: Actions) -> None:
    followed_actions.run("workflow_dispatch")
    plan = prime_state(followed_actions.fake).plan
    issue = tracking(followed_actions.fake)["dependabot"]
    _command(followed_actions, "/prime status", issue, comment_id=5004)
    (reply,) = _replies(followed_actions.fake, issue)
    assert "Status: **active**" in reply
    assert "2 job(s) in flight" in reply
    assert [i.signal for i in prime_state(followed_actions.fake).plan] == [i.signal for i in plan]


def test_org_delegating_a_signal_starts_its_job_now(followed_actions: Actions) -> None:
    followed_actions.run("workflow_dispatch")
    assert "license" not in {job.signal for job in prime_state(followed_actions.fake).in_flight}
    changes = {
        "action": "prime-delegate",
        "client_payload": {"signal": "license", "reason": "org-wide licence sweep"},
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    code, summary = followed_actions.run("repository_dispatch", changes)
    assert code == 0
    assert "Reason: **delegate**" in summary
    assert "license" in {job.signal for job in prime_state(followed_actions.fake).in_flight}
    assert "license" in tracking(followed_actions.fake)
