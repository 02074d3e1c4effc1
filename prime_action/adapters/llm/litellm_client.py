"""litellm behind the LLM port: one request per call, structured output, errors as LLMError."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from prime_action.brain.llm import Completion, Message
from prime_action.brain.redact import redact
from prime_action.config.models import BrainSettings
from prime_action.domain.errors import LLMError
from prime_action.domain.models import Usage

# A decision is a few hundred tokens; the cap bounds the cost of a model that rambles.
MAX_COMPLETION_TOKENS = 2000


def load_litellm() -> Any:
    """Import litellm (about 5 s, so only when a call is made) with its price map offline.

    Raises:
        LLMError: litellm is not installed; the message says how to install it.
    """
    # Without this litellm downloads a price map at import time: a network call nobody asked for.
    os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
    try:
        import litellm  # noqa: PLC0415 - lazy: a wake without a model never pays for it
    except ImportError as e:
        msg = (
            "brain.model is set in .github/prime.yml but litellm is not installed; "
            "install the extra: pip install 'prime-action[llm]'"
        )
        raise LLMError(msg) from e
    litellm.suppress_debug_info = True
    return litellm


def _text(response: Any) -> str:
    message = response.choices[0].message
    if message.content:
        return str(message.content)
    calls = getattr(message, "tool_calls", None) or []
    if calls:  # providers that answer structured output through a tool call
        return str(calls[0].function.arguments)
    msg = "the model returned an empty answer"
    raise LLMError(msg)


def _cost(litellm: Any, response: Any) -> float:
    try:
        return float(litellm.completion_cost(completion_response=response) or 0.0)
    except Exception:  # a model without a known price costs what we can tell: nothing
        return 0.0


class LiteLLMClient:
    """Calls `brain.model` through litellm; API keys come from the environment only."""

    def __init__(self, settings: BrainSettings, options: Mapping[str, Any] | None = None) -> None:
        """Args:
        settings: the `brain` config section (model, api_base, timeout).
        options: extra litellm arguments (tests pass `mock_response`, `mock_timeout`).
        """
        if not settings.model:
            msg = "LiteLLMClient needs brain.model"
            raise LLMError(msg)
        self._settings = settings
        self._options = dict(options or {})
        self.calls = 0

    def complete(self, messages: tuple[Message, ...], schema: dict[str, Any]) -> Completion:
        """One completion request (no retries: the brain decides what a failure means)."""
        litellm = load_litellm()
        self.calls += 1
        try:
            response = litellm.completion(**self._arguments(messages, schema))
        except Exception as e:
            # litellm's errors can echo request details; never let a key through.
            msg = f"{self._settings.model}: {type(e).__name__}: {redact(str(e))[:500]}"
            raise LLMError(msg) from e
        usage = getattr(response, "usage", None)
        return Completion(
            text=_text(response),
            usage=Usage(
                prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
                cost_usd=_cost(litellm, response),
            ),
        )

    def _arguments(self, messages: tuple[Message, ...], schema: dict[str, Any]) -> dict[str, Any]:
        settings = self._settings
        arguments: dict[str, Any] = {
            "model": settings.model,
            "messages": [m.model_dump() for m in messages],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "prime_decision", "schema": schema, "strict": False},
            },
            "timeout": settings.timeout_seconds,
            "max_tokens": MAX_COMPLETION_TOKENS,
            # One wake, one request: neither litellm nor the OpenAI client retries on its own.
            "num_retries": 0,
            "max_retries": 0,
            # A provider without structured output gets the schema in the prompt only.
            "drop_params": True,
        }
        if settings.api_base:
            arguments["api_base"] = settings.api_base
        return {**arguments, **self._options}
