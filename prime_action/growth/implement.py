"""The implementer: open `ai-task` tickets become agent work, inside the seed's contract.

Pure. Each open ticket (found by its marker `growth.EPIC.TASK`) is a failing signal of that
name with an `agent` fix whose approach is the ticket's instruction, so the wake plans it and
the dispatcher hands it to the agent runner like any other signal. A ticket a human labelled
`needs-human` (or one the reviewer gave up on) is no longer work. The seed's automation
contract narrows the repository's guardrails, which the PR boundary enforces on every push.
"""

from __future__ import annotations

from collections.abc import Mapping

from prime_action.config.models import GuardrailSettings
from prime_action.domain.models import SEVERITY_WEIGHT, Fix, SignalResult
from prime_action.domain.ports import TrackedIssue
from prime_action.growth.adopt import HumanTask
from prime_action.growth.architect import PREFIX, ticket_key
from prime_action.growth.seed import AutomationContract, Epic, Seed, Task
from prime_action.signals.base import fingerprint
from prime_action.templating import render

# Epic priority 1 weighs like a high-severity signal, 5 like a low one.
# Matches no path: an empty contract lets nothing be written, and the refusal says why.
NOTHING = "(nothing: seed.yaml automation_contract.write_paths is empty)"
_WEIGHTS = {1: "high", 2: "high", 3: "medium", 4: "low", 5: "low"}


def find_task(seed: Seed, key: str) -> tuple[Epic, Task] | None:
    """The epic and task a ticket's marker names, or None when the seed no longer has it."""
    for epic in seed.growth_objectives.epics:
        for task in epic.tasks:
            if ticket_key(epic, task) == key:
                return epic, task
    return None


def instruction(seed: Seed, epic: Epic, task: Task, number: int) -> str:
    """The agent's instruction for one ticket (short: it travels as a workflow input)."""
    return render(
        "growth/instruction.txt.j2",
        number=number,
        epic=epic,
        task=task,
        contract=seed.automation_contract,
        constraints=seed.constraints,
    ).strip()


def is_work(issue: TrackedIssue, seed: Seed, needs_human: str) -> bool:
    """An open ticket of growth mode that no human has taken over."""
    return (
        issue.state == "open"
        and issue.signal.startswith(PREFIX)
        and seed.automation_contract.task_label in issue.labels
        and needs_human not in issue.labels
    )


def _located(
    seed: Seed, issue: TrackedIssue, humans: Mapping[str, HumanTask]
) -> tuple[str, str, int] | None:
    """(instruction, title, epic priority) of a ticket's work, or None when it has none."""
    human = humans.get(issue.signal)
    if human is not None:
        text = render("growth/manual-instruction.txt.j2", task=human,
                      contract=seed.automation_contract, constraints=seed.constraints)  # fmt: skip
        return text.strip(), human.title, 2  # a maintainer asked for it: high
    located = find_task(seed, issue.signal)
    if located is None:
        return None
    epic, task = located
    return instruction(seed, epic, task, issue.number), task.title, epic.priority


def task_signals(
    seed: Seed,
    issues: tuple[TrackedIssue, ...],
    needs_human: str,
    humans: Mapping[str, HumanTask] | None = None,
) -> tuple[SignalResult, ...]:
    """One failing `agent` signal per open ticket, named by the ticket's marker.

    Args:
        seed: the validated seed.
        issues: the issues the wake lists (Prime's, found by marker).
        needs_human: the label that hands a ticket to a human.
        humans: adopted human tickets by key (their scope and acceptance come from the body).

    Returns:
        The signals, in issue order; a ticket whose task left the seed is skipped.
    """
    found: list[SignalResult] = []
    for issue in sorted(issues, key=lambda i: i.number):
        work = _located(seed, issue, humans or {}) if is_work(issue, seed, needs_human) else None
        if work is None:
            continue
        approach, title, priority = work
        found.append(
            SignalResult(
                name=issue.signal,
                status="failing",
                detail=f"ai-task #{issue.number} is open: {title}",
                fingerprint=fingerprint(issue.signal, "failing", approach),
                severity=_WEIGHTS[priority],
                weight=SEVERITY_WEIGHT[_WEIGHTS[priority]],
                fix=Fix(runner="agent", approach=approach),
            )
        )
    return tuple(found)


def contract_rails(rails: GuardrailSettings, contract: AutomationContract) -> GuardrailSettings:
    """The repository's guardrails under the seed's automation contract.

    In a repository with a seed, the seed says where agents write: its `write_paths` replace
    the config's, and its `disallowed_writes` join the forbidden paths. A contract without
    write paths lets nothing be written (the pattern in its place names the key to set).

    Args:
        rails: `guardrails:` of `.github/prime.yml`.
        contract: `automation_contract:` of seed.yaml.

    Returns:
        The guardrails the PR boundary enforces.
    """
    forbidden = tuple(dict.fromkeys((*rails.forbidden_paths, *contract.disallowed_writes)))
    return rails.model_copy(
        update={"write_paths": contract.write_paths or (NOTHING,), "forbidden_paths": forbidden}
    )
