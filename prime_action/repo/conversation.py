"""Talking to Prime: which comments are messages, what an answer changes, and the one reply."""

from __future__ import annotations

from datetime import datetime, timedelta

from prime_action.domain.commands import COMMANDS
from prime_action.domain.conversation import Answer, Message, Priority
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import Decision, PlanItem, PrimeState
from prime_action.domain.release import ACTION_REPOSITORY
from prime_action.repo.effects import Reply
from prime_action.repo.plan import active, order_plan
from prime_action.repo.prime_commands import PendingCommand
from prime_action.templating import render

# Where a reply without a model sends people to read how to configure one.
README = f"https://github.com/{ACTION_REPOSITORY}#talking-to-prime"


def split_pending(
    pending: tuple[PendingCommand, ...], threads: frozenset[int]
) -> tuple[tuple[PendingCommand, ...], tuple[Message, ...]]:
    """The recovered comments as commands, and as messages to Prime.

    Args:
        pending: the trusted comments no reply of Prime's answers yet.
        threads: the dashboard's and Prime's tracking issues' numbers.

    Returns:
        Free text on one of Prime's threads is a message; `/prime <words>` elsewhere stays
        a command (its reply lists the commands); a mention elsewhere is nobody's business.
    """
    messages = tuple(p.message() for p in pending if p.text and p.issue in threads)
    commands = tuple(p for p in pending if not p.text or (p.issue not in threads and not p.mention))
    return commands, messages


def expire(state: PrimeState, now: datetime) -> PrimeState:
    """The state without the priority changes whose time is up."""
    live = active(state.priorities, now)
    return state if live == state.priorities else state.model_copy(update={"priorities": live})


def clear_priority(state: PrimeState, signal: str) -> PrimeState:
    """The state without a signal's priority change (a command, a dashboard box)."""
    kept = {k: v for k, v in state.priorities.items() if k != signal}
    return state.model_copy(update={"priorities": kept})


def heed(state: PrimeState, answer: Answer | None, by: str, now: datetime) -> PrimeState:
    """The state with a validated answer's priority changes and skips.

    Args:
        state: the working memory after the decision's actions.
        answer: the decision's answer to the wake's messages (policy checked it).
        by: who asked (the messages' authors), kept beside each change.
        now: the current moment.

    Returns:
        The state; a change lasts its hours, `clear` removes one, a skip is `/prime skip`'s.
    """
    if answer is None:
        return state
    for change in answer.priorities:
        state = clear_priority(state, change.signal)
        if change.direction != "clear":
            until = now + timedelta(hours=change.hours)
            kept = Priority(direction=change.direction, until=until, by=by)
            priorities = {**state.priorities, change.signal: kept}
            state = state.model_copy(update={"priorities": priorities})
    if answer.skip:
        state = state.model_copy(update={"skipped": tuple(sorted({*state.skipped, *answer.skip}))})
    return state


def heed_plan(plan: tuple[PlanItem, ...], state: PrimeState, now: datetime) -> tuple[PlanItem, ...]:
    """The plan after an answer: skipped signals out, the priorities' order."""
    kept = tuple(i for i in plan if i.signal not in state.skipped)
    return order_plan(kept, state.priorities, now)


def authors(messages: tuple[Message, ...]) -> str:
    """Who wrote a wake's messages, for the changes they asked."""
    return ", ".join(dict.fromkeys(m.author for m in messages))


def replies(
    messages: tuple[Message, ...],
    decision: Decision,
    *,
    model: bool,
    now: datetime,
    paused: bool = False,
) -> tuple[Reply, ...]:
    """One reply per message (the marker carries the comment's id: a rerun posts none).

    Args:
        messages: the wake's messages to Prime.
        decision: the wake's decision, enforced by policy.
        model: whether a model is configured (without one, the reply says how to set one).
        now: the current moment (the changes' expiry).
        paused: whether Prime is paused (it asks no model then).

    Returns:
        The replies: the model's answer and what it changed, or why there is none.
    """
    answer = decision.answer if decision.brain == "llm" else None
    until = {c.signal: now + timedelta(hours=c.hours) for c in answer.priorities} if answer else {}
    out = []
    for message in messages:
        marker = comment_marker(f"reply-{message.comment}")
        body = render(
            "comments/conversation-reply.md.j2",
            marker=marker,
            answer=answer,
            until=until,
            summary=decision.summary,
            model=model,
            paused=paused,
            commands=COMMANDS,
            readme=README,
        )
        out.append(Reply(issue=message.issue, body=body, marker=marker))
    return tuple(out)
