"""Untrusted text made safe for a GitHub Markdown body, and the size GitHub allows a body."""

from __future__ import annotations

import re

# GitHub refuses an issue body of 65,536 characters or more.
BODY_LIMIT = 65_536
# Every piece of untrusted text is clipped, so the header and controls (whose other parts
# are bounded) always fit, whatever a file name or a PR title holds.
MAX_TEXT = 400
_COMMENT = re.compile(r"<!--|-->")


def safe_text(value: object) -> str:
    """Untrusted text made safe for one line of Markdown.

    Comment delimiters are removed so no one can forge a marker, `<` is escaped so no HTML
    (an unclosed `<details>`...) can swallow the rest of the body, and newlines are folded
    so the text cannot start a heading, a list item or a box of its own.
    """
    text = str(value)
    while _COMMENT.search(text):
        text = _COMMENT.sub("", text)
    text = " ".join(text.replace("<", "&lt;").split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def safe_cell(value: object) -> str:
    """Untrusted text made safe for a table cell: `|` would start a new column."""
    return safe_text(value).replace("\\", "\\\\").replace("|", "\\|")


def unmarked(value: object) -> str:
    """Untrusted lines for a fenced block: comment delimiters removed (no forged marker), the
    lines kept. Inside a fence, nothing else in them is Markdown (nor a mention)."""
    text = str(value)
    while _COMMENT.search(text):
        text = _COMMENT.sub("", text)
    return text
