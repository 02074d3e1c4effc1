"""Which managed repositories Org Prime wakes: due ones only, once per due time, capped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prime_action.domain.models import PrimeState
from prime_action.org.alarm import Alarm, WakeCall, due_wakes, record_wakes
from prime_action.org.model import OrgState, RepoFacts

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)


def managed(repo: str, hours_ago: float | None, **extra: object) -> RepoFacts:
    wake = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    state = PrimeState(next_wake_at=wake)
    return RepoFacts.model_validate({"repo": repo, "managed": True, "state": state, **extra})


@pytest.mark.parametrize(
    ("repos", "woken", "limit", "expected", "deferred"),
    [
        ([managed("a/due", 1)], {}, 10, ["a/due"], 0),
        ([managed("a/asleep", -1)], {}, 10, [], 0),
        ([managed("a/exactly-now", 0)], {}, 10, ["a/exactly-now"], 0),
        ([managed("a/never-woke", None)], {}, 10, [], 0),
        ([managed("a/unreadable", 1, error="NOT_FOUND: gone")], {}, 10, [], 0),
        ([RepoFacts(repo="a/unmanaged")], {}, 10, [], 0),
        ([managed("a/due", 1)], {"a/due": NOW - timedelta(hours=1)}, 10, [], 0),
        ([managed("a/due", 1)], {"a/due": NOW - timedelta(hours=7)}, 10, ["a/due"], 0),
        ([managed("a/late", 1), managed("a/later", 5), managed("a/b", 3)], {}, 2,
         ["a/later", "a/b"], 1),
        ([managed("a/due", 1)], {}, 0, [], 1),
    ],
    ids=[
        "due", "asleep", "due-this-moment", "no-wake-time", "unreadable", "unmanaged",
        "already-woken-for-this-due-time", "woken-for-an-earlier-due-time",
        "cap-takes-the-longest-overdue", "cap-zero-sends-none",
    ],
)  # fmt: skip
def test_due_wakes(
    repos: list[RepoFacts],
    woken: dict[str, datetime],
    limit: int,
    expected: list[str],
    deferred: int,
) -> None:
    alarm = due_wakes(repos, OrgState(woken=woken), NOW, limit)
    assert [c.repo for c in alarm.calls] == expected
    assert alarm.deferred == deferred


def test_recorded_wakes_keep_only_entries_for_due_times_not_yet_passed_on() -> None:
    earlier = NOW - timedelta(hours=6)
    state = OrgState(woken={"a/gone": NOW, "a/woke": earlier, "a/waiting": earlier})
    alarm = Alarm(calls=(WakeCall(repo="a/new", due=NOW),))
    due = {"a/woke": NOW + timedelta(hours=6), "a/waiting": earlier, "a/new": NOW}
    after = record_wakes(state, alarm, due)
    assert after.woken == {"a/waiting": earlier, "a/new": NOW}


def test_recording_nothing_new_leaves_the_state_as_it_was() -> None:
    state = OrgState(woken={"a/kept": NOW})
    assert record_wakes(state, Alarm(), {"a/kept": NOW}) is state
