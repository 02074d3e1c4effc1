"""The LLM brain: one structured decision per wake, a repair retry, the rules brain as fallback."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Literal, Protocol

from pydantic import Field, ValidationError

from prime_action.brain.budget import budget_refusal
from prime_action.brain.policy import clamp_hours, screen
from prime_action.brain.port import Brain, BrainInput
from prime_action.brain.prompt import Prompt, PromptContext, build_prompt
from prime_action.config.models import BrainSettings
from prime_action.domain.conversation import Answer, PriorityChange
from prime_action.domain.errors import LLMError
from prime_action.domain.models import Action, Decision, Usage
from prime_action.domain.values import Frozen

# How much of an invalid answer goes back to the model with the repair request.
REPAIR_ECHO_CHARS = 2000


class Message(Frozen):
    """One chat message."""

    role: Literal["system", "user", "assistant"]
    content: str


class Completion(Frozen):
    """What one model call returned: its text and what it cost."""

    text: str
    usage: Usage = Usage()


class LLM(Protocol):
    """A chat model that answers with JSON (the litellm adapter; fakes in tests)."""

    # One request; raise LLMError on a timeout, an HTTP error or an empty answer.
    def complete(self, messages: tuple[Message, ...], schema: dict[str, Any]) -> Completion: ...


class Proposal(Frozen):
    """A model's answer: actions stay raw so one bad action is dropped, not the decision."""

    summary: str = Field(min_length=1, max_length=300)
    why: str = Field(default="", max_length=4000)
    next_wake_hours: float = Field(gt=0)
    actions: tuple[dict[str, Any], ...] = ()
    # The answer to the maintainers' messages (policy drops it in a wake without one).
    reply: str = Field(default="", max_length=8000)
    priorities: tuple[PriorityChange, ...] = ()
    skip: tuple[str, ...] = ()

    def answer(self, asked: bool) -> Answer | None:
        """The answer part, when there was a message or the model wrote one anyway."""
        if not (asked or self.reply or self.priorities or self.skip):
            return None
        return Answer(reply=self.reply, priorities=self.priorities, skip=self.skip)


class _ProposalSchema(Frozen):
    """The JSON Schema given to the model (the typed twin of Proposal)."""

    summary: str
    why: str
    next_wake_hours: float
    actions: list[Action]
    reply: str
    priorities: list[PriorityChange]
    skip: list[str]


def decision_schema() -> dict[str, Any]:
    """The JSON Schema of the answer, for structured output."""
    return _ProposalSchema.model_json_schema()


def parse_proposal(text: str) -> Proposal:
    """The proposal in a model's answer (a ```json fence around it is tolerated).

    Raises:
        ValueError: the answer is not JSON or not a proposal; the message says why.
    """
    stripped = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", text)
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError as e:
        msg = f"not JSON ({e.msg} at line {e.lineno} column {e.colno})"
        raise ValueError(msg) from e
    try:
        return Proposal.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the answer"
        msg = f"not a decision ({where}: {first['msg']}; {e.error_count()} error(s))"
        raise ValueError(msg) from e


def _add(a: Usage, b: Usage) -> Usage:
    return Usage(
        prompt_tokens=a.prompt_tokens + b.prompt_tokens,
        completion_tokens=a.completion_tokens + b.completion_tokens,
        cost_usd=a.cost_usd + b.cost_usd,
    )


def _repair(messages: tuple[Message, ...], answer: str, error: str) -> tuple[Message, ...]:
    return (
        *messages,
        Message(role="assistant", content=answer[:REPAIR_ECHO_CHARS]),
        Message(
            role="user",
            content=f"That answer is invalid: {error}. Reply again with only the JSON object "
            "described above: summary, why, next_wake_hours, actions, reply, priorities, skip.",
        ),
    )


class LLMBrain:
    """Decides through a model; falls back to `fallback` and says why whenever that fails."""

    def __init__(
        self,
        settings: BrainSettings,
        llm: LLM,
        context: Callable[[], PromptContext],
        fallback: Brain,
    ) -> None:
        self._settings = settings
        self._llm = llm
        # Called only when a model call will be made: reading CLAUDE.md costs requests.
        self._context = context
        self._fallback = fallback

    def decide(self, picture: BrainInput) -> Decision:
        """One decision: the model's, policy-checked, or the rules brain's with the reason."""
        if picture.state.status == "paused":
            # A paused Prime takes no action whatever a model says: a call would be waste.
            return self._fallback.decide(picture)
        refusal = budget_refusal(picture.state.cost, self._settings.budget_usd_per_day, picture.now)
        if refusal:
            return self._fall_back(picture, refusal, Usage(), "")
        prompt = build_prompt(picture, self._context(), self._settings.prompt_token_budget)
        messages = (
            Message(role="system", content=prompt.system),
            Message(role="user", content=prompt.user),
        )
        return self._ask(picture, prompt, messages)

    def _ask(self, picture: BrainInput, prompt: Prompt, messages: tuple[Message, ...]) -> Decision:
        usage = Usage()
        error = ""
        for attempt in ("first answer", "repaired answer"):
            try:
                answer = self._llm.complete(messages, decision_schema())
            except LLMError as e:
                return self._fall_back(picture, f"the model call failed: {e}", usage, prompt)
            usage = _add(usage, answer.usage)
            try:
                proposal = parse_proposal(answer.text)
            except ValueError as e:
                error = f"{attempt}: {e}"
                messages = _repair(messages, answer.text, str(e))
                continue
            return self._admit(picture, proposal, usage, prompt)
        return self._fall_back(
            picture, f"the model answered invalid JSON twice ({error})", usage, prompt
        )

    def _admit(
        self, picture: BrainInput, proposal: Proposal, usage: Usage, prompt: Prompt
    ) -> Decision:
        actions, dropped = screen(proposal.actions, picture)
        return Decision(
            actions=actions,
            dropped=dropped,
            next_wake_hours=clamp_hours(proposal.next_wake_hours, picture),
            summary=proposal.summary,
            why=proposal.why,
            brain="llm",
            usage=usage,
            prompt=prompt.text(),
            answer=proposal.answer(bool(picture.messages)),
        )

    def _fall_back(
        self, picture: BrainInput, reason: str, usage: Usage, prompt: Prompt | str
    ) -> Decision:
        rules = self._fallback.decide(picture)
        return rules.model_copy(
            update={
                "why": f"The LLM brain did not decide: {reason}. {rules.why}",
                "usage": usage,
                "prompt": prompt.text() if isinstance(prompt, Prompt) else prompt,
            }
        )
