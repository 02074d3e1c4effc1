"""`/prime` commands from trusted maintainers, applied to the working memory as pure updates."""

from __future__ import annotations

from prime_action.domain.commands import COMMANDS, PER_SIGNAL
from prime_action.domain.models import Frozen, PrimeState


class CommandOutcome(Frozen):
    """The state after a command and which reply to render (a template key)."""

    state: PrimeState
    reply: str
    signal: str | None = None


def _needs_signal(command: str, args: tuple[str, ...], known: set[str]) -> str | None:
    if not args:
        return "missing-signal"
    if args[0] not in known:
        return "unknown-signal"
    return None


def apply_command(
    state: PrimeState, command: str, args: tuple[str, ...], known_signals: set[str]
) -> CommandOutcome:
    """Apply one `/prime` command.

    Args:
        state: the working memory before the command.
        command: the command word (`skip` for `/prime skip ci`).
        args: the words after it.
        known_signals: names of the signals this repository has.

    Returns:
        The new state and the reply key: the command's name when it worked, or `help`,
        `missing-signal`, `unknown-signal`. `run SIGNAL` clears the signal's holds like
        `retry`; the wake then submits its job first, past `jobs.max_in_flight`.
    """
    if command not in COMMANDS:
        return CommandOutcome(state=state, reply="help")
    if command in PER_SIGNAL:
        problem = _needs_signal(command, args, known_signals)
        if problem:
            return CommandOutcome(state=state, reply=problem, signal=args[0] if args else None)
        return CommandOutcome(
            state=_per_signal(state, command, args[0]), reply=command, signal=args[0]
        )
    updates = {"pause": {"status": "paused"}, "resume": {"status": "active"}}.get(command, {})
    return CommandOutcome(state=state.model_copy(update=updates), reply=command)


def _per_signal(state: PrimeState, command: str, signal: str) -> PrimeState:
    if command == "skip":
        skipped = tuple(sorted({*state.skipped, signal}))
        return state.model_copy(update={"skipped": skipped})
    # retry and run: forget every reason to hold the signal back, and un-skip it; `run`
    # also puts the signal first in this wake's plan (see `prepare`).
    return state.model_copy(
        update={
            "skipped": tuple(s for s in state.skipped if s != signal),
            "blocked": {k: v for k, v in state.blocked.items() if k != signal},
            "refused": {k: v for k, v in state.refused.items() if k != signal},
            "cooldown_until": {k: v for k, v in state.cooldown_until.items() if k != signal},
        }
    )
