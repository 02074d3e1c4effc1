"""The dispatcher's rules (DESIGN §6): every skip reason, capacity, the cycle limit, timeouts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from prime_action.dispatch.rules import (
    DispatchSettings,
    attempt_id,
    expire,
    hold_reason,
    next_attempt_id,
    select,
)
from tests.dispatch.values import T0, attempt, item

SETTINGS = DispatchSettings()


@pytest.mark.parametrize(
    ("history", "extra", "reason"),
    [
        ((), {}, ""),
        ((attempt(status="pending", hours_ago=1),), {}, "attempt a1 is pending"),
        ((attempt(status="running", hours_ago=1),), {}, "attempt a1 is running"),
        ((attempt(status="blocked", fingerprint="f1"),), {"fingerprint": "f1"}, "blocked since"),
        ((attempt(status="blocked", fingerprint="f1"),), {"fingerprint": "f2"}, ""),
        (
            (attempt(status="success", hours_ago=10),),
            {"added_at": T0 - timedelta(hours=20)},
            "cooling down until 2026-03-04T22:00:00Z",
        ),  # on the sheet since before the success
        # Added after the success: its PR merged, the item left the sheet, the drift came back.
        ((attempt(status="success", hours_ago=10),), {"added_at": T0 - timedelta(hours=1)}, ""),
        ((attempt(status="failed", hours_ago=71),), {}, "cooling down"),
        ((attempt(status="failed", hours_ago=72),), {}, ""),
        ((attempt(status="cancelled", hours_ago=1),), {}, ""),
        ((attempt(status="timeout", hours_ago=1),), {"cooldown_hours": 0}, ""),
    ],
)
def test_an_item_is_held_for_exactly_these_reasons(
    history: tuple[Any, ...], extra: dict[str, Any], reason: str
) -> None:
    found = hold_reason(item(**extra), history, SETTINGS, T0)

    assert found.startswith(reason) if reason else found == ""


def test_blocked_item_is_skipped_until_fingerprint_changes() -> None:
    blocked = (attempt(status="blocked", fingerprint="f1", hours_ago=200),)

    chosen, skipped = select((item(fingerprint="f1"),), blocked, SETTINGS, T0)
    assert not chosen
    assert "blocked" in skipped[0].reason
    chosen, _ = select((item(fingerprint="f2"),), blocked, SETTINGS, T0)
    assert [c.attempt.fingerprint for c in chosen] == ["f2"]


def test_items_are_taken_by_rank_until_the_runner_is_at_capacity() -> None:
    items = tuple(item(rank=r, repo=f"acme/r{r}") for r in (3, 1, 2))
    settings = DispatchSettings(capacity={"fileops": 2})

    chosen, skipped = select(items, (), settings, T0)

    assert [c.item.rank for c in chosen] == [1, 2]
    assert skipped[0].reason == "runner 'fileops' at capacity (2 open)"


def test_open_attempts_count_against_capacity_and_other_runners_are_not_held() -> None:
    open_one = (attempt(status="running", hours_ago=1, repo="acme/other"),)
    items = (item(rank=1), item(rank=2, repo="acme/web", runner="agent"))
    settings = DispatchSettings(capacity={"fileops": 1, "agent": 1})

    chosen, skipped = select(items, open_one, settings, T0)

    assert [c.item.runner for c in chosen] == ["agent"]
    assert [s.item.rank for s in skipped] == [1]


def test_the_cycle_limit_and_the_total_limit_hold() -> None:
    items = tuple(item(rank=r, repo=f"acme/r{r}") for r in range(1, 6))

    chosen, skipped = select(items, (), DispatchSettings(max_per_cycle=2), T0)
    assert len(chosen) == 2
    assert "this cycle's limit of 2" in skipped[0].reason
    chosen, skipped = select(items, (), DispatchSettings(max_open=3), T0)
    assert len(chosen) == 3
    assert skipped[0].reason == "3 attempts open already"


def test_an_item_listed_twice_runs_once() -> None:
    chosen, skipped = select((item(rank=1), item(rank=2)), (), SETTINGS, T0)

    assert len(chosen) == 1
    assert skipped[0].reason == "listed twice in the run sheet"


def test_a_given_attempt_id_already_in_the_ledger_never_starts_again() -> None:
    done = (attempt(id="x1", status="success", hours_ago=500),)

    chosen, skipped = select((item(),), done, SETTINGS, T0, {("acme/api", "license"): "x1"})

    assert not chosen
    assert skipped[0].reason == "attempt x1 was dispatched already (success)"


def test_attempt_ids_chain_on_the_previous_attempt_and_repeat_for_the_same_ledger() -> None:
    first = next_attempt_id((), "acme/api", "license")
    after = next_attempt_id((attempt(id=first),), "acme/api", "license")

    assert first == attempt_id("acme/api", "license", None)
    assert first.startswith("license-")
    assert after != first
    assert next_attempt_id((attempt(id=first),), "ACME/api", "license") == after


def test_open_attempts_without_a_report_or_heartbeat_become_timeout() -> None:
    ledger = (
        attempt(id="old", status="pending", hours_ago=25),
        attempt(id="beat", status="running", hours_ago=30, heartbeat_at=T0),
        attempt(id="new", status="running", hours_ago=2),
        attempt(id="done", status="success", hours_ago=50),
    )

    after = expire(ledger, T0, 24)

    assert [a.status for a in after] == ["timeout", "running", "running", "success"]
    assert after[0].reason == "no report within 24 hours"
    assert after[0].updated_at == T0
