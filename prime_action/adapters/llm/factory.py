"""Which brain decides a wake: the rules brain, or the LLM brain when a model is configured."""

from __future__ import annotations

from collections.abc import Callable

from prime_action.brain.port import Brain
from prime_action.brain.prompt import PromptContext
from prime_action.brain.rules import RulesBrain
from prime_action.config.models import BrainSettings


def brain_for(settings: BrainSettings, context: Callable[[], PromptContext]) -> Brain:
    """The brain for `brain` settings: rules with no model, else LLM with rules as fallback.

    Args:
        settings: the `brain` section of the config.
        context: builds the prompt's identity files and event text; called only when a
            model call is about to be made (reading CLAUDE.md may cost requests).

    Returns:
        A brain; building it imports neither litellm nor the LLM brain without a model.
    """
    if not settings.model:
        return RulesBrain()
    # The LLM brain and its adapter are imported here, not at the top: a rules wake skips them.
    from prime_action.adapters.llm.litellm_client import LiteLLMClient  # noqa: PLC0415
    from prime_action.brain.llm import LLMBrain  # noqa: PLC0415

    return LLMBrain(settings, LiteLLMClient(settings), context, RulesBrain())


def with_model(settings: BrainSettings, model: str | None) -> BrainSettings:
    """The settings with the action's `model` input (PRIME_MODEL), when given, as brain.model."""
    return settings.model_copy(update={"model": model}) if model else settings
