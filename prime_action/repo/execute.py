"""The one place a wake writes: carry out a plan's effects through the ports, in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from prime_action.domain.errors import ConflictError
from prime_action.domain.ports import DashboardStore, IssueStore, JobQueue, OrgLink, StateStore
from prime_action.repo.dashboard import merge_for_write, needs_write, render_dashboard
from prime_action.repo.effects import (
    Adopt,
    Close,
    ClosePull,
    Comment,
    Effect,
    Flag,
    NotePull,
    OpenIssue,
    Outcome,
    RefreshPull,
    Reply,
    RerunFailedJobs,
    ReworkPull,
    SaveState,
    SetLabels,
    Submit,
    UnmarkPull,
    WriteDashboard,
    settle,
)
from prime_action.repo.hygiene import PullKeeper


class TicketWriter(Protocol):
    """Growth mode: adopting a person's task ticket."""

    # Replace an issue's body and labels (Prime's markers and the automated label).
    def adopt(self, number: int, body: str, labels: tuple[str, ...]) -> None: ...


class CiRerun(Protocol):
    """CI triage: re-running a workflow run's failed jobs."""

    # Ask GitHub to re-run the run's failed jobs; the report's line (a refusal is one too).
    def rerun_failed_jobs(self, run_id: int) -> str: ...


@dataclass(frozen=True)
class Writers:
    """The ports a wake writes through (it reads only the dashboard, right before writing it)."""

    state: StateStore
    issues: IssueStore
    jobs: JobQueue
    dashboard: DashboardStore | None = None
    org: OrgLink | None = None
    tickets: TicketWriter | None = None
    pulls: PullKeeper | None = None
    ci: CiRerun | None = None


def execute(effects: tuple[Effect, ...], ports: Writers, outcome: Outcome) -> Outcome:
    """Carry the effects out in order; stop at a lost compare-and-swap race.

    Every write is idempotent (markers on comments, issues reopened by their signal), so a
    rerun of the same wake repeats nothing.

    Args:
        effects: the plan's effects.
        ports: where to write.
        outcome: what this wake already did (an earlier, lost attempt's writes).

    Returns:
        What was done; `conflict` is set when the state save lost a race.
    """
    for planned in effects:
        effect = settle(planned, outcome)
        if effect is None:
            continue
        try:
            outcome = _carry_out(effect, ports, outcome)
        except ConflictError:
            return outcome.model_copy(update={"conflict": True})
    return outcome


def _carry_out(effect: Effect, ports: Writers, outcome: Outcome) -> Outcome:
    if isinstance(effect, OpenIssue):
        number = ports.issues.open_issue(effect.signal, effect.title, effect.body, effect.labels)
        line = (
            f"opened {effect.labels[-1]} issue #{number}: {effect.title}"
            if effect.ticket
            else f"opened issue #{number} for {effect.signal}"
        )
        opened = {**outcome.opened, effect.signal: number}
        return outcome.model_copy(update={"opened": opened, "done": (*outcome.done, line)})
    if isinstance(effect, WriteDashboard):
        return outcome.model_copy(update={"dashboard": _publish(effect, ports)})
    if isinstance(effect, SaveState):
        if not effect.needed:
            return outcome
        ports.state.save(effect.state, effect.record, effect.expected)
        return outcome.model_copy(update={"wrote_state": True})
    written = _write(effect, ports)
    if written is None:
        return outcome
    return outcome.model_copy(update={"done": (*outcome.done, written)})


def _write(effect: Effect, ports: Writers) -> str | None:
    """Make one write that returns nothing; the report's line for it, if any."""
    if isinstance(effect, Comment | Reply) and effect.issue is not None:
        ports.issues.comment(effect.issue, effect.body, effect.marker)
        reported = isinstance(effect, Comment) and effect.reported
        return f"commented on #{effect.issue}" if reported else None
    if isinstance(effect, SetLabels) and effect.issue is not None:
        ports.issues.set_labels(effect.issue, effect.add, effect.remove)
        add, remove = ",".join(effect.add), ",".join(effect.remove)
        return f"labelled #{effect.issue}: +{add} -{remove}" if effect.reported else None
    if isinstance(effect, Close) and effect.issue is not None:
        ports.issues.close_issue(effect.issue, effect.note)
        return f"closed issue #{effect.issue}: {effect.reason}"
    return _elsewhere(effect, ports)


def _elsewhere(effect: Effect, ports: Writers) -> str:
    """A write beyond the issues: a job, a re-run, a flag to Org Prime, an adoption."""
    if isinstance(effect, Submit):
        ports.jobs.submit(effect.signal, effect.runner, effect.approach, effect.fingerprint)
        return f"submitted {effect.runner} job {effect.attempt} for {effect.signal}"
    if isinstance(effect, Flag) and ports.org is not None:
        ports.org.flag(effect.signal, effect.reason)
        return f"flagged to Org Prime: {effect.reason}"
    if isinstance(effect, RerunFailedJobs) and ports.ci is not None:
        return ports.ci.rerun_failed_jobs(effect.run_id)
    if isinstance(effect, Adopt) and ports.tickets is not None:
        ports.tickets.adopt(effect.number, effect.body, effect.labels)
        return f"adopted {effect.label} issue #{effect.number}: {effect.title}"
    if ports.pulls is not None:
        line = _hygiene(effect, ports.pulls)
        if line is not None:
            return line
    msg = f"no port for the planned effect {effect.kind}: the plan and the ports disagree"
    raise ValueError(msg)


def _hygiene(effect: Effect, pulls: PullKeeper) -> str | None:
    """A write to one of Prime's open PRs (PR hygiene); None for any other effect."""
    if isinstance(effect, ClosePull):
        pulls.close_pull(effect.number, effect.body, effect.why)
        by = f" by #{effect.by}" if effect.by is not None else ""
        return f"closed PR #{effect.number} as {effect.why}{by}"
    if isinstance(effect, RefreshPull):
        return pulls.refresh_pull(effect)
    if isinstance(effect, ReworkPull):
        return pulls.rework_pull(effect)
    if isinstance(effect, NotePull):
        pulls.note_pull(effect.number, effect.marker, effect.note)
        return f"noted in PR #{effect.number}'s body why Prime leaves its conflict"
    if isinstance(effect, UnmarkPull):
        pulls.unmark_pull(effect.number)
        return f"PR #{effect.number} was reopened: its close is no longer Prime's"
    return None


def _publish(effect: WriteDashboard, ports: Writers) -> int | None:
    """Re-read the dashboard and write it only if its text changes; return its number.

    The re-read keeps a box ticked while this wake ran ticked for the next wake; a blank or
    hand-edited body has no valid boxes and is replaced.
    """
    if ports.dashboard is None:
        return None
    fresh = ports.dashboard.read_dashboard(effect.view.state.dashboard_issue)
    current = fresh.body if fresh else None
    body = merge_for_write(current, render_dashboard(effect.view), effect.handled)
    if fresh is not None and not needs_write(current, body):
        return fresh.number
    return ports.dashboard.write_dashboard(fresh.number if fresh else None, body)
