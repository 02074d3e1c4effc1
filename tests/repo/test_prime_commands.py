"""`/prime` commands are pure updates of the working memory with a reply key."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.domain.conversation import Priority
from prime_action.domain.models import PrimeState
from prime_action.repo.prime_commands import apply_command
from tests.values import NOW

KNOWN = {"ci", "license"}
HELD = PrimeState(
    skipped=("license",),
    blocked={"license": "fp"},
    refused={"license": "fp"},
    cooldown_until={"license": NOW + timedelta(hours=1)},
)


@pytest.mark.parametrize(
    ("command", "args", "reply", "check"),
    [
        ("pause", (), "pause", lambda s: s.status == "paused"),
        ("resume", (), "resume", lambda s: s.status == "active"),
        ("wake", (), "wake", lambda s: s == PrimeState()),
        ("status", (), "status", lambda s: s == PrimeState()),
        ("skip", ("ci",), "skip", lambda s: s.skipped == ("ci",)),
        ("skip", (), "missing-signal", lambda s: s.skipped == ()),
        ("skip", ("nope",), "unknown-signal", lambda s: s.skipped == ()),
        ("dance", (), "help", lambda s: s == PrimeState()),
    ],
)
def test_command_updates_state_and_picks_a_reply(command, args, reply, check) -> None:  # type: ignore[no-untyped-def]
    outcome = apply_command(PrimeState(), command, args, KNOWN)
    assert outcome.reply == reply
    assert check(outcome.state)


def test_retry_forgets_every_reason_to_hold_a_signal_back() -> None:
    outcome = apply_command(HELD, "retry", ("license",), KNOWN)
    assert outcome.state.skipped == ()
    assert outcome.state.blocked == {}
    assert outcome.state.refused == {}
    assert outcome.state.cooldown_until == {}


UNTIL = NOW + timedelta(days=7)


@pytest.mark.parametrize(
    ("args", "reply", "priorities"),
    [
        (("ci", "up"), "priority-up", {"ci": Priority(direction="up", until=UNTIL)}),
        (("ci", "DOWN"), "priority-down", {"ci": Priority(direction="down", until=UNTIL)}),
        (("license", "clear"), "priority-clear", {}),
        (("ci", "sideways"), "priority-usage", {"license": Priority(direction="up", until=NOW)}),
        (("ci",), "priority-usage", {"license": Priority(direction="up", until=NOW)}),
        (("nope", "up"), "unknown-signal", {"license": Priority(direction="up", until=NOW)}),
    ],
)
def test_priority_command_sets_or_clears_one_signals_priority(
    args: tuple[str, ...], reply: str, priorities: dict[str, Priority]
) -> None:
    state = PrimeState(priorities={"license": Priority(direction="up", until=NOW)})
    if args[0] == "ci" and reply.startswith("priority-") and reply != "priority-usage":
        priorities = {**state.priorities, **priorities}
    outcome = apply_command(state, "priority", args, KNOWN, UNTIL)
    assert outcome.reply == reply
    assert outcome.state.priorities == priorities


def test_a_priority_cannot_be_set_without_an_expiry() -> None:
    outcome = apply_command(PrimeState(), "priority", ("ci", "up"), KNOWN)
    assert (outcome.reply, outcome.state.priorities) == ("priority-usage", {})
