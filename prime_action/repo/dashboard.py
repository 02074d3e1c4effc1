"""The dashboard issue's body (DESIGN §4): rendered from the state, kept under GitHub's limit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, NamedTuple

from pydantic import Field, ValidationError, field_validator

from prime_action.domain.conversation import Priority
from prime_action.domain.markers import DASHBOARD, data_marker, find_data
from prime_action.domain.models import DecisionRecord, PrimeState, SignalResult
from prime_action.domain.values import Frozen
from prime_action.growth.report import chart, rows
from prime_action.markdown import BODY_LIMIT, safe_cell, safe_text
from prime_action.repo.dashboard_ticks import (
    Ticks,
    is_box_name,
    merge_for_write,
    needs_write,
    parse_ticks,
    ticks_to_commands,
    untick,
)
from prime_action.templating import render

__all__ = [
    "BODY_LIMIT",
    "DASHBOARD_TITLE",
    "DashboardView",
    "NeedsHuman",
    "Ticks",
    "merge_for_write",
    "needs_write",
    "parse_ticks",
    "render_dashboard",
    "ticks_to_commands",
    "untick",
]

DASHBOARD_TITLE = "Prime dashboard"
MAX_DECISIONS = 10
MAX_ERRORS = 5
# The order sections are cut in, each down to the number of items given: the least
# important first, then a second pass through the buttons' sections once their heads
# have been kept as long as possible.
_HEAD = 10
_CUTS = (
    ("decisions", 0),
    ("growth", 0),
    ("ok", 0),
    ("needs_agent", 0),
    ("pull_waits", _HEAD),
    ("plan", _HEAD),
    ("awaiting_approval", _HEAD),
    ("signals", _HEAD),
    ("in_flight", _HEAD),
    ("needs_human", _HEAD),
    ("pull_waits", 0),
    ("plan", 0),
    ("awaiting_approval", 0),
    ("signals", 0),
    ("in_flight", 0),
    ("needs_human", 0),
)
_STATUS_ORDER = {"failing": 0, "unknown": 1, "skipped": 2, "ok": 3}


class NeedsHuman(Frozen):
    """A signal Prime will not work on until a maintainer says so (blocked or refused)."""

    signal: str
    reason: str
    issue: int | None = None


class DashboardView(Frozen):
    """Everything the dashboard shows; plan and in-flight jobs come from `state`."""

    repo: str
    state: PrimeState
    signals: tuple[SignalResult, ...] = ()
    needs_human: tuple[NeedsHuman, ...] = ()
    # Failing signals whose fix needs an agent, when none is configured (so not planned).
    needs_agent: tuple[SignalResult, ...] = ()
    # Approval mode: failing signals waiting for a maintainer's tick before any dispatch.
    awaiting_approval: tuple[SignalResult, ...] = ()
    # Any order: the newest MAX_DECISIONS are shown, newest first.
    decisions: tuple[DecisionRecord, ...] = ()
    spend_today: float = 0.0
    budget: float = 0.0
    now: datetime
    # The state was rebuilt from the issues because the state branch was lost.
    rebuilt: bool = False
    errors: tuple[str, ...] = ()

    @field_validator("needs_human", mode="before")
    @classmethod
    def _accept_triples(cls, value: object) -> object:
        # The wake cycle has these as plain (signal, reason, issue) tuples.
        if not isinstance(value, tuple | list):
            return value
        fields = ("signal", "reason", "issue")
        return tuple(
            dict(zip(fields, item, strict=False)) if isinstance(item, tuple | list) else item
            for item in value
        )


class _Cut(NamedTuple):
    """The part of a section's items that is shown, and how many were left out."""

    shown: tuple[object, ...]
    hidden: int


def render_dashboard(view: DashboardView) -> str:
    """Render the dashboard body, kept under GitHub's size limit.

    When the full body is too long, sections are cut from the least important: recent
    decisions, growth mode's cycles, then ok signals and the signals needing an agent, then
    the PRs waiting to merge, the plan, the other signals, jobs in flight and needs-human
    down to their first ten items, then those to nothing (the waiting PRs first). Each cut
    section says how many items it hides. The header and the controls are never cut.

    Args:
        view: what to show.

    Returns:
        The Markdown body, every box unticked, shorter than BODY_LIMIT.
    """
    parts = _parts(view)
    limits = {name: len(items) for name, items in parts.items()}
    for name, floor in _CUTS:
        if _fits(_render(view, parts, limits)):
            break
        limits[name] = _largest_fitting(view, parts, limits, name, min(floor, limits[name]))
    return _render(view, parts, limits)


