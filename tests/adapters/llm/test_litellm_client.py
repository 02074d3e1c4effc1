"""The LLM brain through litellm: its mock responses, and its real HTTP path to a local stub."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from prime_action.adapters.llm.litellm_client import LiteLLMClient
from prime_action.brain.llm import LLMBrain, Message
from prime_action.brain.prompt import PromptContext
from prime_action.brain.rules import RulesBrain
from prime_action.config.models import BrainSettings
from prime_action.domain.errors import LLMError
from prime_action.domain.models import Decision, PrimeState, Spend
from testing.llm import STUB_API_KEY, OpenAIStub, Reply
from tests.brain.test_llm import JOB, answer
from tests.values import issue, picture, signal

MODEL = "openai/gpt-4o-mini"  # known to litellm's bundled price map, so cost is computed
PICTURE = picture((signal("license"), signal("ci", "ok")), (issue(3, "license"),))
FOREIGN = {"type": "comment-issue", "issue": 41, "body": "hi"}
UNKNOWN_LABEL = {"type": "label", "issue": 3, "add": ["wontfix"]}


class MockScript:
    """The LLM port as litellm's `mock_response`, one scripted value per call."""

    def __init__(self, settings: BrainSettings, *mocks: dict[str, Any]) -> None:
        self._settings = settings
        self._mocks = list(mocks)
        self.calls = 0

    def complete(self, messages: tuple[Message, ...], schema: dict[str, Any]) -> Any:
        self.calls += 1
        client = LiteLLMClient(self._settings, self._mocks.pop(0))
        return client.complete(messages, schema)


def _mocked(*mocks: dict[str, Any], timeout: float = 60.0) -> tuple[LLMBrain, MockScript]:
    settings = BrainSettings(model=MODEL, timeout_seconds=timeout)
    script = MockScript(settings, *mocks)
    return LLMBrain(settings, script, PromptContext, RulesBrain()), script


def _stubbed(
    stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch, timeout: float = 10.0
) -> tuple[LLMBrain, LiteLLMClient]:
    monkeypatch.setenv("OPENAI_API_KEY", STUB_API_KEY)
    settings = BrainSettings(model=MODEL, api_base=stub.base_url, timeout_seconds=timeout)
    client = LiteLLMClient(settings)
    return LLMBrain(settings, client, PromptContext, RulesBrain()), client


def _dropped(decision: Decision) -> list[str]:
    return [d.reason for d in decision.dropped]


# litellm's mock responses


def test_mock_a_valid_answer_gives_the_llm_decision() -> None:
    brain, script = _mocked({"mock_response": answer(JOB)})
    decision = brain.decide(PICTURE)
    assert (decision.brain, [a.type for a in decision.actions]) == ("llm", ["submit-job"])
    assert decision.usage.completion_tokens > 0
    assert script.calls == 1


def test_mock_invalid_json_then_a_valid_repair() -> None:
    brain, script = _mocked(
        {"mock_response": "Sure! Here it is: {"}, {"mock_response": answer(JOB)}
    )
    decision = brain.decide(PICTURE)
    assert decision.brain == "llm"
    assert script.calls == 2


def test_mock_invalid_twice_gives_the_rules_brain() -> None:
    brain, script = _mocked({"mock_response": "{"}, {"mock_response": "[]"})
    decision = brain.decide(PICTURE)
    assert decision.brain == "rules"
    assert "invalid JSON twice" in decision.why
    assert script.calls == 2


def test_mock_timeout_gives_the_rules_brain() -> None:
    brain, script = _mocked({"mock_timeout": True, "mock_response": answer()}, timeout=0.05)
    decision = brain.decide(PICTURE)
    assert decision.brain == "rules"
    assert "Timeout" in decision.why
    assert script.calls == 1


def test_mock_foreign_issue_unknown_label_and_seven_actions_are_dropped() -> None:
    waits = [{"type": "wait", "reason": f"r{n}"} for n in range(5)]
    brain, _ = _mocked({"mock_response": answer(FOREIGN, UNKNOWN_LABEL, *waits)})
    decision = brain.decide(PICTURE)
    assert len(decision.actions) == 5
    assert _dropped(decision) == [
        "issue #41 is not one of Prime's own issues",
        "label(s) wontfix not in the allowed set",
    ]


