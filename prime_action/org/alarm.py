"""Org Prime as the alarm clock: which managed repositories are due a `prime-wake` now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from prime_action.domain.values import Frozen
from prime_action.org.model import OrgState, RepoFacts

EVENT = "prime-wake"


class WakeCall(Frozen):
    """One `prime-wake` to send: the repository and the `next_wake_at` it answers."""

    repo: str
    due: datetime


class Alarm(Frozen):
    """This run's wakes (oldest due first) and how many more are due than the cap allows."""

    calls: tuple[WakeCall, ...] = ()
    deferred: int = 0


def due_wakes(repos: Iterable[RepoFacts], state: OrgState, now: datetime, limit: int) -> Alarm:
    """The managed repositories whose `next_wake_at` has passed and that were not woken for it.

    Args:
        repos: the repositories Org Prime looks after, as read this run.
        state: the org state; `woken` holds the due time each repository was last woken for.
        now: the current moment.
        limit: the most wakes one run sends (`wake.max_per_run`); the rest wait for the next.

    Returns:
        At most `limit` calls, the longest overdue first, and the count left for later runs.
    """
    due = sorted(
        (r.state.next_wake_at, r.repo)
        for r in repos
        if r.managed
        and r.error is None
        and r.state is not None
        and r.state.next_wake_at is not None
        and r.state.next_wake_at <= now
        and state.woken.get(r.repo) != r.state.next_wake_at
    )
    calls = tuple(WakeCall(repo=repo, due=at) for at, repo in due[:limit])
    return Alarm(calls=calls, deferred=max(0, len(due) - limit))


def record_wakes(state: OrgState, alarm: Alarm, due: Mapping[str, datetime | None]) -> OrgState:
    """The org state with this run's wakes recorded, before any goes out.

    Args:
        state: the org state as read.
        alarm: this run's wakes.
        due: each managed repository's `next_wake_at` as read this run.

    Returns:
        The state whose `woken` holds only entries that still matter: a repository that woke
        has a new `next_wake_at`, so its entry goes, and `woken` stays as small as the
        number of repositories woken and not yet awake.
    """
    woken = {repo: at for repo, at in state.woken.items() if due.get(repo) == at}
    woken |= {c.repo: c.due for c in alarm.calls}
    return state if woken == state.woken else state.model_copy(update={"woken": woken})
