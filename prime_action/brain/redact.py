"""Secrets never reach a prompt, a stored prompt or `prime explain`: credentials are masked.

The shapes come from detect-secrets' plugins (Yelp's maintained detectors: AWS, Azure, basic
auth in URLs, GitHub, GitLab, JWT, Slack, Stripe, private keys, keyword assignments, ...),
plus the few shapes it does not know yet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.plugins.base import BasePlugin, RegexBasedDetector

MASK = "[REDACTED]"

# detect-secrets' detectors that are not about credentials (public IP addresses), or that
# would mask every commit SHA and checksum in a prompt (high-entropy strings).
_NOT_CREDENTIALS = frozenset(
    {"IPPublicDetector", "Base64HighEntropyString", "HexHighEntropyString"}
)
# What a detector's match may carry around the secret (its pattern's delimiters): kept.
_AROUND = " \t\"'=:"
# Shapes detect-secrets 1.5 lacks, and this project's older list (applied first: a whole private
# key block, not only its header). A false positive costs a few
# characters of context; a false negative leaks a key to a model provider.
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\bhf_[A-Za-z0-9]{30,}"),
    re.compile(r"\bnpm_[A-Za-z0-9]{36}"),
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
    r"(?i)\b([A-Z0-9_]*(?:api[_-]?key|access[_-]?key|account[_-]?key|token|secret|password"
    r"|passwd)[A-Z0-9_]*)"
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
    found = {v for v in known if len(v) >= 8} | _keyword_values(text)
    for value in sorted(found, key=len, reverse=True):
        text = text.replace(value, MASK)
    for pattern in (*_PATTERNS, *_detectors()[0]):
        text = pattern.sub(_masked, text)
    return _ASSIGNMENT.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{MASK}", text)


@functools.cache
def _detectors() -> tuple[tuple[re.Pattern[str], ...], tuple[BasePlugin, ...]]:
    """detect-secrets' credential detectors: their patterns, and those that read context."""
    patterns: list[re.Pattern[str]] = []
    readers: list[BasePlugin] = []
    # Its annotation (dict[str, Type[TypeVar]]) reads as type[Never] to mypy.
    known: dict[str, type[BasePlugin]] = dict(get_mapping_from_secret_type_to_class())
    for plugin in known.values():
        if plugin.__name__ in _NOT_CREDENTIALS:
            continue
        if issubclass(plugin, RegexBasedDetector):
            patterns.extend(plugin().denylist)
        else:
            readers.append(plugin())
    return tuple(patterns), tuple(readers)


def _keyword_values(text: str) -> set[str]:
    """Values that detect-secrets' context readers (`password = "..."`) find, line by line."""
    values: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for reader in _detectors()[1]:
            for secret in reader.analyze_line(filename="text.md", line=line, line_number=number):
                if secret.secret_value and len(secret.secret_value) >= 8:
                    values.add(secret.secret_value)
    return values


def _masked(match: re.Match[str]) -> str:
    """The match masked, keeping the delimiters a detector's pattern takes in around it."""
    whole = match.group(0)
    lead = len(whole) - len(whole.lstrip(_AROUND))
    trail = len(whole) - len(whole.rstrip(_AROUND))
    return f"{whole[:lead]}{MASK}{whole[len(whole) - trail :]}" if lead < len(whole) else MASK