def _parts(view: DashboardView) -> dict[str, tuple[object, ...]]:
    """Each section's items that can be cut, in display order."""
    newest = sorted(view.decisions, key=lambda record: record.at, reverse=True)
    ok = sorted((s for s in view.signals if s.status == "ok"), key=lambda s: s.name)
    others = sorted(
        (s for s in view.signals if s.status != "ok"),
        key=lambda s: (_STATUS_ORDER[s.status], -s.weight, s.name),
    )
    return {
        "decisions": tuple(newest[:MAX_DECISIONS]),
        "ok": tuple(ok),
        "plan": view.state.plan,
        "signals": tuple(others),
        "in_flight": view.state.in_flight,
        "needs_human": view.needs_human,
        "needs_agent": view.needs_agent,
        "awaiting_approval": view.awaiting_approval,
        "pull_waits": view.state.pull_waits,
        # Growth mode's cycles, newest first (empty without a seed).
        "growth": tuple(reversed(rows(view.state.growth))),
    }


def _largest_fitting(
    view: DashboardView,
    parts: dict[str, tuple[object, ...]],
    limits: dict[str, int],
    name: str,
    floor: int,
) -> int:
    """The most items of section `name` that fit, but no fewer than `floor`, by bisection."""
    low, high = floor, limits[name]
    # Cutting a section down to its floor is common with huge states: skip the bisection.
    if not _fits(_render(view, parts, {**limits, name: floor})):
        return floor
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(_render(view, parts, {**limits, name: middle})):
            low = middle
        else:
            high = middle - 1
    return low


def _fits(body: str) -> bool:
    # Counted in UTF-8 bytes, never fewer than characters, so the body fits whichever of
    # the two GitHub counts.
    return len(body.encode("utf-8")) < BODY_LIMIT


def _render(
    view: DashboardView, parts: dict[str, tuple[object, ...]], limits: dict[str, int]
) -> str:
    cuts = {
        name: _Cut(shown=items[: limits[name]], hidden=len(items) - limits[name])
        for name, items in parts.items()
    }
    return render(
        "dashboard/body.md.j2",
        marker=DASHBOARD,
        memory=memory_marker(view.state),
        view=view,
        errors=view.errors[:MAX_ERRORS],
        cuts=cuts,
        text=safe_text,
        cell=safe_cell,
        when=_when,
        boxable=is_box_name,
        growth_chart=chart,
    )


class DashboardMemory(Frozen):
    """What a maintainer told Prime that the dashboard keeps, should the state branch be lost."""

    status: Literal["active", "paused"] = "active"
    skipped: tuple[str, ...] = ()
    refused: dict[str, str] = Field(default_factory=dict)
    # Maintainers' priority changes (conversation, `/prime priority`), until they expire.
    priorities: dict[str, Priority] = Field(default_factory=dict)


def memory_marker(state: PrimeState) -> str:
    """The hidden marker at the dashboard's end carrying pause, skips, refusals, priorities."""
    memory = DashboardMemory(
        status=state.status,
        skipped=state.skipped,
        refused=state.refused,
        priorities=state.priorities,
    )
    return data_marker(memory.model_dump(mode="json"))


def remembered(body: str | None) -> DashboardMemory:
    """The memory a dashboard body carries; nothing when it is missing or damaged."""
    try:
        return DashboardMemory.model_validate(find_data(body))
    except ValidationError:
        return DashboardMemory()


def recall(state: PrimeState, memory: DashboardMemory) -> PrimeState:
    """A state rebuilt after the state branch was lost, with the dashboard's memory back."""
    return state.model_copy(
        update={
            "status": memory.status,
            "skipped": tuple(sorted({*state.skipped, *memory.skipped})),
            "refused": {**memory.refused, **state.refused},
            "priorities": {**memory.priorities, **state.priorities},
        }
    )


def _when(moment: datetime) -> str:
    """A moment as maintainers read it; a naive one is taken to be UTC already."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
