"""attempts.jsonl: damaged lines stop it, upserts, and compaction (last N per key, last 30 days)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.dispatch.ledger import compact, dump_ledger, latest, parse_ledger, upsert
from prime_action.domain.errors import StoreError
from tests.dispatch.values import T0, attempt


def test_a_damaged_line_stops_the_data_plane_naming_the_line() -> None:
    text = dump_ledger((attempt(id="a1"), attempt(id="a2"))) + "\n{not json\n"

    with pytest.raises(StoreError, match=r"attempts\.jsonl line 4 is not an attempt"):
        parse_ledger(text)


def test_a_byte_order_mark_crlf_and_blank_lines_are_read() -> None:
    text = dump_ledger((attempt(id="a1"), attempt(id="a2")))

    damaged = "\ufeff" + text.replace("\n", "\r\n\r\n")

    assert [a.id for a in parse_ledger(damaged)] == ["a1", "a2"]


def test_upsert_replaces_by_id_in_place_and_appends_new_ones() -> None:
    ledger = (attempt(id="a1"), attempt(id="a2"))

    after = upsert(ledger, attempt(id="a1", status="success"), attempt(id="a3"))

    assert [(a.id, a.status) for a in after] == [
        ("a1", "success"),
        ("a2", "failed"),
        ("a3", "failed"),
    ]


def test_latest_is_by_creation_and_ignores_the_case_of_the_repository() -> None:
    ledger = (attempt(id="new", hours_ago=1), attempt(id="old", hours_ago=9, repo="ACME/api"))

    found = latest(ledger, "acme/API", "license")

    assert found is not None
    assert found.id == "new"


def test_compaction_keeps_the_last_n_per_key_everything_recent_and_every_open_attempt() -> None:
    old = [attempt(id=f"old{i}", hours_ago=24 * 40 + i) for i in range(6)]
    other = attempt(id="other", hours_ago=24 * 90, signal="ci")
    recent = [attempt(id=f"new{i}", hours_ago=i) for i in range(4)]
    stuck = attempt(id="stuck", status="pending", hours_ago=24 * 60)

    kept = compact((*old, other, *recent, stuck), T0, keep=3, days=30)

    assert {a.id for a in kept} == {"other", "new0", "new1", "new2", "new3", "stuck"}
    assert all(T0 - a.created_at <= timedelta(days=30) for a in kept if a.id.startswith("new"))