def test_mock_seven_valid_actions_keep_five() -> None:
    waits = [{"type": "wait", "reason": f"r{n}"} for n in range(7)]
    brain, _ = _mocked({"mock_response": answer(*waits)})
    decision = brain.decide(PICTURE)
    assert len(decision.actions) == 5
    assert _dropped(decision) == ["more than 5 actions in one wake"] * 2


def test_mock_spent_budget_makes_no_call() -> None:
    brain, script = _mocked({"mock_response": answer(JOB)})
    spent = picture(
        (signal("license"),), state=PrimeState(cost=Spend(day="2026-11-21", usd_today=1.5))
    )
    assert brain.decide(spent).brain == "rules"
    assert script.calls == 0


# the real HTTP path: litellm -> OpenAI client -> httpx -> 127.0.0.1


def test_stub_a_valid_answer_is_one_request_with_the_schema_and_the_key_from_the_env(
    openai_stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    openai_stub.answer(answer(JOB))
    brain, _ = _stubbed(openai_stub, monkeypatch)
    decision = brain.decide(PICTURE)
    assert (decision.brain, [a.type for a in decision.actions]) == ("llm", ["submit-job"])
    assert len(openai_stub.requests) == 1
    sent = openai_stub.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert openai_stub.headers[0]["Authorization"] == f"Bearer {STUB_API_KEY}"
    assert (decision.usage.prompt_tokens, decision.usage.completion_tokens) == (1200, 150)
    assert decision.usage.cost_usd > 0


def test_stub_invalid_json_then_a_valid_repair(
    openai_stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    openai_stub.answer("{oops", answer(JOB))
    brain, _ = _stubbed(openai_stub, monkeypatch)
    assert brain.decide(PICTURE).brain == "llm"
    assert len(openai_stub.requests) == 2
    assert [m["role"] for m in openai_stub.requests[1]["messages"]] == [
        "system",
        "user",
        "assistant",
        "user",
    ]


def test_stub_invalid_twice_gives_the_rules_brain(
    openai_stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    openai_stub.answer("{oops", json.dumps({"summary": "no hours"}))
    brain, _ = _stubbed(openai_stub, monkeypatch)
    decision = brain.decide(PICTURE)
    assert decision.brain == "rules"
    assert "invalid JSON twice" in decision.why
    assert len(openai_stub.requests) == 2


def test_stub_timeout_gives_the_rules_brain_after_one_request(
    openai_stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    openai_stub.script.append(Reply(content=answer(JOB), delay=1.5))
    brain, _ = _stubbed(openai_stub, monkeypatch, timeout=0.3)
    started = time.monotonic()
    decision = brain.decide(PICTURE)
    assert time.monotonic() - started < 1.4
    assert decision.brain == "rules"
    assert "Timeout" in decision.why
    time.sleep(0.5)  # a retry, if any, would arrive now
    assert len(openai_stub.requests) == 1


def test_stub_server_error_gives_the_rules_brain_without_leaking_the_key(
    openai_stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    openai_stub.script.append(Reply(status=500, content=f"boom {STUB_API_KEY}"))
    brain, _ = _stubbed(openai_stub, monkeypatch)
    decision = brain.decide(PICTURE)
    assert decision.brain == "rules"
    assert "the model call failed" in decision.why
    assert STUB_API_KEY not in decision.why
    assert len(openai_stub.requests) == 1


def test_stub_foreign_issue_unknown_label_and_seven_actions_are_dropped(
    openai_stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits = [{"type": "wait", "reason": f"r{n}"} for n in range(5)]
    openai_stub.answer(answer(FOREIGN, UNKNOWN_LABEL, *waits, JOB))
    brain, _ = _stubbed(openai_stub, monkeypatch)
    decision = brain.decide(PICTURE)
    assert len(decision.actions) == 5
    assert _dropped(decision) == [
        "issue #41 is not one of Prime's own issues",
        "label(s) wontfix not in the allowed set",
        "more than 5 actions in one wake",
    ]


def test_stub_spent_budget_makes_no_request(
    openai_stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    openai_stub.answer(answer(JOB))
    brain, client = _stubbed(openai_stub, monkeypatch)
    spent = picture(
        (signal("license"),), state=PrimeState(cost=Spend(day="2026-11-21", usd_today=1.0))
    )
    assert brain.decide(spent).brain == "rules"
    assert openai_stub.requests == []
    assert client.calls == 0


def test_a_client_without_a_model_is_a_clear_error() -> None:
    with pytest.raises(LLMError, match=r"brain\.model"):
        LiteLLMClient(BrainSettings())
