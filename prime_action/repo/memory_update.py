"""The wake's bookkeeping of the working memory: commands, job results, refusals, next wake."""

from __future__ import annotations

from datetime import datetime, timedelta

from prime_action.brain.budget import record_spend
from prime_action.brain.port import BrainInput
from prime_action.config.models import RepoConfig
from prime_action.domain.commands import Command
from prime_action.domain.models import (
    Decision,
    InFlight,
    JobResult,
    PrimeState,
    SignalResult,
    WakeReason,
)
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen
from prime_action.repo.plan import build_plan, expire_in_flight
from prime_action.repo.prime_commands import CommandOutcome, apply_command

# Flag keys remembered in state: enough to never repeat a recent one, bounded in size.
MAX_FLAGS = 50

# Fields that change on every wake and so do not count as "something changed".
VOLATILE = frozenset({"wake_count", "last_wake_reason", "last_wake_at"})


class Prepared(Frozen):
    """The state after commands and bookkeeping, and the picture the brain decides on."""

    state: PrimeState
    picture: BrainInput
    command: CommandOutcome | None = None
    # Every command's outcome, in the order the commands were applied.
    outcomes: tuple[CommandOutcome, ...] = ()


def hibernating(state: PrimeState | None, reason: WakeReason, now: datetime) -> bool:
    """A scheduled tick before `next_wake_at` does nothing (DESIGN §3 step 1)."""
    return (
        reason == "schedule"
        and state is not None
        and state.next_wake_at is not None
        and now < state.next_wake_at
    )


def _refusals(
    state: PrimeState,
    signals: tuple[SignalResult, ...],
    issues: tuple[TrackedIssue, ...],
    closed_now: int | None,
) -> PrimeState:
    """A tracking issue a person closed as 'not planned' while its signal still fails is a
    'no' to that fix, for as long as the fingerprint stays the same."""
    failing = {s.name: s.fingerprint for s in signals if s.status == "failing"}
    refused = dict(state.refused)
    for issue in issues:
        if failing.get(issue.signal) == issue.fingerprint != "" and issue.said_no(closed_now):
            refused[issue.signal] = issue.fingerprint
    return state if refused == state.refused else state.model_copy(update={"refused": refused})


def _pr_refusal(
    state: PrimeState, reason: WakeReason, signal: str | None, signals: tuple[SignalResult, ...]
) -> PrimeState:
    """A maintainer closed Prime's PR for a signal unmerged: a 'no' to the same fix.

    The job behind the PR is over either way (merged or not), so it leaves `in_flight`. A
    merge also ends the cooldown that held the signal while its PR waited for review: a drift
    that comes back after the fix is fixed again at once.
    """
    if signal is None or reason not in ("pr-closed-unmerged", "pr-merged"):
        return state
    in_flight = tuple(job for job in state.in_flight if job.signal != signal)
    state = state.model_copy(update={"in_flight": in_flight})
    failing = {s.name: s.fingerprint for s in signals if s.status == "failing"}
    if reason == "pr-merged":
        cooling = {k: v for k, v in state.cooldown_until.items() if k != signal}
        return state.model_copy(update={"cooldown_until": cooling})
    if signal not in failing:
        return state
    return state.model_copy(update={"refused": {**state.refused, signal: failing[signal]}})


def _approvals(
    state: PrimeState, outcomes: list[CommandOutcome], signals: tuple[SignalResult, ...]
) -> PrimeState:
    """A maintainer's run or retry (a box, a `/prime` command) approves the signal's current
    evidence: in approval mode that fix may now be dispatched, a new fingerprint asks again.

    An approval lasts while its evidence does: once the signal stops failing on it, the
    approval goes, so a problem that comes back is asked about again.
    """
    fingerprints = {s.name: s.fingerprint for s in signals if s.status == "failing"}
    approved = {k: v for k, v in state.approved.items() if fingerprints.get(k) == v}
    for outcome in outcomes:
        if outcome.reply in ("run", "retry") and outcome.signal in fingerprints:
            approved[outcome.signal] = fingerprints[outcome.signal]
    return state if approved == state.approved else state.model_copy(update={"approved": approved})


def _job_result(
    state: PrimeState, result: JobResult | None, config: RepoConfig, now: datetime
) -> PrimeState:
    """Fold a runner's outcome into the memory (DESIGN §6).

    The job leaves `in_flight`. Success (a PR is open) cools the signal down while the PR
    waits for review; blocked (three equal failures) holds it until its fingerprint changes;
    a failure or timeout waits `wake.idle_hours` before the next try.
    """
    if result is None or result.status in ("pending", "running"):
        return state
    in_flight = tuple(
        job for job in state.in_flight if job.signal != result.signal or not _ended_by(job, result)
    )
    update: dict[str, object] = {"in_flight": in_flight}
    if result.status == "blocked":
        update["blocked"] = {**state.blocked, result.signal: result.fingerprint}
    elif result.status in ("success", "failed", "timeout"):
        settings = config.signals.get(result.signal)
        cooldown = settings.cooldown_hours if settings and settings.cooldown_hours else None
        hours = (
            (cooldown or config.jobs.cooldown_hours)
            if result.status == "success"
            else (config.wake.idle_hours)
        )
        until = now + timedelta(hours=hours)
        update["cooldown_until"] = {**state.cooldown_until, result.signal: until}
    return state.model_copy(update=update)


