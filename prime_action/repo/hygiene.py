"""PR hygiene (issue 16): which of Prime's open PRs to refresh, or close as superseded or stale.

Pure: the wake reads Prime's open PRs as values and gets effects back. A PR with a commit
that Prime did not write belongs to its person: it is never refreshed or closed, and a
conflict is noted once in its body (an edit notifies nobody). A replacement covering the
same signals (or carrying the same content) closes the older PR; a PR idle for
`prs.close_idle_days` is closed, and its signals cool down as long again; a conflicted
fileops PR is rebuilt on the new base, a conflicted growth PR goes back to the implementer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from prime_action.domain.markers import comment_marker
from prime_action.domain.models import PrimeState
from prime_action.domain.values import Frozen
from prime_action.repo.effects import (
    ClosePull,
    Effect,
    NotePull,
    RefreshPull,
    ReworkPull,
    UnmarkPull,
)
from prime_action.templating import render

HUMAN_NOTE = "<!-- prime:note=conflict-human -->"
MANUAL_NOTE = "<!-- prime:note=conflict-manual -->"
GROWTH_BRANCH = "prime/growth."


class PrimePull(Frozen):
    """One of Prime's open pull requests, as the wake reads it."""

    number: int
    branch: str
    # The branch it asks to merge into.
    base: str
    # The signals it fixes: its branch's and those its body's markers name.
    signals: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    # Its content marker's hash ("" when it has none).
    content: str = ""
    # GitHub's answer; None while GitHub is still computing it.
    mergeable: bool | None = None
    human_commits: int = 0
    # Whether Prime can re-apply it on a new base: every signal has a fileops fix.
    refreshable: bool = False
    # The hygiene notes its body already carries (their markers).
    notes: tuple[str, ...] = ()
    # Its body still says Prime closed it: a person reopened it.
    reopened: bool = False


def plan_hygiene(
    pulls: tuple[PrimePull, ...], *, idle_days: int, now: datetime
) -> tuple[Effect, ...]:
    """The hygiene writes for Prime's open PRs, at most one per PR.

    Args:
        pulls: Prime's open pull requests.
        idle_days: `prs.close_idle_days` (0: never close for idleness).
        now: the current moment.

    Returns:
        Unmarking reopened PRs first, then refreshes, closes and body notes, oldest PR first.
    """
    effects: list[Effect] = [UnmarkPull(number=p.number) for p in pulls if p.reopened]
    for pull in sorted(pulls, key=lambda p: p.number):
        effect = _one(pull, pulls, idle_days=idle_days, now=now)
        if effect is not None:
            effects.append(effect)
    return tuple(effects)


def _one(
    pull: PrimePull, pulls: tuple[PrimePull, ...], *, idle_days: int, now: datetime
) -> Effect | None:
    base = pull.base
    if pull.human_commits:
        return _note(pull, HUMAN_NOTE, "pulls/note-human.md.j2", base)
    newer = superseded_by(pull, pulls)
    if newer is not None:
        body = render(
            "pulls/superseded.md.j2", marker=_marker("superseded", pull), newer=newer.number
        )
        return ClosePull(number=pull.number, body=body, why="superseded", by=newer.number)
    if idle(pull, idle_days, now):
        marker = _marker("stale", pull)
        body = render("pulls/stale.md.j2", marker=marker, days=idle_days, signals=pull.signals)
        return ClosePull(number=pull.number, body=body, why="stale", signals=pull.signals)
    return _conflicted(pull, base)


def _conflicted(pull: PrimePull, base: str) -> Effect | None:
    """A conflicted PR: a growth PR goes back to its implementer (an agent's code has no
    template to re-apply); a fileops PR is rebuilt; any other is noted once."""
    if pull.mergeable is not False:
        return None
    if pull.branch.startswith(GROWTH_BRANCH):
        return ReworkPull(number=pull.number, branch=pull.branch, base=base)
    manual = _note(pull, MANUAL_NOTE, "pulls/note-manual.md.j2", base)
    if manual is None or not pull.refreshable:
        return manual  # None: Prime said once that it cannot redo this change
    closing = render("pulls/obsolete.md.j2", marker=_marker("obsolete", pull), base=base)
    return RefreshPull(
        number=pull.number,
        branch=pull.branch,
        signals=pull.signals,
        closing=closing,
        manual=manual.note,
    )


def cool_down(
    state: PrimeState, effects: tuple[Effect, ...], *, days: int, now: datetime
) -> PrimeState:
    """The state with each stale-closed PR's signals cooling down for `days` days.

    Nobody wanted the change for that long: Prime asks again (a new PR) only after as long
    again, unless a person reopens the PR first.
    """
    until = now + timedelta(days=days)
    cooling = dict(state.cooldown_until)
    for effect in effects:
        if isinstance(effect, ClosePull) and effect.why == "stale":
            for signal in effect.signals:
                cooling[signal] = max(cooling.get(signal, until), until)
    if cooling == state.cooldown_until:
        return state
    return state.model_copy(update={"cooldown_until": cooling})


def superseded_by(pull: PrimePull, pulls: tuple[PrimePull, ...]) -> PrimePull | None:
    """The newest later PR that replaces `pull`: the same content, or all of its signals."""

    def replaces(other: PrimePull) -> bool:
        same = bool(pull.content) and other.content == pull.content
        covers = bool(pull.signals) and set(pull.signals) <= set(other.signals)
        return other.number > pull.number and (same or covers)

    return max((p for p in pulls if replaces(p)), key=lambda p: p.number, default=None)


def idle(pull: PrimePull, days: int, now: datetime) -> bool:
    """Whether nothing touched the PR for `days` days (0: never idle)."""
    return days > 0 and now - pull.updated_at >= timedelta(days=days)


def _note(pull: PrimePull, marker: str, template: str, base: str) -> NotePull | None:
    if pull.mergeable is not False or marker in pull.notes:
        return None
    note = render(template, marker=marker, base=base)
    return NotePull(number=pull.number, marker=marker, note=note)


def _marker(why: str, pull: PrimePull) -> str:
    return comment_marker(f"{why}-{pull.number}")


class PullKeeper(Protocol):
    """Prime's open pull requests: what the hygiene plan reads, and the writes it makes."""

    # Prime's open PRs, with GitHub's mergeability and who wrote their commits.
    def prime_pulls(self) -> tuple[PrimePull, ...]: ...

    # Comment once, then close, the body marked as closed by Prime (no person's "no").
    def close_pull(self, number: int, comment: str, why: str) -> None: ...

    # Re-apply the fix on the moved base (or close with `closing`); the report's line.
    def refresh_pull(self, effect: RefreshPull) -> str: ...

    # Send a conflicted growth PR back to the implementer, once per head; the report's line.
    def rework_pull(self, effect: ReworkPull) -> str: ...

    # Append a note to the body unless its marker is there already.
    def note_pull(self, number: int, marker: str, note: str) -> None: ...

    # Take the "closed by Prime" mark out of a reopened PR's body.
    def unmark_pull(self, number: int) -> None: ...
