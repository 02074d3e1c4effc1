"""A validated decision's actions turned into effects, their bodies rendered as they will be sent.

An issue opened in the same wake has no number yet: it is tracked with number 0 and later
effects name it by its signal (the executor fills the number in).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import Field

from prime_action.config.models import RepoConfig
from prime_action.domain.markers import comment_marker, data_marker, signal_marker
from prime_action.domain.models import (
    Action,
    CloseIssue,
    CommentIssue,
    CreateIssue,
    FlagOrg,
    InFlight,
    Label,
    PrimeState,
    SignalResult,
    SubmitJob,
)
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen
from prime_action.growth.architect import Ticket
from prime_action.repo.effects import (
    OPENED_NOW,
    Close,
    Comment,
    Effect,
    Flag,
    IssueRef,
    OpenIssue,
    SetLabels,
    Submit,
)
from prime_action.repo.memory_update import record_job, remember_flags
from prime_action.templating import render


class ActionContext(Frozen):
    """What turning actions into effects needs besides the actions."""

    signals: dict[str, SignalResult]
    config: RepoConfig
    now: datetime
    # signal -> the attempt id its job gets (named by the job queue before planning).
    attempts: dict[str, str] = Field(default_factory=dict)
    # Whether this repository can reach Org Prime (jobs.org_repo and an org token).
    org_link: bool = False
    # signal -> why its job was blocked (the runner's last reason), for a needs-human issue.
    blocked_reasons: dict[str, str] = Field(default_factory=dict)


class ActionPlan(Frozen):
    """The effects of the actions, and what they change in the wake's picture."""

    effects: tuple[Effect, ...] = ()
    state: PrimeState
    tracked: tuple[TrackedIssue, ...] = ()
    submitted: tuple[InFlight, ...] = ()
    flagged: tuple[str, ...] = ()
    # What the report says about an action that makes no write.
    notes: tuple[str, ...] = ()


def plan_actions(
    actions: tuple[Action, ...],
    plan: ActionPlan,
    context: ActionContext,
) -> ActionPlan:
    """Fold each action, in order, into the plan.

    Args:
        actions: the validated decision's actions.
        plan: the plan so far (the prepared state and the tracked issues).
        context: signals, config, clock value, attempt ids, the org link.

    Returns:
        The plan with the actions' effects appended and its state and issues updated.
    """
    for action in actions:
        if isinstance(action, CreateIssue):
            plan = _create(action, plan, context)
        elif isinstance(action, SubmitJob):
            plan = _submit(action, plan, context)
        elif isinstance(action, CloseIssue):
            plan = _close(action, plan, context)
        elif isinstance(action, CommentIssue):
            plan = _comment(action, plan)
        elif isinstance(action, Label):
            plan = _label(action, plan)
        elif isinstance(action, FlagOrg):
            plan = _flag(action, plan, context)
    return plan


def opened(plan: ActionPlan, issue: TrackedIssue, *effects: Effect) -> ActionPlan:
    """The plan with an issue this wake opens (or reopens) tracked, so later actions find it."""
    kept = tuple(i for i in plan.tracked if i.signal != issue.signal)
    return plan.model_copy(update={"tracked": (*kept, issue), "effects": (*plan.effects, *effects)})


def _add(plan: ActionPlan, *effects: Effect, **update: object) -> ActionPlan:
    return plan.model_copy(update={"effects": (*plan.effects, *effects), **update})


def _target(plan: ActionPlan, issue: int | None, signal: str | None) -> IssueRef | None:
    """How an effect names its issue: a number, or the signal of one opened now; None: none."""
    if issue is not None:
        return IssueRef(issue=issue)
    found = [i for i in plan.tracked if i.signal == signal and i.state == "open"]
    if not found:
        return None
    number = found[0].number
    return IssueRef(signal=signal) if number == OPENED_NOW else IssueRef(issue=number)


def _create(action: CreateIssue, plan: ActionPlan, context: ActionContext) -> ActionPlan:
    signal = context.signals[action.signal]
    body = render(
        "issues/tracking.md.j2",
        marker=signal_marker(signal.name),
        data=data_marker({"signal": signal.name, "fingerprint": signal.fingerprint}),
        signal=signal,
        blocked=signal.name in plan.state.blocked,
        reason=context.blocked_reasons.get(signal.name, ""),
    )
    labels = (context.config.labels.automated,)
    effect = OpenIssue(signal=signal.name, title=action.title, body=body, labels=labels)
    issue = TrackedIssue(
        number=OPENED_NOW,
        signal=signal.name,
        title=action.title,
        state="open",
        fingerprint=signal.fingerprint,
    )
    return opened(plan, issue, effect)


