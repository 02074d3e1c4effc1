"""Policy disposes: every proposed action is checked against an allow-list before any write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from prime_action.brain.port import BrainInput
from prime_action.brain.sanitize import MAX_SUMMARY, clean, clean_title
from prime_action.domain.conversation import Answer
from prime_action.domain.models import (
    ACTION_TYPES,
    MAX_ACTIONS,
    Action,
    CloseIssue,
    CommentIssue,
    CreateIssue,
    Decision,
    DroppedAction,
    FlagOrg,
    Label,
    SubmitJob,
    Wait,
)
from prime_action.domain.ports import TrackedIssue


def _issue_check(action: CommentIssue | CloseIssue | Label, picture: BrainInput) -> str:
    own = {i.number: i for i in picture.issues}
    if action.issue is None:
        if action.signal is None or picture.open_issue(action.signal) is None:
            return "names no issue of Prime's and no signal with an open tracking issue"
        return ""
    if action.issue not in own:
        return f"issue #{action.issue} is not one of Prime's own issues"
    if action.signal is not None and own[action.issue].signal != action.signal:
        return f"issue #{action.issue} tracks '{own[action.issue].signal}', not '{action.signal}'"
    return ""


def _signal_check(signal: str | None, picture: BrainInput) -> str:
    if signal is None:
        return ""
    if signal not in {s.name for s in picture.signals}:
        return f"unknown signal '{signal}'"
    if signal in picture.state.skipped:
        return f"signal '{signal}' is skipped by a maintainer"
    return ""


def _create_check(action: CreateIssue, picture: BrainInput) -> str:
    if picture.open_issue(action.signal) is not None:
        return f"signal '{action.signal}' already has an open tracking issue"
    if not any(s.name == action.signal and s.status == "failing" for s in picture.signals):
        return f"signal '{action.signal}' is not failing"
    return ""


def _specific_check(action: Action, picture: BrainInput) -> str:
    if isinstance(action, SubmitJob):
        if action.runner not in picture.config.jobs.runners:
            return f"runner '{action.runner}' is not allowed by jobs.runners"
        if action.signal not in {p.signal for p in picture.plan}:
            return f"signal '{action.signal}' is not in the plan (in flight, blocked or ok)"
    if isinstance(action, CreateIssue):
        return _create_check(action, picture)
    if isinstance(action, Label):
        unknown = sorted(set(action.add + action.remove) - set(picture.config.labels.all()))
        if unknown:
            return f"label(s) {', '.join(unknown)} not in the allowed set"
    if isinstance(action, CommentIssue | CloseIssue | Label):
        return _issue_check(action, picture)
    return ""


def check_action(action: Action, picture: BrainInput) -> str:
    """Why policy refuses an action ("" when it is allowed)."""
    return (
        _signal_check(getattr(action, "signal", None), picture)
        or _specific_check(action, picture)
        or _second_comment(action, picture)
    )


def _second_comment(action: Action, picture: BrainInput) -> str:
    """A comment on a thread where a maintainer wrote to Prime: the reply is the one comment."""
    if not isinstance(action, CommentIssue) or not picture.messages:
        return ""
    tracked = picture.open_issue(action.signal) if action.signal else None
    target = action.issue if action.issue is not None else (tracked.number if tracked else None)
    if target in {m.issue for m in picture.messages}:
        return f"#{target} gets the reply to the maintainer's message: one comment, not two"
    return ""


_ACTION: TypeAdapter[Action] = TypeAdapter(Action)


def _parse(proposed: Action | Mapping[str, Any]) -> tuple[Action | None, str]:
    """An action as typed, or a raw proposal (an LLM's JSON) parsed into one."""
    if not isinstance(proposed, Mapping):
        return proposed, ""
    try:
        return _ACTION.validate_python(proposed), ""
    except ValidationError as e:
        kind = proposed.get("type")
        if kind not in ACTION_TYPES:
            return None, f"unknown action type {kind!r} (known: {', '.join(ACTION_TYPES)})"
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or kind
        return None, f"invalid {kind} action: {where}: {first['msg']}"


def screen(
    proposed: Sequence[Action | Mapping[str, Any]],
    picture: BrainInput,
    dropped: Sequence[DroppedAction] = (),
) -> tuple[tuple[Action, ...], tuple[DroppedAction, ...]]:
    """Keep the allowed actions (at most five) and drop the rest with the reason.

    Args:
        proposed: typed actions, or raw JSON objects from a model (parsed here, so an
            unknown type or a missing field drops one action, not the whole decision).
        picture: the wake's inputs (own issues, signals, config).
        dropped: actions dropped earlier, kept first.

    Returns:
        The kept actions and every dropped one with its reason.
    """
    kept: list[Action] = []
    refused = list(dropped)
    for item in proposed:
        action, reason = _parse(item)
        if action is not None:
            too_many = len(kept) >= MAX_ACTIONS
            reason = check_action(action, picture) or (
                f"more than {MAX_ACTIONS} actions in one wake" if too_many else ""
            )
            if not reason:
                kept.append(action)
                picture = _with_opened(picture, action)
                continue
        raw = action.model_dump(mode="json") if action is not None else dict(item)
        refused.append(DroppedAction(action=raw, reason=reason))
    return tuple(kept), tuple(refused)


def _with_opened(picture: BrainInput, action: Action) -> BrainInput:
    """The picture with an issue a kept create-issue opens, so that later actions of the same
    decision may name it by its signal (the executor fills its number in)."""
    if not isinstance(action, CreateIssue):
        return picture
    opened = TrackedIssue(number=0, signal=action.signal, title=action.title, state="open")
    return picture.model_copy(update={"issues": (*picture.issues, opened)})


def clamp_hours(hours: float, picture: BrainInput) -> float:
    """A suggested sleep clamped to `wake.min_hours`..`wake.max_hours`."""
    wake = picture.config.wake
    return min(max(hours, wake.min_hours), wake.max_hours)


def enforce(decision: Decision, picture: BrainInput, repo: str = "") -> Decision:
    """Drop every action policy refuses (keeping the reasons) and clamp the next wake.

    Args:
        decision: what a brain proposed.
        picture: the wake's inputs (own issues, signals, config).
        repo: OWNER/NAME, whose links a brain's text may keep.

    Returns:
        The decision with only allowed actions, at most five, each text cleaned (no
        mentions, no outside links, bounded, no secrets), and next_wake_hours clamped to
        the configured range.
    """
    kept, dropped = screen(decision.actions, picture, decision.dropped)
    answer, refused = vet_answer(decision.answer, picture, repo)
    return decision.model_copy(
        update={
            "actions": tuple(_cleaned(action, repo) for action in kept),
            "answer": answer,
            "dropped": (*dropped, *refused),
            "next_wake_hours": clamp_hours(decision.next_wake_hours, picture),
            "summary": clean_title(decision.summary, repo, MAX_SUMMARY),
            "why": clean(decision.why, repo),
        }
    )


# The longest a priority change lasts (a model asking for a year gets a month).
MAX_PRIORITY_HOURS = 720.0
MIN_PRIORITY_HOURS = 1.0


def vet_answer(
    answer: Answer | None, picture: BrainInput, repo: str = ""
) -> tuple[Answer | None, tuple[DroppedAction, ...]]:
    """An answer to the maintainers' messages, as policy allows it.

    Args:
        answer: what a brain answered (an LLM's, possibly steered by hostile text).
        picture: the wake's inputs: its messages, signals and config.
        repo: OWNER/NAME, whose links the reply may keep.

    Returns:
        The answer with its reply cleaned and only changes to known, unskipped signals
        (hours clamped to 1..720), and the refused parts with the reason. A wake without a
        trusted message gets no answer at all: only a maintainer may change priorities.
    """
    if answer is None:
        return None, ()
    if not picture.messages:
        raw = answer.model_dump(mode="json")
        return None, (DroppedAction(action={"type": "answer", **raw}, reason=_NO_MESSAGE),)
    dropped: list[DroppedAction] = []
    priorities = []
    for change in answer.priorities:
        reason = _signal_check(change.signal, picture)
        if reason:
            dropped.append(DroppedAction(action={"type": "priority", **change.model_dump()},
                                         reason=reason))  # fmt: skip
            continue
        hours = min(max(change.hours, MIN_PRIORITY_HOURS), MAX_PRIORITY_HOURS)
        priorities.append(change.model_copy(update={"hours": hours}))
    known = {s.name for s in picture.signals}
    skip = tuple(dict.fromkeys(s for s in answer.skip if s in known))
    dropped += [
        DroppedAction(action={"type": "skip", "signal": s}, reason=f"unknown signal '{s}'")
        for s in answer.skip
        if s not in known
    ]
    reply = clean(answer.reply, repo, MAX_REPLY)
    return Answer(reply=reply, priorities=tuple(priorities), skip=skip), tuple(dropped)


_NO_MESSAGE = "no maintainer wrote to Prime in this wake: only they may change priorities"
MAX_REPLY = 2000


def _cleaned(action: Action, repo: str) -> Action:
    """An allowed action whose free text is safe to post (see `sanitize.clean`)."""
    if isinstance(action, CreateIssue):
        return action.model_copy(update={"title": clean_title(action.title, repo)})
    if isinstance(action, CommentIssue):
        return action.model_copy(update={"body": clean(action.body, repo)})
    if isinstance(action, SubmitJob):
        return action.model_copy(update={"approach": clean(action.approach, repo)})
    if isinstance(action, FlagOrg | CloseIssue | Wait):
        return action.model_copy(update={"reason": clean(action.reason, repo)})
    return action
