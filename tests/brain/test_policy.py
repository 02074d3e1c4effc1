"""Policy: every proposed action is checked against an allow-list; refusals are kept."""

from __future__ import annotations

import pytest

from prime_action.brain.policy import check_action, enforce, vet_answer
from prime_action.config.models import RepoConfig
from prime_action.domain.conversation import Answer, Message, PriorityChange
from prime_action.domain.models import (
    Action,
    CloseIssue,
    CommentIssue,
    CreateIssue,
    Decision,
    Label,
    PrimeState,
    SubmitJob,
    Wait,
)
from tests.values import issue, picture, signal

PICTURE = picture(
    (signal("license"), signal("ci", "ok"), signal("codeowners")),
    (issue(3, "license"), issue(9, "ci")),
    PrimeState(skipped=("codeowners",)),
    RepoConfig.model_validate({"jobs": {"runners": ["fileops"]}}),
)


@pytest.mark.parametrize(
    ("action", "refusal"),
    [
        (CommentIssue(issue=3, body="hi"), ""),
        (CommentIssue(issue=41, body="hi"), "issue #41 is not one of Prime's own issues"),
        (CommentIssue(signal="nope", body="hi"), "unknown signal 'nope'"),
        (CloseIssue(issue=3, signal="ci", reason="x"), "issue #3 tracks 'license', not 'ci'"),
        (Label(issue=3, add=("needs-human",)), ""),
        (Label(issue=3, add=("wontfix",)), "label(s) wontfix not in the allowed set"),
        (SubmitJob(signal="license", runner="fileops", approach="a"), ""),
        (
            SubmitJob(signal="license", runner="agent", approach="a"),
            "runner 'agent' is not allowed",
        ),
        (SubmitJob(signal="ci", runner="fileops", approach="a"), "'ci' is not in the plan"),
        (SubmitJob(signal="codeowners", runner="fileops", approach="a"), "skipped by a maintainer"),
        (CreateIssue(signal="license", title="t"), "already has an open tracking issue"),
        (Wait(reason="nothing"), ""),
    ],
)
def test_policy_allows_or_refuses_each_action(action: Action, refusal: str) -> None:
    reason = check_action(action, PICTURE)
    assert (refusal in reason) if refusal else reason == ""
    if refusal:
        assert reason


def test_refused_actions_are_dropped_with_their_reason_and_allowed_ones_kept() -> None:
    proposed = Decision(
        actions=(CommentIssue(issue=3, body="ok"), CommentIssue(issue=41, body="foreign")),
        summary="s",
    )
    decision = enforce(proposed, PICTURE)
    assert [a.type for a in decision.actions] == ["comment-issue"]
    assert len(decision.dropped) == 1
    assert decision.dropped[0].action["issue"] == 41


@pytest.mark.parametrize(("proposed", "clamped"), [(0.01, 0.25), (500.0, 72.0), (6.0, 6.0)])
def test_next_wake_is_clamped_to_the_configured_range(proposed: float, clamped: float) -> None:
    decision = enforce(Decision(next_wake_hours=proposed, summary="s"), PICTURE)
    assert decision.next_wake_hours == clamped


MESSAGE = Message(comment=7, issue=3, author="octocat", text="license first, please")
ASKED = PICTURE.model_copy(update={"messages": (MESSAGE,)})


def _answer(*changes: PriorityChange, skip: tuple[str, ...] = (), reply: str = "ok") -> Answer:
    return Answer(reply=reply, priorities=changes, skip=skip)


@pytest.mark.parametrize(
    ("change", "kept", "refusal"),
    [
        (PriorityChange(signal="license", direction="up", hours=5), 5.0, ""),
        (PriorityChange(signal="license", direction="down", hours=1e9), 720.0, ""),
        (PriorityChange(signal="license", direction="clear", hours=0.01), 1.0, ""),
        (PriorityChange(signal="nope", direction="up"), None, "unknown signal 'nope'"),
        (PriorityChange(signal="codeowners", direction="up"), None, "skipped by a maintainer"),
    ],
)
def test_an_answers_priority_changes_are_kept_only_for_known_signals_and_clamped(
    change: PriorityChange, kept: float | None, refusal: str
) -> None:
    answer, dropped = vet_answer(_answer(change), ASKED)
    assert answer is not None
    assert [c.hours for c in answer.priorities] == ([kept] if kept is not None else [])
    assert len(dropped) == (1 if refusal else 0)
    assert all(refusal in d.reason for d in dropped)


def test_an_answer_in_a_wake_without_a_message_changes_nothing() -> None:
    change = PriorityChange(signal="license", direction="up")
    answer, dropped = vet_answer(_answer(change, skip=("license",)), PICTURE)
    assert answer is None
    assert [d.action["type"] for d in dropped] == ["answer"]
    assert "no maintainer wrote to Prime" in dropped[0].reason


def test_an_answers_skips_and_reply_are_screened_and_cleaned() -> None:
    reply = "Sure @everyone, see https://evil.example/x and token ghp_" + "a" * 36
    answer, dropped = vet_answer(_answer(skip=("license", "nope"), reply=reply), ASKED, "o/r")
    assert answer is not None
    assert answer.skip == ("license",)
    assert [d.action for d in dropped] == [{"type": "skip", "signal": "nope"}]
    assert "`@everyone`" in answer.reply
    assert "evil.example/x" not in answer.reply
    assert "ghp_" + "a" * 36 not in answer.reply


def test_enforce_vets_the_decisions_answer() -> None:
    decision = Decision(summary="s", answer=_answer(PriorityChange(signal="nope", direction="up")))
    enforced = enforce(decision, ASKED)
    assert enforced.answer is not None
    assert enforced.answer.priorities == ()
    assert [d.reason for d in enforced.dropped] == ["unknown signal 'nope'"]


@pytest.mark.parametrize(
    ("action", "refused"),
    [
        (CommentIssue(issue=3, body="hi"), True),
        (CommentIssue(signal="license", body="hi"), True),
        (CommentIssue(issue=9, body="hi"), False),
    ],
)
def test_a_comment_on_the_thread_of_a_message_is_refused_the_reply_is_the_one_comment(
    action: CommentIssue, refused: bool
) -> None:
    assert bool(check_action(action, ASKED)) is refused
    assert check_action(action, PICTURE) == ""
