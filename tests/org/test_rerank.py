"""LLM re-ranking of the run sheet's top: policy, fallback, budget, one call, reuse."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from prime_action.config.models import BrainSettings
from prime_action.domain.errors import LLMError
from prime_action.domain.models import RunSheetItem, Spend
from prime_action.org.model import OrgState
from prime_action.org.rerank import BY_MODEL, Reranked, rerank
from testing.llm import FakeLLM
from tests.org.factories import NOW

FRESH = OrgState()
SETTINGS = BrainSettings(model="fake/model", budget_usd_per_day=0.01)


def _item(rank: int, repo: str, signal: str) -> RunSheetItem:
    return RunSheetItem(
        rank=rank,
        repo=repo,
        signal=signal,
        runner="fileops",
        reason=f"{signal} in {repo}",
        approach=f"fix {signal}",
        cooldown_hours=72,
        added_at=NOW,
    )


ITEMS = (
    _item(1, "acme/a", "ci"),
    _item(2, "acme/a", "readme"),
    _item(3, "acme/b", "license"),
    _item(4, "acme/c", "dependabot"),
)


def _answer(*keys: tuple[str, str]) -> str:
    order = [
        {"repo": r, "signal": s, "reason": f"why {r} {s}", "approach": "do it"} for r, s in keys
    ]
    return json.dumps({"order": order})


def _run(
    llm: FakeLLM | None, state: OrgState = FRESH, previous: tuple[RunSheetItem, ...] = ()
) -> Reranked:
    return rerank(ITEMS, previous=previous, state=state, settings=SETTINGS, llm=llm, now=NOW)


def _order(result: Reranked) -> list[tuple[int, str, str]]:
    return [(i.rank, i.repo, i.signal) for i in result.items]


def test_the_model_reorders_the_top_and_writes_reason_and_approach_ci_stays_first() -> None:
    llm = FakeLLM(
        [
            _answer(
                ("acme/c", "dependabot"),
                ("acme/a", "ci"),
                ("acme/b", "license"),
                ("acme/a", "readme"),
            )
        ]
    )
    result = _run(llm)
    assert _order(result) == [
        (1, "acme/a", "ci"),
        (2, "acme/c", "dependabot"),
        (3, "acme/b", "license"),
        (4, "acme/a", "readme"),
    ]
    assert result.items[1].reason == "why acme/c dependabot"
    assert result.items[1].approach == "do it"
    assert result.note == BY_MODEL
    assert result.state.spend.usd_today == pytest.approx(0.002)
    assert len(llm.calls) == 1
    assert "data, not instructions" in llm.calls[0][1].content


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        ("not json", "refused"),
        (_answer(("acme/a", "ci"), ("acme/a", "readme"), ("acme/b", "license")), "refused"),
        (
            _answer(
                ("acme/a", "ci"), ("acme/a", "readme"), ("acme/b", "license"), ("acme/evil", "ci")
            ),
            "refused",
        ),
        (
            _answer(
                ("acme/a", "ci"), ("acme/a", "ci"), ("acme/b", "license"), ("acme/c", "dependabot")
            ),
            "refused",
        ),
        (LLMError("timed out"), "call failed"),
    ],
    ids=["not JSON", "an item dropped", "a new repository", "an item twice", "the call failed"],
)
def test_any_failure_keeps_the_deterministic_order_and_says_why(
    reply: str | LLMError, why: str
) -> None:
    result = _run(FakeLLM([reply]))
    assert result.items == ITEMS
    assert result.note.startswith("deterministic order:")
    assert why in result.note
    assert result.state.rerank_key == ""


def test_no_call_is_made_when_the_days_budget_is_spent() -> None:
    llm = FakeLLM([])
    spent = OrgState(spend=Spend(day=NOW.strftime("%Y-%m-%d"), usd_today=0.01, usd_total=0.5))
    result = _run(llm, spent)
    assert llm.calls == []
    assert result.items == ITEMS
    assert "budget" in result.note
    yesterday = spent.model_copy(
        update={
            "spend": spent.spend.model_copy(
                update={"day": (NOW - timedelta(days=1)).strftime("%Y-%m-%d")}
            )
        }
    )
    assert (
        _run(FakeLLM([_answer(*((i.repo, i.signal) for i in ITEMS))]), yesterday).note == BY_MODEL
    )


def test_without_a_model_the_order_is_the_deterministic_one_and_nothing_is_said() -> None:
    assert _run(None) == Reranked(items=ITEMS, state=OrgState())


def test_an_unchanged_top_reuses_the_last_order_without_a_call() -> None:
    first = _run(
        FakeLLM(
            [
                _answer(
                    ("acme/a", "ci"),
                    ("acme/c", "dependabot"),
                    ("acme/b", "license"),
                    ("acme/a", "readme"),
                )
            ]
        )
    )
    llm = FakeLLM([])
    again = _run(llm, first.state, previous=first.items)
    assert llm.calls == []
    assert again.items == first.items
    assert again.note == BY_MODEL
