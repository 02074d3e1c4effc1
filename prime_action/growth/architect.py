"""The architect: from the seed's epics and the open tickets, the next `ai-task` tickets to write.

Pure. A ticket is an issue whose hidden marker names its task (`growth.EPIC.TASK`), so the
wake lists it with the tracking issues and a rerun finds it instead of writing it twice. A
task is done when its ticket is closed; it is ready when it has no ticket yet and the tasks
it depends on are done.
"""

from __future__ import annotations

from prime_action.domain.markers import data_marker, signal_marker
from prime_action.domain.models import SignalStatus
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen
from prime_action.growth.seed import SEED_PATH, Epic, Seed, Task
from prime_action.templating import render

PREFIX = "growth."


def ticket_key(epic: Epic, task: Task) -> str:
    """The marker name of a task's ticket (ids are slugs, so `.` separates them safely)."""
    return f"{PREFIX}{epic.id}.{task.id}"


class Ticket(Frozen):
    """An `ai-task` issue the architect will write."""

    key: str
    epic: str
    task: str
    title: str
    body: str
    labels: tuple[str, ...]


class Progress(Frozen):
    """Where the roadmap stands, as the tickets tell it."""

    open_tickets: int
    limit: int
    # (epic id, task id) of tasks ready for a ticket, in the order they would be written.
    ready: tuple[tuple[str, str], ...]
    unfinished_epics: tuple[str, ...]
    tasks: int
    done: int


def _states(issues: tuple[TrackedIssue, ...]) -> dict[str, str]:
    # A task's newest issue decides (a ticket reopened by a human is open again).
    return {i.signal: i.state for i in sorted(issues, key=lambda i: i.number)}


def _ordered(seed: Seed) -> list[Epic]:
    epics = seed.growth_objectives.epics
    return [e for _, _, e in sorted((e.priority, n, e) for n, e in enumerate(epics))]


def _ready(epic: Epic, states: dict[str, str]) -> list[Task]:
    done = {t.id for t in epic.tasks if states.get(ticket_key(epic, t)) == "closed"}
    return [
        t for t in epic.tasks if ticket_key(epic, t) not in states and set(t.depends_on) <= done
    ]


def progress(seed: Seed, issues: tuple[TrackedIssue, ...]) -> Progress:
    """Count open tickets and find the ready tasks.

    Args:
        seed: the validated seed.
        issues: the issues the wake lists (Prime's, found by marker), open and closed.

    Returns:
        The progress; open tickets are the open issues labelled with the task label.
    """
    label = seed.automation_contract.task_label
    states = _states(issues)
    epics = _ordered(seed)
    keys = [ticket_key(e, t) for e in epics for t in e.tasks]
    return Progress(
        open_tickets=sum(1 for i in issues if i.state == "open" and label in i.labels),
        limit=min(
            seed.automation_contract.max_open_tasks,
            seed.energy.max_tickets_in_flight or seed.automation_contract.max_open_tasks,
        ),
        ready=tuple((e.id, t.id) for e in epics for t in _ready(e, states)),
        unfinished_epics=tuple(
            e.id for e in epics if any(states.get(ticket_key(e, t)) != "closed" for t in e.tasks)
        ),
        tasks=len(keys),
        done=sum(1 for key in keys if states.get(key) == "closed"),
    )


def verdict(seed: Seed, issues: tuple[TrackedIssue, ...]) -> tuple[SignalStatus, str, str]:
    """The growth signal: failing while an epic has a ready task and there is room for a ticket.

    Returns:
        (status, detail, evidence for the fingerprint).
    """
    p = progress(seed, issues)
    counts = f"{p.done}/{p.tasks} tasks done, {p.open_tickets}/{p.limit} tickets open"
    evidence = f"{counts}; ready {','.join(f'{e}.{t}' for e, t in p.ready)}"
    if not p.unfinished_epics:
        return "ok", f"every epic in {SEED_PATH} is done ({counts})", evidence
    if p.ready and p.open_tickets < p.limit:
        room = min(len(p.ready), p.limit - p.open_tickets)
        return "failing", f"{room} ticket(s) to write for epic {p.ready[0][0]} ({counts})", evidence
    why = "at the ticket limit" if p.ready else "waiting for open tickets to close"
    return "ok", f"{why} ({counts})", evidence


def _task(seed: Seed, epic_id: str, task_id: str) -> tuple[Epic, Task]:
    epic = next(e for e in seed.growth_objectives.epics if e.id == epic_id)
    return epic, next(t for t in epic.tasks if t.id == task_id)


def ticket(seed: Seed, epic: Epic, task: Task, automated_label: str) -> Ticket:
    """Render one task's ticket: title, scope paths, acceptance criteria, link to the epic."""
    key = ticket_key(epic, task)
    body = render(
        "issues/ai-task.md.j2",
        marker=signal_marker(key),
        data=data_marker({"signal": key, "epic": epic.id, "task": task.id}),
        epic=epic,
        task=task,
        contract=seed.automation_contract,
        constraints=seed.constraints,
        seed_path=SEED_PATH,
    )
    return Ticket(
        key=key,
        epic=epic.id,
        task=task.id,
        title=f"{epic.title}: {task.title}"[:200],
        body=body,
        labels=tuple(dict.fromkeys((automated_label, seed.automation_contract.task_label))),
    )


def next_tickets(
    seed: Seed, issues: tuple[TrackedIssue, ...], automated_label: str
) -> tuple[Ticket, ...]:
    """The tickets to write now: ready tasks in order, never past `max_open_tasks` open.

    Args:
        seed: the validated seed.
        issues: the issues the wake lists, open and closed.
        automated_label: the label every Prime issue carries.

    Returns:
        Zero or more tickets; none when the open tickets already reach the limit.
    """
    p = progress(seed, issues)
    room = max(p.limit - p.open_tickets, 0)
    return tuple(
        ticket(seed, *_task(seed, epic_id, task_id), automated_label)
        for epic_id, task_id in p.ready[:room]
    )
