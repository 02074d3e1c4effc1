"""Human tickets: an `ai-task` issue a trusted person opened becomes growth work too.

Pure. Prime adopts such an issue by adding its markers (`growth.manual.<number>`) and the
automated label, so every later wake finds it with Prime's own issues. Its scope and
acceptance criteria come from the body, in this format (headings `##` optional, bullets
`-` or `*`); without them, the seed's write paths and "the issue is resolved" apply:

    Scope:
    - src/core/tokens.py
    Acceptance:
    - tokens() splits on whitespace

An issue by an author whose association the config does not trust is never adopted.
"""

from __future__ import annotations

import re
from typing import Literal

from prime_action.domain.markers import data_marker, find_signal, signal_marker
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen

MANUAL = "growth.manual."
_HEADING = re.compile(r"^\s*(?:#+\s*)?(scope|acceptance)(?:\s+criteria)?\s*:?\s*$", re.I)
_BULLET = re.compile(r"^\s*[-*]\s+(.+?)\s*$")


class Candidate(Frozen):
    """An issue carrying the task label, as the listing by that label returns it."""

    number: int
    title: str
    body: str
    labels: tuple[str, ...]
    state: Literal["open", "closed"]
    # The author's association with the repository (OWNER, MEMBER, CONTRIBUTOR, NONE...).
    association: str


class HumanTask(Frozen):
    """An adopted human ticket, read from its issue."""

    number: int
    key: str
    title: str
    scope: tuple[str, ...] = ()
    acceptance: tuple[str, ...] = ()


def manual_key(number: int) -> str:
    """The marker name of a human ticket: its issue number makes it unique."""
    return f"{MANUAL}{number}"


def sections(body: str) -> dict[str, tuple[str, ...]]:
    """The bullets under `Scope` and `Acceptance` headings (backticks stripped)."""
    found: dict[str, list[str]] = {"scope": [], "acceptance": []}
    current: str | None = None
    for line in body.splitlines():
        heading, bullet = _HEADING.match(line), _BULLET.match(line)
        if heading:
            current = heading.group(1).lower()
        elif bullet and current:
            found[current].append(bullet.group(1).strip("`"))
        elif line.strip():
            current = None
    return {name: tuple(items) for name, items in found.items()}


def to_adopt(
    candidates: tuple[Candidate, ...], task_label: str, trusted: tuple[str, ...]
) -> tuple[Candidate, ...]:
    """Open task-labelled issues without Prime's marker, by trusted authors, oldest first."""
    return tuple(
        c
        for c in sorted(candidates, key=lambda c: c.number)
        if c.state == "open"
        and task_label in c.labels
        and find_signal(c.body) is None
        and c.association in trusted
    )


def adopted_body(candidate: Candidate) -> str:
    """The issue's body with Prime's markers added (the person's text is kept as it is)."""
    key = manual_key(candidate.number)
    data = data_marker({"signal": key, "adopted": True})
    return f"{candidate.body.rstrip()}\n\n{signal_marker(key)}\n{data}\n"


def human_tasks(candidates: tuple[Candidate, ...]) -> dict[str, HumanTask]:
    """Every adopted ticket (its marker is a manual key), by key."""
    found: dict[str, HumanTask] = {}
    for c in candidates:
        key = find_signal(c.body)
        if key != manual_key(c.number):
            continue
        parts = sections(c.body)
        found[key] = HumanTask(number=c.number, key=key, title=c.title, scope=parts["scope"],
                               acceptance=parts["acceptance"])  # fmt: skip
    return found


def tracked(candidate: Candidate, automated: str) -> TrackedIssue:
    """How an adopted ticket looks to the wake (as the issue store will list it next time)."""
    return TrackedIssue(
        number=candidate.number,
        signal=manual_key(candidate.number),
        title=candidate.title,
        state=candidate.state,
        labels=tuple(dict.fromkeys((*candidate.labels, automated))),
    )
