"""User priorities: the org config's `priorities` and `/prime priority` dashboard commands."""

from __future__ import annotations

import re
import shlex

from prime_action.config.models import TrustSettings
from prime_action.config.org import OrgConfig
from prime_action.domain.values import Frozen
from prime_action.org.model import CommandComment, OrgState, PriorityEntry

# `/prime priority repo:acme/api +10 "reason"`, `/prime priority signal:ci clear`.
_COMMAND = re.compile(r"^\s*/prime\s+priority\b(.*)$", re.MULTILINE)
_KEY = re.compile(r"^(repo:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+|signal:[A-Za-z0-9_.-]+)$")
_WEIGHT = re.compile(r"^[+-]?\d+(\.\d+)?$")
MAX_POINTS = 100.0
MAX_NOTE = 200


class PriorityCommand(Frozen):
    """One parsed `/prime priority` line; `problem` says why it cannot be applied."""

    comment: int
    author: str
    key: str = ""
    weight: float | None = None  # None: clear the key
    note: str = ""
    problem: str = ""


def _parse_words(words: list[str]) -> tuple[str, float | None, str, str]:
    """(key, weight, note, problem) from the words after `/prime priority`."""
    if len(words) < 2 or not _KEY.match(words[0]):
        return "", None, "", "usage"
    key, value = words[0], words[1]
    note = " ".join(words[2:])[:MAX_NOTE]
    if value == "clear":
        return key, None, note, ""
    if not _WEIGHT.match(value) or abs(float(value)) > MAX_POINTS:
        return key, None, note, "weight"
    return key, float(value), note, ""


def parse(comment: CommandComment) -> tuple[PriorityCommand, ...]:
    """Every `/prime priority` line of a comment, parsed (malformed ones carry a problem)."""
    found = []
    for match in _COMMAND.finditer(comment.body):
        try:
            words = shlex.split(match.group(1))
        except ValueError:  # an unclosed quote
            words = []
        key, weight, note, problem = _parse_words(words)
        found.append(
            PriorityCommand(
                comment=comment.id,
                author=comment.author,
                key=key,
                weight=weight,
                note=note,
                problem=problem,
            )
        )
    return tuple(found)


def trusted(comment: CommandComment, trust: TrustSettings) -> bool:
    """Whether a comment's commands count: a trusted association, not Prime, no stray bot."""
    if comment.author == trust.prime_login:
        return False
    if comment.bot and comment.author not in trust.bots:
        return False
    return comment.association in trust.associations


def pending_commands(
    comments: tuple[CommandComment, ...], state: OrgState, trust: TrustSettings
) -> tuple[PriorityCommand, ...]:
    """The commands of trusted comments not applied yet, oldest comment first."""
    applied = set(state.applied)
    return tuple(
        command
        for comment in sorted(comments, key=lambda c: c.id)
        if comment.id not in applied and trusted(comment, trust)
        for command in parse(comment)
    )


def apply_commands(state: OrgState, commands: tuple[PriorityCommand, ...]) -> OrgState:
    """The org state with the commands applied in order (a later one for a key wins).

    Args:
        state: the org state before.
        commands: from `pending_commands`; those with a problem change nothing.

    Returns:
        The new state; each command's comment is recorded as applied.
    """
    priorities = dict(state.priorities)
    for command in commands:
        if command.problem:
            continue
        if command.weight is None:
            priorities.pop(command.key, None)
        else:
            priorities[command.key] = PriorityEntry(
                weight=command.weight,
                note=command.note,
                by=command.author,
                comment=command.comment,
            )
    applied = tuple(sorted({*state.applied, *(c.comment for c in commands)}))
    # The ledger of applied ids only needs to outlive the comments we can still see.
    return state.model_copy(update={"priorities": priorities, "applied": applied[-500:]})


def points(config: OrgConfig, state: OrgState, repo: str, signal: str) -> float:
    """Priority points of (repo, signal): config weights, a command overriding its key's."""
    total = 0.0
    for key in (f"repo:{repo}", f"signal:{signal}"):
        if key in state.priorities:
            total += state.priorities[key].weight
        elif key in config.priorities:
            total += config.priorities[key].weight
    return total


def factor(value: float) -> float:
    """Points as a score multiplier: +10 doubles, -5 halves, never below a tenth."""
    return max(0.1, 1.0 + value / 10.0)


def effective(config: OrgConfig, state: OrgState) -> dict[str, tuple[float, str, str]]:
    """Every priority in force: key -> (weight, note, source) for the dashboard."""
    merged = {key: (p.weight, p.note, "config") for key, p in config.priorities.items()}
    for key, entry in state.priorities.items():
        merged[key] = (entry.weight, entry.note, f"@{entry.by}" if entry.by else "command")
    return dict(sorted(merged.items()))
