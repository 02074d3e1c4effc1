"""Fixtures for the litellm adapter's tests: the OpenAI-compatible stub on 127.0.0.1."""

from testing.llm import openai_stub

__all__ = ["openai_stub"]
