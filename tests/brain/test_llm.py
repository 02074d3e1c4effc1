"""The LLM brain over a scripted LLM port: parse, repair once, fall back, budget, policy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from prime_action.brain.llm import LLMBrain, decision_schema, parse_proposal
from prime_action.brain.prompt import PromptContext
from prime_action.brain.rules import RulesBrain
from prime_action.config.models import BrainSettings
from prime_action.domain.errors import LLMError
from prime_action.domain.models import PrimeState, Spend
from testing.llm import FAKE_USAGE, FakeLLM
from tests.values import issue, picture, signal

SETTINGS = BrainSettings(model="openai/gpt-4o-mini")
PICTURE = picture((signal("license"), signal("ci", "ok")), (issue(3, "license"),))


def answer(*actions: dict[str, Any], hours: float = 2.0) -> str:
    """A model answer in the Decision format."""
    return json.dumps(
        {
            "summary": "Fix the license",
            "why": "It is missing.",
            "next_wake_hours": hours,
            "actions": list(actions),
        }
    )


JOB = {"type": "submit-job", "signal": "license", "runner": "fileops", "approach": "add MIT"}


def brain(llm: FakeLLM, settings: BrainSettings = SETTINGS) -> LLMBrain:
    return LLMBrain(settings, llm, PromptContext, RulesBrain())


def test_a_valid_answer_becomes_the_llm_decision_with_its_cost_and_prompt() -> None:
    llm = FakeLLM([answer(JOB)])
    decision = brain(llm).decide(PICTURE)
    assert decision.brain == "llm"
    assert [a.type for a in decision.actions] == ["submit-job"]
    assert decision.summary == "Fix the license"
    assert decision.usage == FAKE_USAGE
    assert decision.prompt.startswith("## system")
    assert len(llm.calls) == 1


def test_invalid_json_is_repaired_once_with_the_error_shown_to_the_model() -> None:
    llm = FakeLLM(["{not json", answer(JOB)])
    decision = brain(llm).decide(PICTURE)
    assert decision.brain == "llm"
    assert len(llm.calls) == 2
    repair = llm.calls[1]
    assert repair[-2].role == "assistant"
    assert repair[-2].content == "{not json"
    assert "not JSON" in repair[-1].content
    assert decision.usage.cost_usd == pytest.approx(2 * FAKE_USAGE.cost_usd)


def test_invalid_twice_gives_the_rules_brain_and_says_why() -> None:
    llm = FakeLLM(["{not json", json.dumps({"summary": "no hours"})])
    decision = brain(llm).decide(PICTURE)
    assert decision.brain == "rules"
    assert decision.why.startswith("The LLM brain did not decide: the model answered invalid")
    assert "next_wake_hours" in decision.why
    assert decision.actions == RulesBrain().decide(PICTURE).actions
    assert decision.usage.cost_usd == pytest.approx(2 * FAKE_USAGE.cost_usd)
    assert len(llm.calls) == 2


def test_a_failed_call_gives_the_rules_brain_without_a_retry() -> None:
    llm = FakeLLM([LLMError("openai/gpt-4o-mini: Timeout: timed out after 60 s"), answer(JOB)])
    decision = brain(llm).decide(PICTURE)
    assert decision.brain == "rules"
    assert "the model call failed" in decision.why
    assert "Timeout" in decision.why
    assert len(llm.calls) == 1


def test_a_spent_budget_makes_no_call_and_the_rules_brain_decides() -> None:
    spent = PrimeState(cost=Spend(day="2026-11-21", usd_today=1.0))
    wake = picture((signal("license"),), state=spent)
    llm = FakeLLM([answer(JOB)])
    decision = brain(llm).decide(wake)
    assert llm.calls == []
    assert decision.brain == "rules"
    assert "daily LLM budget is spent" in decision.why
    assert decision.prompt == ""


def test_yesterdays_spend_does_not_block_todays_call() -> None:
    state = PrimeState(cost=Spend(day="2026-11-20", usd_today=9.0))
    llm = FakeLLM([answer(JOB)])
    assert brain(llm).decide(picture((signal("license"),), state=state)).brain == "llm"


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        ({"type": "comment-issue", "issue": 41, "body": "hi"}, "not one of Prime's own issues"),
        ({"type": "label", "issue": 3, "add": ["wontfix"]}, "wontfix not in the allowed set"),
        ({"type": "merge-pr", "number": 2}, "unknown action type 'merge-pr'"),
        ({"type": "submit-job", "signal": "license"}, "invalid submit-job action: runner"),
        ({"type": "create-issue", "signal": "ci", "title": "t"}, "'ci' is not failing"),
    ],
)
def test_a_refused_action_is_dropped_and_kept_with_its_reason(
    action: dict[str, Any], reason: str
) -> None:
    decision = brain(FakeLLM([answer(JOB, action)])).decide(PICTURE)
    assert decision.brain == "llm"
    assert [a.type for a in decision.actions] == ["submit-job"]
    assert len(decision.dropped) == 1
    assert reason in decision.dropped[0].reason
    assert decision.dropped[0].action["type"] == action["type"]


def test_seven_actions_keep_five_and_drop_two() -> None:
    waits = [{"type": "wait", "reason": f"r{n}"} for n in range(7)]
    decision = brain(FakeLLM([answer(*waits)])).decide(PICTURE)
    assert len(decision.actions) == 5
    assert [d.reason for d in decision.dropped] == ["more than 5 actions in one wake"] * 2
    assert decision.dropped[0].action == {"type": "wait", "reason": "r5"}


@pytest.mark.parametrize(("hours", "clamped"), [(0.01, 0.25), (1000, 72.0)])
def test_the_suggested_sleep_is_clamped(hours: float, clamped: float) -> None:
    decision = brain(FakeLLM([answer(hours=hours)])).decide(PICTURE)
    assert decision.next_wake_hours == clamped


def test_the_context_is_read_only_when_a_call_is_made() -> None:
    reads: list[int] = []

    def context() -> PromptContext:
        reads.append(1)
        return PromptContext()

    spent = picture(
        (signal("license"),), state=PrimeState(cost=Spend(day="2026-11-21", usd_today=5.0))
    )
    LLMBrain(SETTINGS, FakeLLM([]), context, RulesBrain()).decide(spent)
    assert reads == []
    LLMBrain(SETTINGS, FakeLLM([answer()]), context, RulesBrain()).decide(PICTURE)
    assert reads == [1]


def test_an_answer_in_a_markdown_fence_is_accepted() -> None:
    proposal = parse_proposal(f"```json\n{answer(JOB)}\n```")
    assert proposal.actions[0]["type"] == "submit-job"


def test_the_schema_names_every_action_type() -> None:
    text = json.dumps(decision_schema())
    for kind in (
        "create-issue",
        "comment-issue",
        "submit-job",
        "flag-org",
        "close-issue",
        "label",
        "wait",
    ):
        assert f'"{kind}"' in text
    assert set(decision_schema()["required"]) == {
        "summary",
        "why",
        "next_wake_hours",
        "actions",
        "reply",
        "priorities",
        "skip",
    }


def test_a_paused_prime_makes_no_call() -> None:
    llm = FakeLLM([answer(JOB)])
    decision = brain(llm).decide(picture((signal("license"),), state=PrimeState(status="paused")))
    assert llm.calls == []
    assert [a.type for a in decision.actions] == ["wait"]
