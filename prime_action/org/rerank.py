"""Optional LLM re-ranking of the top of the run sheet, validated by policy, rules as fallback.

The model sees the top TOP items (as data) and may reorder them and rewrite their `reason`
and `approach`. Policy keeps what it may not change: the same set of items (none added,
none dropped, no new repository or signal), CI failing on main still first, and text of a
bounded length. Anything else (no model, budget spent, a failed call, an invalid answer)
keeps the deterministic order and says why. One call per run at most, and none when the
deterministic top is what the last call already ordered: the order is then reused, so a
rerun with nothing changed commits nothing and spends nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

from pydantic import Field, ValidationError

from prime_action.brain.budget import budget_refusal, record_spend
from prime_action.brain.llm import LLM, Message
from prime_action.config.models import BrainSettings
from prime_action.domain.errors import LLMError
from prime_action.domain.models import RunSheetItem
from prime_action.domain.values import Frozen
from prime_action.org.model import OrgState
from prime_action.org.ranking import FIRST
from prime_action.templating import render

TOP = 20
MAX_REASON = 300
MAX_APPROACH = 1000
BY_MODEL = f"the top {TOP} in the order the model chose (reason and approach are its words)"


class RankedItem(Frozen):
    """One item of the model's answer."""

    repo: str
    signal: str
    reason: str = Field(min_length=1, max_length=MAX_REASON)
    approach: str = Field(min_length=1, max_length=MAX_APPROACH)


class RerankAnswer(Frozen):
    """The model's answer: the top items in its order."""

    order: list[RankedItem]


class Reranked(Frozen):
    """The run sheet after re-ranking, what it cost and what to show about it."""

    items: tuple[RunSheetItem, ...]
    state: OrgState
    note: str = ""


def _key(item: RunSheetItem) -> tuple[str, str]:
    return item.repo, item.signal


def top_key(items: tuple[RunSheetItem, ...]) -> str:
    """A hash of the deterministic top: the model is asked again only when it changes."""
    rows = [[i.repo, i.signal, i.reason, i.approach] for i in items[:TOP]]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def _renumber(items: list[RunSheetItem]) -> tuple[RunSheetItem, ...]:
    return tuple(item.model_copy(update={"rank": n}) for n, item in enumerate(items, start=1))


def parse_answer(text: str, top: tuple[RunSheetItem, ...]) -> list[RankedItem]:
    """The model's order, checked by policy against the items it was shown.

    Raises:
        ValueError: not JSON, not the schema, or not exactly the same items; says which.
    """
    stripped = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", text)
    try:
        answer = RerankAnswer.model_validate_json(stripped)
    except ValidationError as e:
        msg = f"not a valid order ({e.error_count()} error(s): {e.errors()[0]['msg']})"
        raise ValueError(msg) from e
    keys = [(i.repo, i.signal) for i in answer.order]
    if len(set(keys)) != len(keys) or set(keys) != {_key(i) for i in top}:
        msg = "the order does not hold exactly the items it was given"
        raise ValueError(msg)
    return answer.order


def apply_order(
    items: tuple[RunSheetItem, ...], order: list[RankedItem]
) -> tuple[RunSheetItem, ...]:
    """The run sheet with the top in the model's order and words; CI on main stays first."""
    by_key = {_key(i): i for i in items}
    moved = [
        by_key[(o.repo, o.signal)].model_copy(update={"reason": o.reason, "approach": o.approach})
        for o in order
    ]
    moved.sort(key=lambda i: 0 if i.signal in FIRST else 1)  # stable: keeps the model's order
    return _renumber([*moved, *items[len(order) :]])


def _reuse(
    items: tuple[RunSheetItem, ...], previous: tuple[RunSheetItem, ...]
) -> tuple[RunSheetItem, ...] | None:
    """Last run's order of the same top, when the last run sheet still holds all of it."""
    top = {_key(i) for i in items[:TOP]}
    kept = [p for p in sorted(previous, key=lambda p: p.rank) if _key(p) in top]
    if {_key(p) for p in kept} != top or len(kept) != len(top):
        return None
    order = [
        RankedItem(repo=p.repo, signal=p.signal, reason=p.reason, approach=p.approach) for p in kept
    ]
    return apply_order(items, order)


def prompt(items: tuple[RunSheetItem, ...]) -> tuple[Message, ...]:
    """The messages of the one call: instructions, then the items fenced as data."""
    rows = [
        {
            "repo": i.repo,
            "signal": i.signal,
            "runner": i.runner,
            "reason": i.reason,
            "approach": i.approach,
        }
        for i in items[:TOP]
    ]
    return (
        Message(role="system", content=render("org/rerank-system.md.j2", top=len(rows))),
        Message(
            role="user", content=render("org/rerank-user.md.j2", rows=json.dumps(rows, indent=1))
        ),
    )


def _answer_schema() -> dict[str, Any]:
    return RerankAnswer.model_json_schema()


def rerank(
    items: tuple[RunSheetItem, ...],
    *,
    previous: tuple[RunSheetItem, ...],
    state: OrgState,
    settings: BrainSettings,
    llm: LLM | None,
    now: datetime,
) -> Reranked:
    """The run sheet with its top re-ranked by the model, or as it was and why.

    Args:
        items: the deterministic run sheet (ranks 1..n).
        previous: the run sheet committed last time (its order is reused when the top is the
            same as the one the model ordered then).
        state: the org state (`rerank_key`, the org's LLM spend).
        settings: the org config's `brain` (model, budget_usd_per_day).
        llm: the model, or None when none is configured.
        now: the current moment (the budget's day).

    Returns:
        The items, the state with the spend and key recorded, and a note for the dashboard.
    """
    if llm is None or len(items) < 2:
        return Reranked(items=items, state=state)
    key = top_key(items)
    if key == state.rerank_key and (reused := _reuse(items, previous)) is not None:
        return Reranked(items=reused, state=state, note=BY_MODEL)
    refusal = budget_refusal(state.spend, settings.budget_usd_per_day, now)
    if refusal:
        return Reranked(items=items, state=state, note=f"deterministic order: {refusal}")
    top = items[:TOP]
    try:
        answer = llm.complete(prompt(items), _answer_schema())
    except LLMError as e:
        return Reranked(
            items=items, state=state, note=f"deterministic order: the model call failed ({e})"
        )
    spent = state.model_copy(
        update={"spend": record_spend(state.spend, answer.usage, now, settings.budget_usd_per_day)}
    )
    try:
        order = parse_answer(answer.text, top)
    except ValueError as e:
        return Reranked(
            items=items,
            state=spent,
            note=f"deterministic order: the model's answer was refused ({e})",
        )
    done = spent.model_copy(update={"rerank_key": key})
    return Reranked(items=apply_order(items, order), state=done, note=BY_MODEL)
