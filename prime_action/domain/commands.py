"""The `/prime` command words a trusted maintainer may write, shared by the router and the wake."""

from __future__ import annotations

import re

# A command word and the words after it: `("skip", ("ci",))` for `/prime skip ci`.
Command = tuple[str, tuple[str, ...]]

COMMANDS = ("wake", "pause", "resume", "skip", "retry", "run", "status", "priority")
# Commands that name a signal: `/prime skip ci`, the dashboard's retry and run-now boxes,
# `/prime priority ci up` (and the dashboard's box that clears a priority).
PER_SIGNAL = ("skip", "retry", "run", "priority")
# What `/prime priority SIGNAL ...` may say: up first, down last, clear back to usual.
DIRECTIONS = ("up", "down", "clear")


def mentions(body: str, login: str | None) -> bool:
    """Whether a comment mentions `@login` where GitHub would notify (not inside a word).

    Args:
        body: the comment's text.
        login: the login a mention must name; None or empty never matches.

    Returns:
        True when the text names `@login`, in any case.
    """
    if not login:
        return False
    pattern = rf"(?<![\w@`/.\-])@{re.escape(login.lstrip('@'))}(?![\w-])"
    return re.search(pattern, body, flags=re.IGNORECASE) is not None
