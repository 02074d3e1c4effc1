"""Secrets never reach a prompt, a stored prompt or `prime explain`: credentials are masked."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[REDACTED]"

# Shapes of credentials that show up in repositories and logs. A false positive costs a few
# characters of context; a false negative leaks a key to a model provider.
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),
    re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    re.compile(r"\bAIza[0-9A-Za-z_-]{35}"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/-]{16,}=*"),
)
# `api_key = "..."`, `TOKEN: ...`: keep the name (it explains the context), mask the value.
_ASSIGNMENT = re.compile(
    r"(?i)\b([A-Z0-9_]*(?:api[_-]?key|token|secret|password|passwd)[A-Z0-9_]*)"
    r"(\s*[:=]\s*)(['\"]?)([^\s'\"]{8,})"
)


def redact(text: str, known: Iterable[str] = ()) -> str:
    """Mask every credential-shaped string and every known secret value in `text`.

    Args:
        text: any text headed for a prompt, a file or the terminal.
        known: exact secret values to mask too (e.g. API keys the shell passes in);
            values shorter than 8 characters are ignored, they would mask ordinary words.

    Returns:
        The text with each secret replaced by `[REDACTED]`.
    """
    for value in sorted({v for v in known if len(v) >= 8}, key=len, reverse=True):
        text = text.replace(value, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return _ASSIGNMENT.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{MASK}", text)
