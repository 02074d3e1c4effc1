"""The deterministic rules brain: the default with no model, and the LLM brain's fallback."""

from __future__ import annotations

from prime_action.brain.port import BrainInput
from prime_action.domain.models import (
    MAX_ACTIONS,
    SEVERITY_WEIGHT,
    Action,
    CloseIssue,
    CreateIssue,
    Decision,
    Label,
    SignalResult,
    SubmitJob,
    Wait,
)


def _title(signal: SignalResult) -> str:
    detail = signal.detail.rstrip(".") or "needs attention"
    return f"Prime: {signal.name}: {detail}"[:120]


def _closes(picture: BrainInput) -> list[Action]:
    by_name = {s.name: s for s in picture.signals}
    return [
        CloseIssue(issue=issue.number, signal=issue.signal, reason=f"{issue.signal} is ok again")
        for issue in picture.issues
        if issue.state == "open" and getattr(by_name.get(issue.signal), "status", "") == "ok"
    ]


def _escalations(picture: BrainInput) -> list[Action]:
    """A blocked signal needs a person: its issue (opened now if it has none) gets needs-human.

    An issue a person already closed on the same fingerprint is not opened again.
    """
    needs_human = picture.config.labels.needs_human
    signals = {s.name: s for s in picture.signals}
    actions: list[Action] = []
    for name, fingerprint in picture.state.blocked.items():
        issue = picture.open_issue(name)
        if issue is not None:
            if needs_human not in issue.labels:
                actions.append(Label(issue=issue.number, signal=name, add=(needs_human,)))
            continue
        signal = signals.get(name)
        if signal is None or not _worth_an_issue(signal, picture):
            continue
        refused = picture.state.refused.get(name) == fingerprint or any(
            i.signal == name and i.fingerprint == fingerprint and i.said_no()
            for i in picture.issues
        )
        if signal is None or signal.status != "failing" or refused:
            continue
        actions.append(CreateIssue(signal=name, title=_title(signal)))
        actions.append(Label(signal=name, add=(needs_human,)))
    return actions


def _worth_an_issue(signal: SignalResult, picture: BrainInput) -> bool:
    """Whether a blocked signal is severe enough for an issue (a notification) of its own;
    every blocked signal is listed on the dashboard anyway."""
    least = SEVERITY_WEIGHT[picture.config.jobs.escalation_issues]
    return SEVERITY_WEIGHT[signal.severity] >= least


def _work(picture: BrainInput) -> list[list[Action]]:
    groups: list[list[Action]] = []
    # A maintainer's "run now" goes first and past the in-flight limit, like Renovate's
    # dashboard boxes go past its PR limits; so does a critical signal (CI failing on the
    # default branch), which must never wait behind a missing CODEOWNERS.
    # A maintainer who put a critical signal down (conversation, `/prime priority`) wins.
    down = {item.signal for item in picture.plan if item.priority == "down"}
    urgent = {s.name for s in picture.signals if s.severity == "critical"} - down
    first = set(picture.requested) | urgent
    asked = [item for item in picture.plan if item.signal in first]
    others = [item for item in picture.plan if item.signal not in first]
    free = picture.config.jobs.max_in_flight - len(picture.state.in_flight) - len(asked)
    # By default no tracking issue for work that goes straight to a PR: the PR is its record
    # (DESIGN §4); `jobs.tracking_issues: always` asks for one per problem first.
    follow = picture.config.jobs.tracking_issues == "always"
    signals = {s.name: s for s in picture.signals}
    for item in asked + others[: max(free, 0)]:
        group: list[Action] = []
        if follow and picture.open_issue(item.signal) is None:
            group.append(CreateIssue(signal=item.signal, title=_title(signals[item.signal])))
        group.append(SubmitJob(signal=item.signal, runner=item.runner, approach=item.approach))
        groups.append(group)
    return groups


def _next_wake(picture: BrainInput, left_over: int, submitted: int) -> tuple[float, str]:
    wake = picture.config.wake
    if left_over or submitted or picture.state.in_flight:
        return wake.pending_hours, "work pending"
    waiting = set(picture.state.blocked) | set(picture.state.refused)
    failing = {s.name for s in picture.signals if s.fixable}
    if failing and failing <= waiting:
        return wake.blocked_hours, "blocked on a human"
    return wake.idle_hours, "idle"


class RulesBrain:
    """Fix the heaviest failing signals first; close what recovered; escalate what is blocked."""

    def decide(self, picture: BrainInput) -> Decision:
        """Build the decision for one wake (see DESIGN §3 step 4)."""
        if picture.state.status == "paused":
            hours = picture.config.wake.blocked_hours
            return Decision(
                actions=(Wait(reason="paused by a maintainer (/prime resume to continue)"),),
                next_wake_hours=hours,
                summary="Paused: no action taken.",
                why="The repository's Prime is paused.",
            )
        actions = _closes(picture) + _escalations(picture)
        groups = _work(picture)
        taken = 0
        for group in groups:
            if len(actions) + len(group) > MAX_ACTIONS:
                break
            actions.extend(group)
            taken += 1
        submitted = sum(isinstance(a, SubmitJob) for a in actions)
        left_over = len(picture.plan) - taken
        hours, mood = _next_wake(picture, left_over, submitted)
        return Decision(
            actions=tuple(actions[:MAX_ACTIONS]),
            next_wake_hours=hours,
            summary=_summary(actions, left_over, mood),
            why="Rules: close recovered signals, escalate blocked ones, then fix the heaviest "
            "failing signals that are not in flight, blocked, refused or cooling down.",
        )


def _summary(actions: list[Action], left_over: int, mood: str) -> str:
    counts: dict[str, int] = {}
    for action in actions:
        counts[action.type] = counts.get(action.type, 0) + 1
    done = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    rest = f"; {left_over} more planned" if left_over else ""
    if not actions:
        return f"Nothing to do now{rest} ({mood})."
    return f"{done}{rest} ({mood})."
