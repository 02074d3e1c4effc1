"""One repository wake as a pure function: everything it read in, a plan of effects out.

The shell reads, asks the brain for a decision on `seeing.picture(inputs)`, names the jobs'
attempts, then calls `plan_wake`; the executor carries the plan out. A save that loses the
compare-and-swap race is planned again with `replan`, on the winner's state, keeping what
this wake already wrote.
"""

from __future__ import annotations

from datetime import datetime

from prime_action.brain.port import BrainInput
from prime_action.domain.commands import Command
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import (
    Decision,
    DecisionRecord,
    InFlight,
    JobResult,
    PrimeState,
    SignalResult,
    SubmitJob,
)
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen
from prime_action.growth import step as growth
from prime_action.repo import conversation
from prime_action.repo.actions import (
    ActionContext,
    ActionPlan,
    plan_actions,
    plan_tickets,
    settle_labels,
)
from prime_action.repo.effects import (
    Adopt,
    Effect,
    Reply,
    RerunFailedJobs,
    SaveState,
    WriteDashboard,
)
from prime_action.repo.hygiene import plan_hygiene
from prime_action.repo.memory_update import (
    Prepared,
    changed,
    conclude,
    record_job,
    remember_flags,
)
from prime_action.repo.pr_poll import with_poll
from prime_action.repo.publish import dashboard_view
from prime_action.repo.seeing import Seen, WakeInputs, see_inputs
from prime_action.templating import render


class WakePlan(Frozen):
    """What a wake will do: its effects in order, and the memory it will leave."""

    effects: tuple[Effect, ...]
    # The state to save (the dashboard's number is settled by the executor's outcome).
    state: PrimeState
    decision: Decision
    signals: tuple[SignalResult, ...]
    # What this wake did that a re-plan must keep (the writes are not made again).
    submitted: tuple[InFlight, ...] = ()
    flagged: tuple[str, ...] = ()
    tickets_opened: int = 0
    notes: tuple[str, ...] = ()
    command_reply: str | None = None


def _blocked_reasons(result: JobResult | None) -> dict[str, str]:
    """The reason a runner gave up, for the needs-human issue this wake may open."""
    if result is None or result.status != "blocked":
        return {}
    return {result.signal: result.reason}


def jobs_to_name(decision: Decision, picture: BrainInput) -> tuple[tuple[str, str], ...]:
    """(signal, fingerprint) of each job the decision submits: the queue names their attempts."""
    fingerprints = {s.name: s.fingerprint for s in picture.signals}
    return tuple(
        (a.signal, fingerprints[a.signal]) for a in decision.actions if isinstance(a, SubmitJob)
    )


def plan_wake(inputs: WakeInputs, decision: Decision, attempts: dict[str, str]) -> WakePlan:
    """Plan one wake: adoptions, the decision's writes, labels, growth tickets, then memory.

    Args:
        inputs: everything the wake read.
        decision: the brain's decision, enforced by policy.
        attempts: signal -> attempt id of each job the decision submits.

    Returns:
        The plan; a hibernating wake never gets here (it reads once and plans nothing).
    """
    seen = see_inputs(inputs)
    config, prepared = inputs.config, seen.prepared
    signals = prepared.picture.signals
    context = ActionContext(
        signals={s.name: s for s in signals},
        config=config,
        now=inputs.now,
        attempts=attempts,
        org_link=inputs.org_link,
        blocked_reasons=_blocked_reasons(inputs.request.result),
    )
    effects = (*_adoptions(inputs, seen), *_reruns(seen))
    acts = ActionPlan(effects=effects, state=prepared.state, tracked=seen.issues)
    acts = plan_actions(decision.actions, acts, context)
    acts = settle_labels(acts, config.labels.in_progress)
    tickets = growth.tickets(
        inputs.growth.seed, prepared.state, signals, acts.tracked, config.labels.automated
    )
    acts = plan_tickets(acts, tickets)
    hygiene = plan_hygiene(inputs.pulls, idle_days=config.prs.close_idle_days, now=inputs.now)
    plan = WakePlan(
        effects=(*acts.effects, *hygiene),
        state=acts.state,
        decision=decision,
        signals=signals,
        submitted=acts.submitted,
        flagged=acts.flagged,
        tickets_opened=len(tickets),
        notes=acts.notes,
        command_reply=prepared.command.reply if prepared.command else None,
    )
    return _conclude(inputs, seen, plan, acts.tracked)


def replan(inputs: WakeInputs, first: WakePlan, opened_now: dict[str, int]) -> WakePlan:
    """After a lost race: the winner's state with this wake's jobs and flags, nothing re-sent.

    Args:
        inputs: what the wake read, with the winner's state and the issues listed again.
        first: the plan whose writes were made before its save lost.
        opened_now: signal -> number of the issues that plan opened.

    Returns:
        A plan whose only effects are the dashboard, the save and the reply.
    """
    seen = see_inputs(inputs)
    state = seen.prepared.state
    for job in first.submitted:
        state = record_job(state, job)
    state = remember_flags(state, first.flagged)
    known = {i.number for i in seen.issues}
    tracked = (
        *seen.issues,
        *(
            TrackedIssue(number=n, signal=s, title=s, state="open")
            for s, n in opened_now.items()
            if n not in known
        ),
    )
    plan = first.model_copy(
        update={"effects": (), "state": state, "signals": seen.prepared.picture.signals}
    )
    return _conclude(inputs, seen, plan, tracked)


