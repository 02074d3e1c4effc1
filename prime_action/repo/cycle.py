"""The wake's shell: read through the ports, ask the brain, plan, then let the executor write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from prime_action.brain.policy import enforce
from prime_action.brain.port import Brain
from prime_action.config.models import RepoConfig
from prime_action.domain.errors import ConfigError, StoreError
from prime_action.domain.models import Decision, PrimeState, SignalResult, WakeReason
from prime_action.domain.ports import (
    DashboardStore,
    IssueStore,
    JobQueue,
    OrgLink,
    StateStore,
    StoredState,
)
from prime_action.domain.values import Frozen
from prime_action.eyes import run_signals
from prime_action.growth.adopt import Candidate
from prime_action.growth.seed import SEED_PATH, Seed, parse_seed
from prime_action.growth.step import GrowthInputs
from prime_action.repo.effects import Outcome, dry_run_lines, settled_state
from prime_action.repo.execute import CiRerun, TicketWriter, Writers, execute
from prime_action.repo.hygiene import PullKeeper
from prime_action.repo.memory_update import hibernating
from prime_action.repo.planner import WakePlan, jobs_to_name, plan_wake, replan
from prime_action.repo.publish import Vouch, read_ticks
from prime_action.repo.seeing import WakeInputs, WakeRequest, picture
from prime_action.signals.base import CiStatus, RepoSnapshot

__all__ = ["Sight", "WakePorts", "WakeReport", "WakeRequest", "see", "wake"]

MAX_WRITE_ATTEMPTS = 4


class Sight(Frozen):
    """What the eyes saw: the signals, and seed.yaml parsed once (growth mode)."""

    signals: tuple[SignalResult, ...]
    seed: Seed | None = None
    # The default branch's CI with what CI eyes read when it fails (None: not read).
    ci: CiStatus | None = None


def see(snapshot: RepoSnapshot, config: RepoConfig) -> Sight:
    """Run the detectors over a snapshot and parse its seed (an invalid one: no growth work)."""
    text = snapshot.files.get(SEED_PATH)
    try:
        seed = parse_seed(text) if text is not None else None
    except ConfigError:
        seed = None  # the growth signal reports what is wrong with it
    return Sight(signals=run_signals(snapshot, config), seed=seed, ci=snapshot.ci)


class TaskTickets(TicketWriter, Protocol):
    """Issues carrying the seed's task label, whoever opened them (growth mode only)."""

    # Every issue with the label, open or closed, pull requests left out (one listing).
    def task_issues(self, label: str) -> tuple[Candidate, ...]: ...


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
    # A dry run's planned writes, one line each (None: the plan was carried out).
    planned: tuple[str, ...] | None = None


@dataclass
class WakePorts:
    """Everything a wake reads and writes through."""

    state: StateStore
    issues: IssueStore
    jobs: JobQueue
    brain: Brain
    # Eyes: build the repository snapshot and see it (signals, the seed).
    look: Callable[[RepoConfig, datetime], Sight]
    # Identity hash of CLAUDE.md / AGENTS.md / the config.
    identity: Callable[[], str]
    # The dashboard issue; None for a wake without one.
    dashboard: DashboardStore | None = None
    # OWNER/NAME (or the checkout's path), as the dashboard names the repository.
    repo: str = ""
    # The way to Org Prime (flag-org); None without an org repository.
    org: OrgLink | None = None
    # People's task tickets (growth mode); None where they are not listed (a local wake).
    tickets: TaskTickets | None = None
    # Prime's open PRs (PR hygiene); None where there are none to keep (a local wake).
    pulls: PullKeeper | None = None
    # Which ticked dashboard boxes a trusted person ticked; None trusts every box (local).
    vouch: Vouch | None = None
    # Re-runs of failed CI jobs (CI triage); None where CI is not read (a local wake).
    ci: CiRerun | None = None


