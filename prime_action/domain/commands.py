"""The `/prime` command words a trusted maintainer may write, shared by the router and the wake."""

from __future__ import annotations

# A command word and the words after it: `("skip", ("ci",))` for `/prime skip ci`.
Command = tuple[str, tuple[str, ...]]

COMMANDS = ("wake", "pause", "resume", "skip", "retry", "run", "status")
# Commands that name a signal: `/prime skip ci`, the dashboard's retry and run-now boxes.
PER_SIGNAL = ("skip", "retry", "run")
