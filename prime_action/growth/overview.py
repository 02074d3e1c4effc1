"""`prime growth`'s report, as a value: the seed's epics and tasks with their tickets, PRs and
review rounds, and the current cycle's energy against its budget.

Pure: built from the seed and the state that the growth step records (`growth.cycles`,
`growth.tickets`), so it reads the same from a local checkout and from `prime-state`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from prime_action.domain.models import GrowthReport, GrowthTicket, MergedPull, PrimeState
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen
from prime_action.growth.architect import progress, ticket_key
from prime_action.growth.seed import Epic, Seed

# merged: the gate merged its PR; closed: its ticket closed otherwise (a person's merge, or
# by hand); review: ticket and PR open; open: ticket open, no PR yet; ready: the architect
# writes its ticket when there is room; waiting: a task it depends on is not done.
TaskStatus = Literal["merged", "closed", "review", "open", "ready", "waiting"]


class TaskView(Frozen):
    """One task (or an adopted ticket) and where its work stands."""

    signal: str
    # The task's title ("" for an adopted ticket: its issue has the person's own).
    title: str
    status: TaskStatus
    issue: int | None = None
    pull: int | None = None
    # For a merged PR: the gate's rounds of rework, and the lines it changed.
    rounds: int | None = None
    lines: int | None = None
    # Ids of the unfinished tasks a waiting task depends on.
    waits_for: tuple[str, ...] = ()


class EpicView(Frozen):
    """An epic of the seed: its tasks in seed order, and what the current cycle merged."""

    id: str
    title: str
    priority: int
    tasks: tuple[TaskView, ...]
    done: int
    merged_this_cycle: int
    lines_this_cycle: int


class Energy(Frozen):
    """The current cycle: what it did and spent, beside seed.yaml's `energy` limits."""

    started: datetime
    ends: datetime
    # The cycle has run its hours: the next wake starts a new one.
    over: bool
    tickets_opened: int
    merged: int
    reverted: int
    spend_usd: float
    max_cost_usd: float | None
    lines_changed: int
    max_lines_changed: int | None
    tickets_in_flight: int
    max_tickets_in_flight: int
    # Why growth stopped for the rest of the cycle ("" when it did not).
    held: str


class GrowthOverview(Frozen):
    """The output of `prime growth --json`: the roadmap and the current growth cycle."""

    project: str
    # None: no growth cycle yet (no wake has run with this seed).
    cycle: Energy | None
    epics: tuple[EpicView, ...]
    # Tickets people opened and Prime adopted (`growth.manual.N`), outside the seed's tasks.
    adopted: tuple[TaskView, ...] = ()
    tasks: int
    done: int


def _issues(tickets: tuple[GrowthTicket, ...], label: str) -> tuple[TrackedIssue, ...]:
    return tuple(
        TrackedIssue(
            number=t.issue, signal=t.signal, title=t.signal, state=t.state, labels=(label,)
        )
        for t in tickets
    )


def _task(
    signal: str,
    title: str,
    ticket: GrowthTicket | None,
    merge: MergedPull | None,
    waits_for: tuple[str, ...],
) -> TaskView:
    issue = ticket.issue if ticket else None
    if merge is not None and (ticket is None or ticket.state == "closed"):
        return TaskView(signal=signal, title=title, status="merged", issue=issue,
                        pull=merge.pull, rounds=merge.rounds, lines=merge.lines)  # fmt: skip
    if ticket is None:
        status: TaskStatus = "waiting" if waits_for else "ready"
        return TaskView(signal=signal, title=title, status=status, waits_for=waits_for)
    if ticket.state == "closed":
        return TaskView(signal=signal, title=title, status="closed", issue=issue)
    status = "review" if ticket.pull is not None else "open"
    return TaskView(signal=signal, title=title, status=status, issue=issue, pull=ticket.pull)


def _epic(epic: Epic, report: GrowthReport) -> EpicView:
    tickets = {t.signal: t for t in report.tickets}
    merges = {m.signal: m for c in report.cycles for m in c.merged}
    closed = {t.signal for t in report.tickets if t.state == "closed"}
    keys = {task.id: ticket_key(epic, task) for task in epic.tasks}
    tasks = tuple(
        _task(
            keys[task.id],
            task.title,
            tickets.get(keys[task.id]),
            merges.get(keys[task.id]),
            tuple(d for d in task.depends_on if keys[d] not in closed),
        )
        for task in epic.tasks
    )
    current = report.cycles[-1].merged if report.cycles else ()
    mine = [m for m in current if m.signal in keys.values()]
    return EpicView(
        id=epic.id,
        title=epic.title,
        priority=epic.priority,
        tasks=tasks,
        done=sum(1 for t in tasks if t.status in ("merged", "closed")),
        merged_this_cycle=len(mine),
        lines_this_cycle=sum(m.lines for m in mine),
    )


def _energy(seed: Seed, report: GrowthReport, now: datetime) -> Energy | None:
    if not report.cycles:
        return None
    cycle, limits = report.cycles[-1], seed.energy
    ends = cycle.started + timedelta(hours=limits.cycle_hours)
    flight = progress(seed, _issues(report.tickets, seed.automation_contract.task_label))
    return Energy(
        started=cycle.started,
        ends=ends,
        over=now >= ends,
        tickets_opened=cycle.tickets_opened,
        merged=len(cycle.merged),
        reverted=len(cycle.reverted),
        spend_usd=cycle.spend_now_usd - cycle.spend_start_usd,
        max_cost_usd=limits.max_cost_usd,
        lines_changed=sum(m.lines for m in cycle.merged),
        max_lines_changed=limits.max_lines_changed,
        tickets_in_flight=flight.open_tickets,
        max_tickets_in_flight=flight.limit,
        held=cycle.held,
    )


def _adopted(report: GrowthReport, seed: Seed) -> tuple[TaskView, ...]:
    """Tickets whose signal is no task of the seed: adopted people's tickets (or a task
    since removed from the seed)."""
    known = {ticket_key(e, t) for e in seed.growth_objectives.epics for t in e.tasks}
    merges = {m.signal: m for c in report.cycles for m in c.merged}
    return tuple(
        _task(t.signal, "", t, merges.get(t.signal), ())
        for t in report.tickets
        if t.signal not in known
    )


def overview(seed: Seed, state: PrimeState, now: datetime) -> GrowthOverview:
    """The report of `prime growth`.

    Args:
        seed: the validated seed.
        state: the repository's working memory (its growth report).
        now: the current moment (whether the cycle has run its hours).

    Returns:
        The epics in priority order (ties in seed order), the adopted tickets, and the
        current cycle (None before the first wake with this seed).
    """
    report = state.growth
    ordered = sorted(enumerate(seed.growth_objectives.epics), key=lambda p: (p[1].priority, p[0]))
    epics = tuple(_epic(epic, report) for _, epic in ordered)
    return GrowthOverview(
        project=seed.project.name,
        cycle=_energy(seed, report, now),
        epics=epics,
        adopted=_adopted(report, seed),
        tasks=sum(len(e.tasks) for e in epics),
        done=sum(e.done for e in epics),
    )