def wake(
    ports: WakePorts,
    request: WakeRequest,
    config: RepoConfig,
    now: datetime,
    *,
    stored: StoredState | None = None,
    dry_run: bool = False,
) -> WakeReport:
    """Run one wake: gate-checked request in, report out (DESIGN §3).

    Args:
        ports: the stores, queue, brain and eyes to use.
        request: the wake reason and any `/prime` command.
        config: the repository config.
        now: the current moment (injected).
        stored: the state when the caller already read it and found it awake.
        dry_run: plan, and write nothing: the report lists the planned writes.

    Returns:
        The report of the wake; a hibernating tick reads once and writes nothing.
    """
    if stored is None:
        stored = ports.state.load()
        if hibernating(stored.state, request.reason, now):
            return WakeReport(hibernated=True, reason=request.reason, state=stored.state)
    inputs = _read(ports, stored, request, config, now)
    seen = picture(inputs)
    decision = enforce(ports.brain.decide(seen), seen, ports.repo)
    attempts = {s: ports.jobs.attempt_id(s, f) for s, f in jobs_to_name(decision, seen)}
    plan = plan_wake(inputs, decision, attempts)
    if dry_run:
        lines = dry_run_lines(plan.effects)
        return _report(inputs, plan, Outcome(done=lines), planned=lines)
    return _carry_out(ports, inputs, plan)


def _carry_out(ports: WakePorts, inputs: WakeInputs, plan: WakePlan) -> WakeReport:
    """Execute the plan; after a lost compare-and-swap race, re-plan and execute the rest."""
    writers = Writers(state=ports.state, issues=ports.issues, jobs=ports.jobs,
                      dashboard=ports.dashboard, org=ports.org, tickets=ports.tickets,
                      pulls=ports.pulls, ci=ports.ci)  # fmt: skip
    outcome = execute(plan.effects, writers, Outcome())
    for _ in range(MAX_WRITE_ATTEMPTS - 1):
        if not outcome.conflict:
            break
        # Another writer saved first: plan again on its state; the writes made stay made.
        inputs = _reread(ports, inputs)
        plan = replan(inputs, plan, outcome.opened)
        outcome = execute(plan.effects, writers, outcome.model_copy(update={"conflict": False}))
    if outcome.conflict:
        msg = f"state changed under this wake {MAX_WRITE_ATTEMPTS} times in a row; giving up"
        raise StoreError(msg)
    return _report(inputs, plan, outcome)


def _read(
    ports: WakePorts, stored: StoredState, request: WakeRequest, config: RepoConfig, now: datetime
) -> WakeInputs:
    """Every read of the wake, before anything is planned."""
    sight = ports.look(config, now)
    identity = ports.identity()
    inputs = WakeInputs(
        stored=stored,
        signals=sight.signals,
        issues=(),
        request=request,
        config=config,
        now=now,
        identity=identity,
        repo=ports.repo,
        dashboard=ports.dashboard is not None,
        org_link=ports.org is not None,
        growth=_growth(ports, sight.seed, request),
        pulls=ports.pulls.prime_pulls() if ports.pulls is not None else (),
        ci=sight.ci,
    )
    if ports.dashboard is not None:
        number = stored.state.dashboard_issue if stored.state else None
        handled, ticked, memory = read_ticks(ports.dashboard, number, ports.vouch)
        commands = (*request.commands, *ticked)
        request = request.model_copy(update={"commands": commands})
        update = {"handled": handled, "request": request, "remembered": memory}
        inputs = inputs.model_copy(update=update)
    return _reread(ports, inputs, stored)


def _reread(ports: WakePorts, inputs: WakeInputs, stored: StoredState | None = None) -> WakeInputs:
    """The reads a re-plan repeats: the state (the winner's), the issues, the decision log."""
    update: dict[str, object] = {
        "stored": stored if stored is not None else ports.state.load(),
        "issues": tuple(ports.issues.tracking_issues()),
    }
    if ports.dashboard is not None:
        update["decisions"] = ports.state.decisions()
    return inputs.model_copy(update=update)


def _growth(ports: WakePorts, seed: Seed | None, request: WakeRequest) -> GrowthInputs:
    """The seed and, in a seeded repository, the task tickets (one listing)."""
    if seed is None:
        return GrowthInputs()
    label = seed.automation_contract.task_label
    listed = ports.tickets.task_issues(label) if ports.tickets is not None else None
    return GrowthInputs(seed=seed, candidates=listed, merges=request.merges)


def _report(
    inputs: WakeInputs, plan: WakePlan, outcome: Outcome, planned: tuple[str, ...] | None = None
) -> WakeReport:
    return WakeReport(
        reason=inputs.request.reason,
        state=settled_state(plan.state, outcome),
        signals=plan.signals,
        decision=plan.decision,
        executed=(*outcome.done, *plan.notes),
        wrote_state=outcome.wrote_state,
        command_reply=plan.command_reply,
        planned=planned,
    )
