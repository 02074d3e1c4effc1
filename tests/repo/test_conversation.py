"""Talking to Prime as pure functions: which comments are messages, what answers change, replies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.config.models import TrustSettings
from prime_action.domain.conversation import Answer, Message, Priority, PriorityChange
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import Decision, PlanItem, PrimeState
from prime_action.repo.conversation import expire, heed, heed_plan, replies, split_pending
from prime_action.repo.prime_commands import PendingCommand, SeenComment, answered, unanswered
from tests.values import NOW

TRUST = TrustSettings()
PRIME = TRUST.prime_login
SINCE = NOW - timedelta(hours=1)
MESSAGE = Message(comment=7, issue=1, author="octocat", text="license first")


def _said(body: str, **fields: object) -> SeenComment:
    values: dict[str, object] = {
        "id": 7,
        "issue": 1,
        "body": body,
        "author": "octocat",
        "association": "OWNER",
        "created_at": NOW,
    }
    return SeenComment.model_validate(values | fields)


@pytest.mark.parametrize(
    ("comment", "mention", "found"),
    [
        pytest.param(
            _said("/prime license first"), None, ("license", "license first"), id="free text"
        ),
        pytest.param(_said("/prime skip ci"), None, ("skip", ""), id="a command has no text"),
        pytest.param(
            _said("hi @prime-bot, ci?"), "prime-bot", ("", "hi @prime-bot, ci?"), id="a mention"
        ),
        pytest.param(_said("hi @prime-bot"), None, None, id="a mention nobody configured"),
        pytest.param(_said("/prime hi", association="NONE"), None, None, id="a stranger's message"),
        pytest.param(
            _said("@prime-bot hi", on_pull=True), "prime-bot", None, id="a mention on a PR"
        ),
    ],
)
def test_the_sweep_recovers_trusted_messages_with_their_text(
    comment: SeenComment, mention: str | None, found: tuple[str, str] | None
) -> None:
    pending = unanswered((comment,), TRUST, SINCE, skip=None, mention=mention)
    assert [(p.command, p.text) for p in pending] == ([found] if found else [])


def test_a_message_counts_as_answered_only_by_primes_own_reply() -> None:
    reply = f"ok {comment_marker('reply-7')}"
    assert answered((_said(reply, id=9, author=PRIME),), TRUST, 7)
    assert not answered((_said(reply, id=9, author="mallory"),), TRUST, 7)


def test_free_text_is_a_message_only_on_primes_threads() -> None:
    pending = (
        PendingCommand(comment=1, issue=1, command="why", text="why", author="a"),
        PendingCommand(comment=2, issue=5, command="why", text="why", author="a"),
        PendingCommand(comment=3, issue=5, command="", text="@p hi", author="a", mention=True),
        PendingCommand(comment=4, issue=5, command="skip", args=("ci",)),
    )
    commands, messages = split_pending(pending, frozenset({1}))
    assert [m.comment for m in messages] == [1]
    assert [c.comment for c in commands] == [2, 4]  # help for 2; 3 is nobody's business


def _item(signal: str, weight: float) -> PlanItem:
    return PlanItem(signal=signal, runner="fileops", approach="", reason="", weight=weight,
                    added_at=NOW)  # fmt: skip


def test_an_answer_sets_and_clears_priorities_and_skips_and_the_plan_follows() -> None:
    state = PrimeState(priorities={"ci": Priority(direction="up", until=NOW + timedelta(days=1))})
    answer = Answer(
        priorities=(
            PriorityChange(signal="license", direction="up", hours=2),
            PriorityChange(signal="ci", direction="clear"),
        ),
        skip=("dependabot",),
    )
    heeded = heed(state, answer, "octocat", NOW)
    assert heeded.priorities == {
        "license": Priority(direction="up", until=NOW + timedelta(hours=2), by="octocat")
    }
    assert heeded.skipped == ("dependabot",)
    plan = (_item("ci", 10), _item("dependabot", 7.5), _item("license", 2.5))
    assert [i.signal for i in heed_plan(plan, heeded, NOW)] == ["license", "ci"]
    assert expire(heeded, NOW + timedelta(hours=3)).priorities == {}
    assert heed(state, None, "octocat", NOW) is state


def test_a_paused_prime_says_so_instead_of_asking_a_model() -> None:
    decision = Decision(summary="Paused: no action taken.")
    (reply,) = replies((MESSAGE,), decision, model=True, now=NOW, paused=True)
    assert "Prime is paused" in reply.body


@pytest.mark.parametrize(
    ("decision", "model", "says"),
    [
        pytest.param(
            Decision(summary="s", brain="llm", answer=Answer(reply="Will do.")),
            True,
            "Will do.",
            id="the model's reply",
        ),
        pytest.param(
            Decision(summary="Rules.", brain="rules"),
            True,
            "The model did not answer this time",
            id="a model that failed",
        ),
        pytest.param(
            Decision(summary="Rules.", brain="rules"),
            False,
            "Talking to Prime needs a model",
            id="no model",
        ),
    ],
)
def test_each_message_gets_one_reply_marked_with_its_comment(
    decision: Decision, model: bool, says: str
) -> None:
    (reply,) = replies((MESSAGE,), decision, model=model, now=NOW)
    assert reply.issue == 1
    assert reply.marker == comment_marker("reply-7")
    assert reply.body.startswith(reply.marker)
    assert says in reply.body
