"""The wake cycle over ports: a gated request in, the decision carried out, state written CAS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from prime_action.brain.policy import enforce
from prime_action.brain.port import Brain
from prime_action.config.models import RepoConfig
from prime_action.domain.commands import Command
from prime_action.domain.errors import ConflictError, StoreError
from prime_action.domain.models import (
    Decision,
    DecisionRecord,
    Frozen,
    JobResult,
    PrimeState,
    SignalResult,
    WakeReason,
)
from prime_action.domain.ports import (
    DashboardStore,
    IssueStore,
    JobQueue,
    OrgLink,
    StateStore,
    StoredState,
    TrackedIssue,
)
from prime_action.growth.step import GrowthStep
from prime_action.repo.act import Actor, remember_flags
from prime_action.repo.dashboard import DashboardView, Ticks
from prime_action.repo.publish import dashboard_view, publish, read_ticks
from prime_action.repo.rebuild import rebuild_state
from prime_action.repo.think import (
    Prepared,
    changed,
    conclude,
    hibernating,
    prepare,
    record_job,
)

MAX_WRITE_ATTEMPTS = 4


class WakeRequest(Frozen):
    """Why this wake happens, from the event gate (or `local` for `prime wake --local`)."""

    reason: WakeReason
    # `/prime` commands from a trusted comment (the dashboard's boxes are read by the wake).
    commands: tuple[Command, ...] = ()
    issue: int | None = None
    # The signal the event is about (a Prime PR `prime/SIGNAL` closed or merged).
    signal: str | None = None
    # A runner's outcome (`prime-job-result`).
    result: JobResult | None = None


class WakeReport(Frozen):
    """What a wake saw, decided and did; rendered as the CLI report and job summary."""

    hibernated: bool = False
    reason: WakeReason
    state: PrimeState | None = None
    signals: tuple[SignalResult, ...] = ()
    decision: Decision | None = None
    executed: tuple[str, ...] = ()
    command_reply: str | None = None
    wrote_state: bool = False


@dataclass
class WakePorts:
    """Everything a wake reads and writes through."""

    state: StateStore
    issues: IssueStore
    jobs: JobQueue
    brain: Brain
    # Eyes: build the repository snapshot (signals are computed from it).
    look: Callable[[RepoConfig, datetime], tuple[SignalResult, ...]]
    # Identity hash of CLAUDE.md / AGENTS.md / the config.
    identity: Callable[[], str]
    # The dashboard issue; None for a wake without one.
    dashboard: DashboardStore | None = None
    # OWNER/NAME (or the checkout's path), as the dashboard names the repository.
    repo: str = ""
    # The way to Org Prime (flag-org); None without an org repository.
    org: OrgLink | None = None
    # Growth mode's architect (seed.yaml): refines the growth signal, writes ai-task tickets.
    growth: GrowthStep | None = None


def wake(ports: WakePorts, request: WakeRequest, config: RepoConfig, now: datetime) -> WakeReport:
    """Run one wake: gate-checked request in, report out (DESIGN §3).

    Args:
        ports: the stores, queue, brain and eyes to use.
        request: the wake reason and any `/prime` command.
        config: the repository config.
        now: the current moment (injected).

    Returns:
        The report of the wake; a hibernating tick reads once and writes nothing.
    """
    stored = ports.state.load()
    if hibernating(stored.state, request.reason, now):
        return WakeReport(hibernated=True, reason=request.reason, state=stored.state)
    signals = ports.look(config, now)
    identity = ports.identity()
    handled, request = _with_ticks(ports, stored, request)
    actor = Actor(
        ports.issues, ports.jobs, config, {s.name: s for s in signals}, [], now, org=ports.org
    )
    decision: Decision | None = None
    for _ in range(MAX_WRITE_ATTEMPTS):
        prepared = _prepare(
            ports, request, state=stored.state, signals=signals, config=config, now=now
        )
        if decision is None:
            decision = enforce(ports.brain.decide(prepared.picture), prepared.picture)
            actor.tracked = list(prepared.picture.issues)
            # The refined signals: growth adds one per open ai-task ticket.
            actor.signals = {s.name: s for s in prepared.picture.signals}
            state = actor.run(decision.actions, prepared.state)
            actor.settle_labels(state)
            if ports.growth is not None:
                ports.growth.write(actor, prepared.state, prepared.picture.signals)
        else:
            state = _replay(prepared.state, actor)
        if ports.growth is not None:  # this wake in growth mode's report (on the winner's too)
            state = ports.growth.record(state, now)
        prepared = prepared.model_copy(update={"state": state})
        after = conclude(stored.state, prepared, decision, identity, now)
        record = DecisionRecord(at=now, reason=request.reason, decision=decision)
        if ports.dashboard is not None:
            view = _view(
                ports, stored, after, record=record, prepared=prepared, issues=tuple(actor.tracked)
            )
            number = publish(ports.dashboard, view, handled)
            after = after.model_copy(update={"dashboard_issue": number})
        try:
            wrote = _save(ports.state, stored, after, record)
        except ConflictError:
            stored = ports.state.load()
            continue
        return WakeReport(
            reason=request.reason,
            state=after,
            signals=prepared.picture.signals,
            decision=decision,
            executed=tuple(actor.done),
            wrote_state=wrote,
            command_reply=prepared.command.reply if prepared.command else None,
        )
    msg = f"state changed under this wake {MAX_WRITE_ATTEMPTS} times in a row; giving up"
    raise StoreError(msg)


def _with_ticks(
    ports: WakePorts, stored: StoredState, request: WakeRequest
) -> tuple[Ticks, WakeRequest]:
    """The dashboard boxes this wake acts on, added to the request as commands."""
    if ports.dashboard is None:
        return Ticks(), request
    number = stored.state.dashboard_issue if stored.state else None
    handled, ticked = read_ticks(ports.dashboard, request.reason, number)
    return handled, request.model_copy(update={"commands": (*request.commands, *ticked)})


def _view(
    ports: WakePorts,
    stored: StoredState,
    after: PrimeState,
    *,
    record: DecisionRecord,
    prepared: Prepared,
    issues: tuple[TrackedIssue, ...],
) -> DashboardView:
    """The dashboard for the state about to be saved (with this decision if it is saved)."""
    will_write = stored.state is None or changed(stored.state, after)
    picture = prepared.picture
    return dashboard_view(
        ports.repo,
        after,
        signals=picture.signals,
        issues=issues,
        decisions=(*ports.state.decisions(), *([record] if will_write else [])),
        config=picture.config,
        now=picture.now,
    )


def _prepare(
    ports: WakePorts,
    request: WakeRequest,
    *,
    state: PrimeState | None,
    signals: tuple[SignalResult, ...],
    config: RepoConfig,
    now: datetime,
) -> Prepared:
    issues = tuple(ports.issues.tracking_issues())
    if ports.growth is not None:
        # Human ai-task tickets adopted now are tracked issues from this wake on.
        issues = ports.growth.with_humans(issues)
        ports.growth.begin(state, now)
        signals = ports.growth.refine(signals, issues)
    if state is None:
        # No state (first wake, or the branch was lost): what the issues remember survives.
        state = rebuild_state(issues, signals, config.labels, now) if issues else PrimeState()
    elif state.rebuilt:
        # The dashboard said "rebuilt" for one wake; that was the last one.
        state = state.model_copy(update={"rebuilt": False})
    return prepare(
        state,
        reason=request.reason,
        signals=signals,
        issues=issues,
        config=config,
        now=now,
        commands=request.commands,
        signal=request.signal,
        result=request.result,
    )


def _replay(state: PrimeState, actor: Actor) -> PrimeState:
    """After a lost race, re-apply this wake's job records on top of the winner's state."""
    for job in actor.submitted:
        state = record_job(state, job)
    return remember_flags(state, tuple(actor.flagged))


def _save(
    store: StateStore,
    stored: StoredState,
    after: PrimeState,
    record: DecisionRecord,
) -> bool:
    """Write unless nothing changed; raise ConflictError when another writer got there first."""
    if stored.state is not None and not changed(stored.state, after):
        return False
    store.save(after, record, stored.version)
    return True
