"""Trusted commands and ticks survive a lost run; only trusted people's count (issue 18)."""

from __future__ import annotations

from datetime import UTC, datetime

from testing.github import FakeGitHub
from testing.state import Issue
from tests.e2e.harness import FILES, REPO, Actions, dashboards, prime_state, tracking

PRIME = "github-actions[bot]"
COMMENTS = ("GET", "/repos/octo-org/octo-repo/issues/comments")


def _in_sync(fake: FakeGitHub) -> None:
    """The fake's clock at the real time: the wake reads comments since its last wake."""
    fake.clock.set(datetime.now(UTC))


def _replies(fake: FakeGitHub, issue: int, comment: int) -> list[str]:
    marker = f"<!-- prime:comment=reply-{comment} -->"
    return [c.body for c in fake.comments(REPO, issue) if marker in c.body]


def _dashboard(fake: FakeGitHub) -> Issue:
    (found,) = dashboards(fake)
    return found


def _ticked(body: str | None, key: str) -> str:
    box = f"- [ ] <!-- prime:{key} -->"
    assert box in (body or ""), f"no unticked {key} box"
    return (body or "").replace(box, f"- [x] <!-- prime:{key} -->")


def _edited(actions: Actions, number: int, body: str, before: str, sender: str) -> int:
    """The `issues: edited` event of `sender`'s edit of Prime's dashboard."""
    changes = {
        "issue.number": number,
        "issue.body": body,
        "issue.user.login": PRIME,
        "issue.user.type": "Bot",
        "issue.author_association": "NONE",
        "sender.login": sender,
        "sender.type": "Bot" if sender.endswith("[bot]") else "User",
        "changes": {"body": {"from": before}},
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    code, _ = actions.run("issues.edited", changes)
    return code


def test_a_command_whose_run_never_happened_is_applied_and_answered_once(
    followed_actions: Actions,
) -> None:
    fake = followed_actions.fake
    followed_actions.run("workflow_dispatch")
    issue = tracking(fake)["dependabot"]
    _in_sync(fake)
    # Its own run was cancelled by the concurrency group: no event ever reached Prime.
    comment = fake.add_comment(REPO, issue, "/prime skip license", author_association="MEMBER")
    followed_actions.run("workflow_dispatch")
    assert "license" in prime_state(fake).skipped
    (reply,) = _replies(fake, issue, comment)
    assert "leave **license** alone" in reply
    assert fake.requests.count(COMMENTS) == 1  # one listing of the recent comments
    followed_actions.run("workflow_dispatch")
    followed_actions.run("workflow_dispatch")
    assert len(_replies(fake, issue, comment)) == 1


def test_two_commands_in_a_burst_are_both_applied_and_answered(followed_actions: Actions) -> None:
    fake = followed_actions.fake
    followed_actions.run("workflow_dispatch")
    issue = tracking(fake)["dependabot"]
    _in_sync(fake)
    first = fake.add_comment(REPO, issue, "/prime skip license", author_association="OWNER")
    second = fake.add_comment(REPO, issue, "/prime pause", author_association="COLLABORATOR")
    changes = {
        "comment.body": "/prime pause",
        "comment.id": second,
        "comment.author_association": "COLLABORATOR",
        "issue.number": issue,
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    followed_actions.run("issue_comment.created", changes)  # the first one's run was cancelled
    state = prime_state(fake)
    assert state.status == "paused"
    assert "license" in state.skipped
    assert len(_replies(fake, issue, first)) == len(_replies(fake, issue, second)) == 1


def test_an_untrusted_command_is_never_applied_later(followed_actions: Actions) -> None:
    fake = followed_actions.fake
    followed_actions.run("workflow_dispatch")
    issue = tracking(fake)["dependabot"]
    _in_sync(fake)
    comment = fake.add_comment(
        REPO, issue, "/prime pause", user="stranger", author_association="NONE"
    )
    fake.add_comment(REPO, issue, "/prime pause", user="renovate[bot]", author_association="MEMBER")
    followed_actions.run("workflow_dispatch")
    assert prime_state(fake).status == "active"
    assert _replies(fake, issue, comment) == []


def test_a_copied_reply_marker_does_not_silence_the_reply(followed_actions: Actions) -> None:
    fake = followed_actions.fake
    followed_actions.run("workflow_dispatch")
    issue = tracking(fake)["dependabot"]
    _in_sync(fake)
    comment = fake.add_comment(REPO, issue, "/prime skip license", author_association="MEMBER")
    fake.add_comment(
        REPO,
        issue,
        f"done <!-- prime:comment=reply-{comment} -->",
        user="stranger",
        author_association="NONE",
    )
    followed_actions.run("workflow_dispatch")
    replies = _replies(fake, issue, comment)
    assert len(replies) == 2  # the stranger's copy and Prime's own answer
    assert any("leave **license** alone" in r for r in replies)
    assert "license" in prime_state(fake).skipped


def test_a_tick_whose_run_never_happened_is_acted_on_by_the_next_wake(
    followed_actions: Actions,
) -> None:
    fake = followed_actions.fake
    followed_actions.run("workflow_dispatch")
    dashboard = _dashboard(fake)
    fake.person_edits(REPO, dashboard.number, _ticked(dashboard.body, "pause"), user="octocat")
    fake.repos[REPO].permissions["octocat"] = "write"
    followed_actions.run("workflow_dispatch")
    assert prime_state(fake).status == "paused"
    assert "[x]" not in (_dashboard(fake).body or "")


def test_a_bots_tick_never_counts_even_after_a_persons_unrelated_edit(
    followed_actions: Actions,
) -> None:
    fake = followed_actions.fake
    followed_actions.run("workflow_dispatch")
    dashboard = _dashboard(fake)
    by_bot = _ticked(dashboard.body, "pause")
    fake.person_edits(REPO, dashboard.number, by_bot, user="helper[bot]")
    by_person = by_bot + "\nthanks"
    fake.person_edits(REPO, dashboard.number, by_person, user="octocat")
    fake.repos[REPO].permissions["octocat"] = "write"
    assert _edited(followed_actions, dashboard.number, by_person, by_bot, "octocat") == 0
    assert prime_state(fake).status == "active"
    assert "[x]" not in (_dashboard(fake).body or "")  # handled: unticked, not acted on
    followed_actions.run("workflow_dispatch")
    assert prime_state(fake).status == "active"


def test_an_owners_tick_counts_when_only_owners_and_members_are_trusted(
    fake_github: FakeGitHub, tmp_path: object, monkeypatch: object
) -> None:
    config = "trust:\n  associations: [OWNER, MEMBER]\n"
    fake_github.add_repo(REPO, {**FILES, ".github/prime.yml": config})
    actions = Actions(fake_github, tmp_path, monkeypatch)  # type: ignore[arg-type]
    actions.run("workflow_dispatch")
    dashboard = _dashboard(fake_github)
    before = dashboard.body or ""
    fake_github.repos[REPO].permissions["alice"] = "write"
    ticked = _ticked(before, "pause")
    fake_github.person_edits(REPO, dashboard.number, ticked, user="alice")
    assert _edited(actions, dashboard.number, ticked, before, "alice") == 0
    assert prime_state(fake_github).status == "active"  # a collaborator is not trusted here
    actions.run("workflow_dispatch")  # the next wake unticks it, without acting on it
    assert prime_state(fake_github).status == "active"
    before = _dashboard(fake_github).body or ""
    ticked = _ticked(before, "pause")
    fake_github.person_edits(REPO, dashboard.number, ticked, user="octo-org")
    assert _edited(actions, dashboard.number, ticked, before, "octo-org") == 0
    assert prime_state(fake_github).status == "paused"


def test_pause_skips_and_refusals_survive_a_lost_state_branch(followed_actions: Actions) -> None:
    fake = followed_actions.fake
    followed_actions.run("workflow_dispatch")
    issue = tracking(fake)["dependabot"]
    _in_sync(fake)
    fake.add_comment(REPO, issue, "/prime skip license", author_association="MEMBER")
    followed_actions.run("workflow_dispatch")
    fake.add_comment(REPO, issue, "/prime pause", author_association="MEMBER")
    followed_actions.run("workflow_dispatch")
    before = prime_state(fake)
    assert (before.status, before.skipped) == ("paused", ("license",))
    fake.label_issue(REPO, tracking(fake)["workflow-permissions"], "in-progress")
    fake.label_issue(REPO, issue, "in-progress")
    fake.delete_branch(REPO, "prime-state")
    followed_actions.run("workflow_dispatch")
    after = prime_state(fake)
    assert after.rebuilt
    assert (after.status, after.skipped) == ("paused", ("license",))
    ids = [job.attempt_id for job in after.in_flight]
    assert len(ids) == len(set(ids)) >= 2  # rebuilt jobs keep distinct ids


def test_an_edit_of_another_issue_asks_for_no_permission(
    fake_github: FakeGitHub, tmp_path: object, monkeypatch: object
) -> None:
    config = "trust:\n  associations: [OWNER, MEMBER]\n"
    fake_github.add_repo(REPO, {**FILES, ".github/prime.yml": config})
    actions = Actions(fake_github, tmp_path, monkeypatch)  # type: ignore[arg-type]
    actions.run("workflow_dispatch")
    number = fake_github.add_issue(REPO, "A bug", "It crashes", user="reporter")
    changes = {
        "issue.number": number,
        "issue.body": "It crashes badly",
        "sender.login": "alice",
        "changes": {"body": {"from": "It crashes"}},
        "repository.full_name": REPO,
        "repository.default_branch": "main",
    }
    actions.run("issues.edited", changes)
    assert not [r for r in fake_github.requests if "/collaborators/" in r[1]]
