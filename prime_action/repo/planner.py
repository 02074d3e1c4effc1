"""One repository wake as a pure function: everything it read in, a plan of effects out.

The shell reads, asks the brain for a decision on `picture(inputs)`, names the jobs' attempts,
then calls `plan_wake`; the executor carries the plan out. A save that loses the
compare-and-swap race is planned again with `replan`, on the winner's state, keeping what
this wake already wrote.
"""

from __future__ import annotations

from datetime import datetime

from prime_action.brain.port import BrainInput
from prime_action.config.models import RepoConfig
from prime_action.domain.ci import Rerun
from prime_action.domain.commands import Command
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import (
    Decision,
    DecisionRecord,
    Frozen,
    InFlight,
    JobResult,
    MergedPull,
    Message,
    PrimeState,
    SignalResult,
    SubmitJob,
    WakeReason,
)
from prime_action.domain.ports import StoredState, TrackedIssue
from prime_action.growth import step as growth
from prime_action.growth.step import GrowthInputs
from prime_action.repo import conversation
from prime_action.repo.actions import (
    ActionContext,
    ActionPlan,
    plan_actions,
    plan_tickets,
    settle_labels,
)
from prime_action.repo.dashboard import DashboardMemory, Ticks, recall
from prime_action.repo.effects import (
    Adopt,
    Effect,
    Reply,
    RerunFailedJobs,
    SaveState,
    WriteDashboard,
)
from prime_action.repo.hygiene import PrimePull, cool_down, plan_hygiene
from prime_action.repo.memory_update import (
    Prepared,
    changed,
    conclude,
    prepare,
    record_job,
    remember_flags,
)
from prime_action.repo.pr_poll import PullNews, with_poll
from prime_action.repo.prime_commands import PendingCommand
from prime_action.repo.publish import dashboard_view
from prime_action.repo.rebuild import rebuild_state
from prime_action.signals.base import CiStatus
from prime_action.signals.ci_triage import triage, triaged
from prime_action.templating import render


class WakeRequest(Frozen):
    """Why this wake happens, from the event gate (or `local` for `prime wake --local`)."""

    reason: WakeReason
    # `/prime` commands from a trusted comment (the dashboard's boxes are read by the wake).
    commands: tuple[Command, ...] = ()
    issue: int | None = None
    # The signal the event is about (a Prime PR `prime/SIGNAL` closed or merged), and every
    # signal that PR carried (a grouped fileops PR names several).
    signal: str | None = None
    signals: tuple[str, ...] = ()
    # A runner's outcome (`prime-job-result`).
    result: JobResult | None = None
    # The comment that carried the command: the reply goes on `issue`, once per comment.
    comment: int | None = None
    # The PRs the growth gate merged just before this wake (for the growth report).
    merges: tuple[MergedPull, ...] = ()
    # Trusted `/prime` comments whose own run never answered them: applied after `commands`,
    # each answered on its own issue.
    pending: tuple[PendingCommand, ...] = ()
    # What the PR poll saw of Prime's open PRs (None: no poll ran, as in a local wake).
    polled: PullNews | None = None
    # The event's message to Prime (a trusted comment on one of its threads), answered once.
    message: Message | None = None


class WakeInputs(Frozen):
    """Everything one wake read, as values."""

    stored: StoredState
    signals: tuple[SignalResult, ...]
    issues: tuple[TrackedIssue, ...]
    request: WakeRequest
    config: RepoConfig
    now: datetime
    identity: str
    growth: GrowthInputs = GrowthInputs()
    # The dashboard: whether the wake keeps one, where, the boxes it acts on, and the
    # decision log it shows.
    dashboard: bool = False
    repo: str = ""
    handled: Ticks = Ticks()
    # Pause, skips and refusals as the dashboard keeps them (used when the state is lost).
    remembered: DashboardMemory = DashboardMemory()
    decisions: tuple[DecisionRecord, ...] = ()
    # Whether the repository can reach Org Prime (flag-org).
    org_link: bool = False
    # Prime's open PRs (PR hygiene); empty where they are not read (a local wake).
    pulls: tuple[PrimePull, ...] = ()
    # The default branch's CI and its evidence when failing (None: not read, a local wake).
    ci: CiStatus | None = None


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


