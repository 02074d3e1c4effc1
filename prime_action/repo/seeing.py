"""A wake's seeing step: what it read, made into the state and the picture the brain decides on."""

from __future__ import annotations

from datetime import datetime

from prime_action.brain.port import BrainInput
from prime_action.config.models import RepoConfig
from prime_action.domain.ci import Rerun
from prime_action.domain.commands import Command
from prime_action.domain.conversation import Message
from prime_action.domain.models import (
    DecisionRecord,
    JobResult,
    MergedPull,
    PrimeState,
    SignalResult,
    WakeReason,
)
from prime_action.domain.ports import StoredState, TrackedIssue
from prime_action.domain.values import Frozen
from prime_action.growth import step as growth
from prime_action.growth.step import GrowthInputs
from prime_action.repo import conversation
from prime_action.repo.dashboard import DashboardMemory, Ticks, recall
from prime_action.repo.hygiene import PrimePull, cool_down, plan_hygiene
from prime_action.repo.memory_update import Prepared, prepare
from prime_action.repo.pr_poll import PullNews
from prime_action.repo.prime_commands import PendingCommand
from prime_action.repo.rebuild import rebuild_state
from prime_action.signals.base import CiStatus
from prime_action.signals.ci_triage import triage, triaged


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


class Seen(Frozen):
    """What the wake made of its inputs: the prepared memory, growth's view, the messages."""

    prepared: Prepared
    adoption: growth.Adoption
    issues: tuple[TrackedIssue, ...]
    held: str
    reruns: tuple[Rerun, ...] = ()
    # The recovered comments that are commands, and the wake's messages to Prime.
    pending: tuple[PendingCommand, ...] = ()
    messages: tuple[Message, ...] = ()


def see_inputs(inputs: WakeInputs) -> Seen:
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
    return Seen(prepared=prepared, adoption=adoption, issues=issues, held=held,
                reruns=verdict.reruns, pending=pending, messages=messages)  # fmt: skip


def picture(inputs: WakeInputs) -> BrainInput:
    """What the brain decides on."""
    return see_inputs(inputs).prepared.picture
