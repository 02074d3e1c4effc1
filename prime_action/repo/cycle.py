"""The wake cycle over ports: a gated request in, the decision carried out, state written CAS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from prime_action.brain.policy import enforce
from prime_action.brain.port import Brain
from prime_action.config.models import RepoConfig
from prime_action.domain.errors import ConflictError, StoreError
from prime_action.domain.models import (
    Decision,
    DecisionRecord,
    Frozen,
    PrimeState,
    SignalResult,
    WakeReason,
)
from prime_action.domain.ports import IssueStore, JobQueue, StateStore, StoredState
from prime_action.repo.act import Actor
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
    command: str | None = None
    args: tuple[str, ...] = ()
    issue: int | None = None


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
    actor = Actor(ports.issues, ports.jobs, config, {s.name: s for s in signals}, [], now)
    decision: Decision | None = None
    for _ in range(MAX_WRITE_ATTEMPTS):
        prepared = _prepare(
            ports, request, state=stored.state, signals=signals, config=config, now=now
        )
        if decision is None:
            decision = enforce(ports.brain.decide(prepared.picture), prepared.picture)
            actor.tracked = list(prepared.picture.issues)
            state = actor.run(decision.actions, prepared.state)
        else:
            state = _replay(prepared.state, actor)
        prepared = prepared.model_copy(update={"state": state})
        after = conclude(stored.state, prepared, decision, identity, now)
        try:
            wrote = _save(
                ports.state,
                stored,
                after,
                DecisionRecord(at=now, reason=request.reason, decision=decision),
            )
        except ConflictError:
            stored = ports.state.load()
            continue
        return WakeReport(
            reason=request.reason,
            state=after,
            signals=signals,
            decision=decision,
            executed=tuple(actor.done),
            wrote_state=wrote,
            command_reply=prepared.command.reply if prepared.command else None,
        )
    msg = f"state changed under this wake {MAX_WRITE_ATTEMPTS} times in a row; giving up"
    raise StoreError(msg)


def _prepare(
    ports: WakePorts,
    request: WakeRequest,
    *,
    state: PrimeState | None,
    signals: tuple[SignalResult, ...],
    config: RepoConfig,
    now: datetime,
) -> Prepared:
    return prepare(
        state or PrimeState(),
        reason=request.reason,
        signals=signals,
        issues=tuple(ports.issues.tracking_issues()),
        config=config,
        now=now,
        command=(request.command, request.args) if request.command else None,
    )


def _replay(state: PrimeState, actor: Actor) -> PrimeState:
    """After a lost race, re-apply this wake's job records on top of the winner's state."""
    for job in actor.submitted:
        state = record_job(state, job)
    return state


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