class _Seen(Frozen):
    prepared: Prepared
    adoption: growth.Adoption
    issues: tuple[TrackedIssue, ...]
    held: str
    reruns: tuple[Rerun, ...] = ()
    # The recovered comments that are commands, and the wake's messages to Prime.
    pending: tuple[PendingCommand, ...] = ()
    messages: tuple[Message, ...] = ()


def _see(inputs: WakeInputs) -> _Seen:
    """Growth's adoption and refinement, state bookkeeping and commands: the brain's picture."""
    config, state, now = inputs.config, inputs.stored.state, inputs.now
    adoption = growth.adoption(inputs.growth, config)
    issues = growth.with_adopted(inputs.issues, adoption)
    held = growth.hold(inputs.growth, state, now)
    signals = growth.refine(
        inputs.signals,
        issues,
        seed=inputs.growth.seed,
        humans=adoption.humans,
        needs_human=config.labels.needs_human,
        reason=held,
    )
    if state is None:
        # No state (first wake, or the branch was lost): what the issues remember survives.
        state = rebuild_state(issues, signals, config.labels, now) if issues else PrimeState()
        state = recall(state, inputs.remembered)
    elif state.rebuilt:
        # The dashboard said "rebuilt" for one wake; that was the last one.
        state = state.model_copy(update={"rebuilt": False})
    # CI triage before the brain sees the ci signal: a re-run first, else the evidence.
    verdict = triage(inputs.ci, state.ci, now)
    signals = tuple(triaged(s, verdict, inputs.ci) if s.name == "ci" else s for s in signals)
    state = state.model_copy(update={"ci": verdict.memory})
    # A stale PR this wake closes cools its signals down before the brain sees them: no job
    # for the same fix in the same wake.
    days = config.prs.close_idle_days
    stale = plan_hygiene(inputs.pulls, idle_days=days, now=now)
    state = cool_down(state, stale, days=days, now=now)
    state = conversation.expire(state, now)
    request = inputs.request
    dashboard = () if state.dashboard_issue is None else (state.dashboard_issue,)
    threads = frozenset((*(i.number for i in issues), *dashboard))
    pending, messages = conversation.split_pending(request.pending, threads)
    messages = (*([request.message] if request.message else []), *messages)
    prepared = prepare(
        state,
        reason=request.reason,
        signals=signals,
        issues=issues,
        config=config,
        now=now,
        commands=(*request.commands, *((p.command, p.args) for p in pending)),
        signal=request.signal,
        signals_closed=request.signals,
        result=request.result,
        closed_now=request.issue if request.reason == "issue-closed" else None,
    )
    picture = prepared.picture.model_copy(update={"messages": messages})
    prepared = prepared.model_copy(update={"picture": picture})
    return _Seen(prepared=prepared, adoption=adoption, issues=issues, held=held,
                 reruns=verdict.reruns, pending=pending, messages=messages)  # fmt: skip


def _blocked_reasons(result: JobResult | None) -> dict[str, str]:
    """The reason a runner gave up, for the needs-human issue this wake may open."""
    if result is None or result.status != "blocked":
        return {}
    return {result.signal: result.reason}


def picture(inputs: WakeInputs) -> BrainInput:
    """What the brain decides on."""
    return _see(inputs).prepared.picture


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
    seen = _see(inputs)
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
    seen = _see(inputs)
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


def _adoptions(inputs: WakeInputs, seen: _Seen) -> tuple[Effect, ...]:
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


def _reruns(seen: _Seen) -> tuple[Effect, ...]:
    """CI triage's re-runs, before any job is planned (each run once: the memory says so)."""
    return tuple(RerunFailedJobs(run_id=r.run_id, checks=r.checks, why=r.kind) for r in seen.reruns)


def _conclude(
    inputs: WakeInputs, seen: _Seen, plan: WakePlan, tracked: tuple[TrackedIssue, ...]
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


def _heeded(seen: _Seen, state: PrimeState, decision: Decision, now: datetime) -> Prepared:
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


def _pending_replies(seen: _Seen, plan: WakePlan, state: PrimeState) -> tuple[Reply, ...]:
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
