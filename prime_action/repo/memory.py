"""The working memory's file formats (state.json, decisions.jsonl), the same in every store."""

from __future__ import annotations

import json

from pydantic import ValidationError

from prime_action.domain.models import DecisionRecord, PrimeState
from prime_action.repo.plan import prune_decisions


def dump_state(state: PrimeState) -> str:
    """state.json's text: indented, keys sorted, so diffs of the state branch read well."""
    return json.dumps(state.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"


def parse_state(text: str) -> PrimeState | None:
    """The state in a state.json text; None when it is damaged or of another schema."""
    try:
        return PrimeState.model_validate_json(text)
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


def append_decision(
    records: tuple[DecisionRecord, ...], record: DecisionRecord | None
) -> tuple[DecisionRecord, ...]:
    """Append a decision (if any) to the log and prune the log to 48 hours before it.

    Only the newest record keeps its prompt (for `prime explain`): the log stays small.
    """
    if record is None:
        return records
    older = tuple(_without_prompt(r) for r in records)
    return prune_decisions((*older, record), record.at)


def _without_prompt(record: DecisionRecord) -> DecisionRecord:
    if not record.decision.prompt:
        return record
    decision = record.decision.model_copy(update={"prompt": ""})
    return record.model_copy(update={"decision": decision})