def _submit(action: SubmitJob, plan: ActionPlan, context: ActionContext) -> ActionPlan:
    fingerprint = context.signals[action.signal].fingerprint
    attempt = context.attempts[action.signal]
    effects: list[Effect] = [
        Submit(
            signal=action.signal,
            runner=action.runner,
            approach=action.approach,
            fingerprint=fingerprint,
            attempt=attempt,
        )
    ]
    # A submitted job is no news for anyone (the dashboard lists it, the PR will notify):
    # an issue that exists only gets a label, which notifies nobody.
    target = _target(plan, None, action.signal)
    if target is not None:
        in_progress = (context.config.labels.in_progress,)
        effects.append(SetLabels(**target.model_dump(), add=in_progress))
    job = InFlight(
        signal=action.signal,
        runner=action.runner,
        attempt_id=attempt,
        fingerprint=fingerprint,
        submitted_at=context.now,
    )
    return _add(plan, *effects, state=record_job(plan.state, job), submitted=(*plan.submitted, job))


def _close(action: CloseIssue, plan: ActionPlan, context: ActionContext) -> ActionPlan:
    target = _target(plan, action.issue, action.signal)
    if target is None:
        return plan
    # The close is recorded in the issue's description, not in a comment: an edit notifies
    # nobody, and the close itself already tells whoever follows the issue.
    note = render(
        "issues/closed-note.md.j2",
        signal=action.signal or "",
        reason=action.reason,
        at=f"{context.now:%Y-%m-%d %H:%M} UTC",
    )
    # A closed issue saying "in-progress" would be a lie (a job may have ended unreported).
    labels = SetLabels(**target.model_dump(), remove=(context.config.labels.in_progress,))
    close = Close(**target.model_dump(), note=note, reason=action.reason)
    return _add(plan, labels, close)


def _comment(action: CommentIssue, plan: ActionPlan) -> ActionPlan:
    target = _target(plan, action.issue, action.signal)
    if target is None:
        return plan
    key = hashlib.sha256(action.body.encode()).hexdigest()[:12]
    marker = comment_marker(f"note-{key}")
    body = f"{marker}\n{action.body}"
    return _add(plan, Comment(**target.model_dump(), body=body, marker=marker, reported=True))


def _label(action: Label, plan: ActionPlan) -> ActionPlan:
    target = _target(plan, action.issue, action.signal)
    if target is None:
        return plan
    labels = SetLabels(**target.model_dump(), add=action.add, remove=action.remove, reported=True)
    return _add(plan, labels)


def _flag(action: FlagOrg, plan: ActionPlan, context: ActionContext) -> ActionPlan:
    """Ask Org Prime for help, once per (signal, reason)."""
    if not context.org_link:
        note = f"flag-org not sent (no jobs.org_repo, or no org-token): {action.reason}"
        return plan.model_copy(update={"notes": (*plan.notes, note)})
    key = hashlib.sha256(f"{action.signal or ''}\n{action.reason}".encode()).hexdigest()[:12]
    if key in plan.state.flagged:
        return plan
    return _add(
        plan,
        Flag(signal=action.signal, reason=action.reason),
        state=remember_flags(plan.state, (key,)),
        flagged=(*plan.flagged, key),
    )


def plan_tickets(plan: ActionPlan, tickets: tuple[Ticket, ...]) -> ActionPlan:
    """Open growth's next tickets, after everything else this wake writes to issues."""
    for ticket in tickets:
        effect = OpenIssue(signal=ticket.key, title=ticket.title, body=ticket.body,
                           labels=ticket.labels, ticket=True)  # fmt: skip
        issue = TrackedIssue(number=OPENED_NOW, signal=ticket.key, title=ticket.title,
                             state="open", labels=ticket.labels)  # fmt: skip
        plan = opened(plan, issue, effect)
    return plan


def settle_labels(plan: ActionPlan, in_progress: str) -> ActionPlan:
    """Take `in-progress` off open issues whose signal has no job in flight any more.

    The label follows the memory: a job can end without a report that reaches its issue
    (a PR closed unmerged, an expired job, or an organisation's run of a job this
    repository also submitted), and only the repository's Prime knows it ended.
    """
    flying = {job.signal for job in plan.state.in_flight}
    return _add(
        plan,
        *(
            SetLabels(issue=i.number, remove=(in_progress,))
            for i in plan.tracked
            if i.state == "open"
            and i.signal not in flying
            and in_progress in i.labels
            and i.number != OPENED_NOW
        ),
    )
