"""The working memory's file formats (state.json, decisions.jsonl), the same in every store."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from prime_action.domain.errors import StoreError
from prime_action.domain.models import STATE_SCHEMA_VERSION, DecisionRecord, PrimeState
from prime_action.repo.plan import prune_decisions


def dump_state(state: PrimeState) -> str:
    """state.json's text: indented, keys sorted, so diffs of the state branch read well."""
    return json.dumps(state.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


# schema_version N -> the step that turns a version-N state document into version N+1. When
# PrimeState changes incompatibly, bump STATE_SCHEMA_VERSION and add the step here: old
# state branches are then read, upgraded, and written back in the new version.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}


def migrate(
    data: dict[str, Any], migrations: Mapping[int, Migration] = MIGRATIONS
) -> dict[str, Any]:
    """Upgrade a state document to the current schema version, one step at a time.

    Args:
        data: the parsed state.json.
        migrations: the upgrade steps (the module's table unless a test gives its own).

    Returns:
        The document in the current version (unchanged when it already is).

    Raises:
        StoreError: when the document was written by a newer Prime (upgrade the action; the
            state is not overwritten), or no step leads from its version to the current one.
    """
    version = data.get("schema_version", STATE_SCHEMA_VERSION)
    if not isinstance(version, int) or version > STATE_SCHEMA_VERSION:
        msg = (
            f"state.json has schema_version {version!r}; this Prime knows up to "
            f"{STATE_SCHEMA_VERSION}: upgrade the prime action (the state was left as it is)"
        )
        raise StoreError(msg)
    while version < STATE_SCHEMA_VERSION:
        step = migrations.get(version)
        if step is None:
            msg = f"state.json has schema_version {version}, and no migration leads from it"
            raise StoreError(msg)
        version += 1
        data = {**step(data), "schema_version": version}
    return data


def parse_state(text: str) -> PrimeState | None:
    """The state in a state.json text, upgraded to the current schema.

    Returns:
        The state; None when the text is damaged (the wake then rebuilds from the issues).

    Raises:
        StoreError: when the state comes from a newer Prime (see `migrate`).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return PrimeState.model_validate(migrate(data))
    except ValidationError:
        return None


def parse_decisions(text: str) -> tuple[DecisionRecord, ...]:
    """Read decisions.jsonl; a damaged line loses one record, never the log."""
    records = []
    for line in text.splitlines():
        try:
            records.append(DecisionRecord.model_validate_json(line))
        except ValidationError:
            continue
    return tuple(records)


def dump_decisions(records: tuple[DecisionRecord, ...]) -> str:
    """decisions.jsonl's text: one record a line."""
    return "".join(record.model_dump_json() + "\n" for record in records)


# The log is rewritten by every wake that decides: 48 hours of wakes every 15 minutes with a
# model's reasoning can pass a megabyte, so the oldest records also go past this size.
DECISIONS_MAX_BYTES = 256_000


def append_decision(
    records: tuple[DecisionRecord, ...], record: DecisionRecord | None
) -> tuple[DecisionRecord, ...]:
    """Append a decision (if any) to the log; keep 48 hours of it, at most DECISIONS_MAX_BYTES.

    Only the newest record keeps its prompt (for `prime explain`): the log stays small.
    """
    if record is None:
        return records
    older = tuple(_without_prompt(r) for r in records)
    return _within(prune_decisions((*older, record), record.at), DECISIONS_MAX_BYTES)


def _within(records: tuple[DecisionRecord, ...], limit: int) -> tuple[DecisionRecord, ...]:
    """The newest records whose lines fit in `limit` bytes; the newest is always kept."""
    sizes = [len(r.model_dump_json().encode()) + 1 for r in records]
    total, start = sum(sizes), 0
    while total > limit and start < len(records) - 1:
        total -= sizes[start]
        start += 1
    return records[start:]


def _without_prompt(record: DecisionRecord) -> DecisionRecord:
    if not record.decision.prompt:
        return record
    decision = record.decision.model_copy(update={"prompt": ""})
    return record.model_copy(update={"decision": decision})
