"""Secrets are masked before any text reaches a prompt, a stored prompt or the terminal."""

from __future__ import annotations

import pytest

from prime_action.brain.redact import MASK, redact


@pytest.mark.parametrize(
    "secret",
    [
        "ghp_" + "a1B2" * 9,
        "github_pat_" + "x" * 30,
        "sk-proj-" + "Q" * 40,
        "sk-ant-api03-" + "z" * 30,
        "AKIA" + "ABCDEFGHIJKLMNOP",
        "xoxb-1234567890-abcdef",
        "AIza" + "b" * 35,
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
    ],
)
def test_credential_shapes_are_masked(secret: str) -> None:
    masked = redact(f"before {secret} after")
    assert secret not in masked
    assert masked == f"before {MASK} after"


def test_assignments_keep_the_name_and_lose_the_value() -> None:
    assert redact('OPENAI_API_KEY="abc123def456"') == f'OPENAI_API_KEY="{MASK}"'
    assert redact("password: hunter2hunter2") == f"password: {MASK}"


def test_known_values_are_masked_and_short_ones_ignored() -> None:
    assert redact("key=zzzz plain ab", known=("plain-value-123", "ab")) == "key=zzzz plain ab"
    assert redact("use plain-value-123 here", known=("plain-value-123",)) == f"use {MASK} here"


def test_ordinary_text_is_left_alone() -> None:
    text = "CI fails on main: ruff reports 3 errors in src/app.py (skipped tokens: 12)"
    assert redact(text) == text
