"""state.json's format: damaged text reads as none, old versions are upgraded, newer refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from prime_action.domain.errors import StoreError
from prime_action.domain.models import STATE_SCHEMA_VERSION, PrimeState
from prime_action.repo.memory import dump_state, migrate, parse_state


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
