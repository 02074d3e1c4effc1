"""Policy disposes: every proposed action is checked against an allow-list before any write."""

from __future__ import annotations

from prime_action.brain.port import BrainInput
from prime_action.domain.models import (
    MAX_ACTIONS,
    Action,
    CloseIssue,
    CommentIssue,
    CreateIssue,
    Decision,
    DroppedAction,
    Label,
    SubmitJob,
)


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


def _specific_check(action: Action, picture: BrainInput) -> str:
    if isinstance(action, SubmitJob):
        if action.runner not in picture.config.jobs.runners:
            return f"runner '{action.runner}' is not allowed by jobs.runners"
        if action.signal not in {p.signal for p in picture.plan}:
            return f"signal '{action.signal}' is not in the plan (in flight, blocked or ok)"
    if isinstance(action, CreateIssue) and picture.open_issue(action.signal) is not None:
        return f"signal '{action.signal}' already has an open tracking issue"
    if isinstance(action, Label):
        unknown = sorted(set(action.add) - set(picture.config.labels.all()))
        if unknown:
            return f"label(s) {', '.join(unknown)} not in the allowed set"
    if isinstance(action, CommentIssue | CloseIssue | Label):
        return _issue_check(action, picture)
    return ""


def check_action(action: Action, picture: BrainInput) -> str:
    """Why policy refuses an action ("" when it is allowed)."""
    return _signal_check(getattr(action, "signal", None), picture) or _specific_check(
        action, picture
    )


def enforce(decision: Decision, picture: BrainInput) -> Decision:
    """Drop every action policy refuses (keeping the reasons) and clamp the next wake.

    Args:
        decision: what a brain proposed.
        picture: the wake's inputs (own issues, signals, config).

    Returns:
        The decision with only allowed actions, at most five, and next_wake_hours clamped
        to the configured range.
    """
    kept: list[Action] = []
    dropped = list(decision.dropped)
    for action in decision.actions:
        reason = check_action(action, picture)
        if not reason and len(kept) >= MAX_ACTIONS:
            reason = f"more than {MAX_ACTIONS} actions in one wake"
        if reason:
            dropped.append(DroppedAction(action=action.model_dump(mode="json"), reason=reason))
        else:
            kept.append(action)
    wake = picture.config.wake
    hours = min(max(decision.next_wake_hours, wake.min_hours), wake.max_hours)
    return decision.model_copy(
        update={"actions": tuple(kept), "dropped": tuple(dropped), "next_wake_hours": hours}
    )
