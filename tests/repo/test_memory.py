"""state.json's format: damaged text reads as none, old versions are upgraded, newer refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from prime_action.domain.errors import StoreError
from prime_action.domain.models import STATE_SCHEMA_VERSION, Decision, DecisionRecord, PrimeState
from prime_action.repo.memory import (
    DECISIONS_MAX_BYTES,
    append_decision,
    dump_decisions,
    dump_state,
    migrate,
    parse_state,
)


def test_state_round_trips_through_its_text() -> None:
    state = PrimeState(wake_count=3, skipped=("license",))
    assert parse_state(dump_state(state)) == state


@pytest.mark.parametrize("text", ["{broken", "[]", '"text"', '{"status": "asleep"}'])
def test_damaged_state_reads_as_none(text: str) -> None:
    assert parse_state(text) is None


def test_state_from_a_newer_prime_is_refused_not_overwritten() -> None:
    newer = json.dumps({"schema_version": STATE_SCHEMA_VERSION + 1})
    with pytest.raises(StoreError, match="upgrade the prime action"):
        parse_state(newer)


def test_old_state_is_upgraded_one_step_at_a_time() -> None:
    def rename_paused(data: dict[str, Any]) -> dict[str, Any]:
        kept = {key: value for key, value in data.items() if key != "paused"}
        return {**kept, "status": "paused" if data.get("paused") else "active"}

    current = STATE_SCHEMA_VERSION
    old = {"schema_version": current - 1, "paused": True, "wake_count": 4}
    upgraded = migrate(old, {current - 1: rename_paused})
    assert upgraded == {"schema_version": current, "status": "paused", "wake_count": 4}
    assert PrimeState.model_validate(upgraded).status == "paused"


def test_version_without_a_migration_step_is_an_error_naming_it() -> None:
    with pytest.raises(StoreError, match="schema_version 0, and no migration"):
        migrate({"schema_version": 0}, {})


NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)


def record(minutes_ago: int, text: str = "", prompt: str = "") -> DecisionRecord:
    decision = Decision(summary=text, why=text, prompt=prompt)
    return DecisionRecord(
        at=NOW - timedelta(minutes=minutes_ago), reason="schedule", decision=decision
    )


def test_the_decision_log_is_bounded_by_size_as_well_as_age() -> None:
    # 48 hours of wakes every 15 minutes, each with 5 KB of a model's reasoning: about 1 MB.
    log: tuple[DecisionRecord, ...] = ()
    for minutes_ago in range(48 * 60, -1, -15):
        log = append_decision(log, record(minutes_ago, "r" * 5_000))
    text = dump_decisions(log)
    assert len(text.encode()) <= DECISIONS_MAX_BYTES
    assert 20 < len(log) < 48 * 4 + 1  # the newest records stay, the oldest went
    assert log[-1].at == NOW
    assert [r.at for r in log] == sorted(r.at for r in log)


def test_a_newest_record_larger_than_the_bound_is_still_kept_with_its_prompt() -> None:
    log = append_decision((record(30, "old"),), record(0, "new", prompt="p" * DECISIONS_MAX_BYTES))
    assert [r.decision.summary for r in log] == ["new"]
    assert log[0].decision.prompt