def _ended_by(job: InFlight, result: JobResult) -> bool:
    """Whether a result ends a job: its own attempt's, or any for a job with no real id yet
    (queued for the org's dispatcher, or rebuilt from the issues)."""
    return job.placeholder or job.attempt_id == result.attempt


def prepare(
    state: PrimeState,
    *,
    reason: WakeReason,
    signals: tuple[SignalResult, ...],
    issues: tuple[TrackedIssue, ...],
    config: RepoConfig,
    now: datetime,
    commands: tuple[Command, ...] = (),
    signal: str | None = None,
    result: JobResult | None = None,
    closed_now: int | None = None,
    signals_closed: tuple[str, ...] = (),
) -> Prepared:
    """Apply commands, drop finished or stale jobs, note refusals, and build the plan.

    Args:
        state: the working memory as read.
        reason: why this wake happens.
        signals: this wake's signals.
        issues: Prime's tracking issues.
        config: the repository config.
        now: the current moment.
        commands: `/prime` commands (one from a comment, several from dashboard boxes),
            applied in order; the first one's outcome is the reply.
        signal: the signal the event is about (a Prime PR closed or merged).
        result: a runner's reported outcome (`prime-job-result`).
        closed_now: the issue whose closing woke Prime (`issues: closed`), if any.
        signals_closed: every signal the closed or merged Prime PR carried.

    Returns:
        The prepared state and the brain's picture.
    """
    outcomes = []
    until = now + timedelta(hours=config.conversation.priority_hours)
    for command, args in commands:
        outcomes.append(apply_command(state, command, args, {s.name for s in signals}, until))
        state = outcomes[-1].state
    for name in dict.fromkeys((signal, *signals_closed) if signal else signals_closed):
        state = _pr_refusal(state, reason, name, signals)
    state = _approvals(state, outcomes, signals)
    state = _job_result(state, result, config, now)
    state = expire_in_flight(state, signals, now, config.jobs.in_flight_timeout_hours)
    state = _refusals(state, signals, issues, closed_now)
    plan = build_plan(signals, state, config, now)
    requested = tuple(o.signal for o in outcomes if o.reply == "run" and o.signal)
    picture = BrainInput(
        state=state,
        signals=signals,
        issues=issues,
        plan=plan,
        reason=reason,
        config=config,
        now=now,
        requested=requested,
    )
    first = outcomes[0] if outcomes else None
    return Prepared(state=state, picture=picture, command=first, outcomes=tuple(outcomes))


def record_job(state: PrimeState, job: InFlight) -> PrimeState:
    """Remember a submitted job so the next wake does not submit it again."""
    kept = tuple(j for j in state.in_flight if j.signal != job.signal)
    return state.model_copy(update={"in_flight": (*kept, job)})


def remember_flags(state: PrimeState, keys: tuple[str, ...]) -> PrimeState:
    """Note flags as sent, keeping the newest MAX_FLAGS keys."""
    new = tuple(key for key in keys if key not in state.flagged)
    if not new:
        return state
    return state.model_copy(update={"flagged": (*state.flagged, *new)[-MAX_FLAGS:]})


def _in_flight(state: PrimeState) -> set[str]:
    return {job.signal for job in state.in_flight}


def changed(before: PrimeState | None, after: PrimeState) -> bool:
    """Whether a wake changed anything worth a write."""
    if before is None:
        return True
    return before.model_dump(exclude=set(VOLATILE)) != after.model_dump(exclude=set(VOLATILE))


def conclude(
    before: PrimeState | None,
    prepared: Prepared,
    decision: Decision,
    identity_hash: str,
    now: datetime,
) -> PrimeState:
    """Fold the decision into the working memory and choose when to wake next.

    When the wake changed nothing and the scheduled wake is still ahead, the earlier
    `next_wake_at` is kept, so an uneventful event wake writes nothing.
    """
    picture = prepared.picture
    after = prepared.state.model_copy(
        update={
            "plan": tuple(i for i in picture.plan if i.signal not in _in_flight(prepared.state)),
            "signals": picture.signals,
            # The prompt lives only in the newest decisions.jsonl record, not in state.json.
            "last_decision": decision.model_copy(update={"prompt": ""}),
            "cost": record_spend(
                prepared.state.cost, decision.usage, now, picture.config.brain.budget_usd_per_day
            ),
            "last_wake_reason": picture.reason,
            "last_wake_at": now,
            "wake_count": prepared.state.wake_count + 1,
            "identity_hash": identity_hash,
        }
    )
    scheduled = before.next_wake_at if before is not None else None
    if scheduled is not None and now < scheduled:
        unchanged = after.model_copy(update={"next_wake_at": scheduled})
        if not changed(before, unchanged):
            return unchanged
    return after.model_copy(
        update={"next_wake_at": now + timedelta(hours=decision.next_wake_hours)}
    )