def _adoptions(inputs: WakeInputs, seen: Seen) -> tuple[Effect, ...]:
    """The people's task tickets this wake makes Prime's (written before anything else)."""
    seed, automated = inputs.growth.seed, inputs.config.labels.automated
    label = seed.automation_contract.task_label if seed else ""
    return tuple(
        Adopt(
            number=c.number,
            title=c.title,
            label=label,
            body=c.body,
            labels=tuple(dict.fromkeys((*c.labels, automated))),
        )
        for c in seen.adoption.adopt
    )


def _reruns(seen: Seen) -> tuple[Effect, ...]:
    """CI triage's re-runs, before any job is planned (each run once: the memory says so)."""
    return tuple(RerunFailedJobs(run_id=r.run_id, checks=r.checks, why=r.kind) for r in seen.reruns)


def _conclude(
    inputs: WakeInputs, seen: Seen, plan: WakePlan, tracked: tuple[TrackedIssue, ...]
) -> WakePlan:
    """Fold the decision into memory; add the dashboard, the save and the reply."""
    before = inputs.stored.state
    state = growth.record(
        plan.state,
        inputs.growth,
        inputs.now,
        opened=plan.tickets_opened,
        seen=seen.issues,
        reason=seen.held,
        tracked=tracked,
        pulls={s: p.number for p in inputs.pulls for s in p.signals},
    )
    prepared = _heeded(seen, state, plan.decision, inputs.now)
    after = conclude(before, prepared, plan.decision, inputs.identity, inputs.now)
    after = with_poll(after, inputs.request.polled, inputs.config, inputs.now)
    record = DecisionRecord(at=inputs.now, reason=inputs.request.reason, decision=plan.decision)
    effects = list(plan.effects)
    if inputs.dashboard:
        will_write = before is None or changed(before, after)
        view = dashboard_view(
            inputs.repo,
            after,
            signals=prepared.picture.signals,
            issues=tracked,
            config=inputs.config,
            now=inputs.now,
            decisions=(*inputs.decisions, *([record] if will_write else [])),
        )
        effects.append(WriteDashboard(view=view, handled=inputs.handled))
    effects.append(
        SaveState(state=after, record=record, expected=inputs.stored.version, before=before)
    )
    reply = (*_reply(inputs, plan, after), *_pending_replies(seen, plan, after))
    model = inputs.config.brain.model is not None
    paused = after.status == "paused"
    talk = conversation.replies(
        seen.messages, plan.decision, model=model, now=inputs.now, paused=paused
    )
    return plan.model_copy(update={"effects": (*effects, *reply, *talk), "state": after})


def _heeded(seen: Seen, state: PrimeState, decision: Decision, now: datetime) -> Prepared:
    """The prepared memory with the decision's answer to the messages: priorities, skips."""
    answer = decision.answer if seen.messages else None
    state = conversation.heed(state, answer, conversation.authors(seen.messages), now)
    picture = seen.prepared.picture
    plan = conversation.heed_plan(picture.plan, state, now) if answer else picture.plan
    picture = picture.model_copy(update={"plan": plan})
    return seen.prepared.model_copy(update={"state": state, "picture": picture})


def _reply(inputs: WakeInputs, plan: WakePlan, state: PrimeState) -> tuple[Reply, ...]:
    """Answer a `/prime` command from a comment (the marker carries the comment's id)."""
    request = inputs.request
    if plan.command_reply is None or request.issue is None or request.comment is None:
        return ()
    args = request.commands[0][1] if request.commands else ()
    return (_answer(request.issue, request.comment, (plan.command_reply, args), plan, state),)


def _pending_replies(seen: Seen, plan: WakePlan, state: PrimeState) -> tuple[Reply, ...]:
    """Answer each recovered command once, on its own issue (their outcomes come last)."""
    pending = seen.pending
    outcomes = seen.prepared.outcomes[len(seen.prepared.outcomes) - len(pending) :]
    return tuple(
        _answer(p.issue, p.comment, (o.reply, p.args), plan, state)
        for p, o in zip(pending, outcomes, strict=True)
    )


def _answer(issue: int, comment: int, outcome: Command, plan: WakePlan, state: PrimeState) -> Reply:
    """The reply to one command comment: (reply key, the command's words) and the wake's news."""
    reply, args = outcome
    marker = comment_marker(f"reply-{comment}")
    body = render(
        "comments/command-reply.md.j2",
        marker=marker,
        reply=reply,
        signal=(args or ("",))[0],
        summary=plan.decision.summary,
        status=state.status,
        failing=sum(s.status == "failing" for s in plan.signals),
        in_flight=len(state.in_flight),
        signals=[s.name for s in plan.signals],
        priority=state.priorities.get((args or ("",))[0]),
    )
    return Reply(issue=issue, body=body, marker=marker)
