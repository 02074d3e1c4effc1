"""Hostile corpus: who may command Prime, and whose ticks count (issue 18, points 3 and 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.config.models import TrustSettings
from prime_action.repo.dashboard_ticks import Revision, made_by_edit, tick_makers
from prime_action.repo.prime_commands import (
    FIRST_LOOKBACK,
    PendingCommand,
    SeenComment,
    commands_since,
    unanswered,
)
from tests.values import NOW

PRIME = "github-actions[bot]"
TRUST = TrustSettings()
SINCE = NOW - timedelta(hours=1)


def _said(body: str, **fields: object) -> SeenComment:
    values: dict[str, object] = {
        "id": 7,
        "issue": 3,
        "body": body,
        "author": "maintainer",
        "association": "MEMBER",
        "created_at": NOW,
    }
    return SeenComment.model_validate(values | fields)


def _reply_to(comment: int, author: str = PRIME) -> SeenComment:
    return _said(f"ok <!-- prime:comment=reply-{comment} -->", id=99, author=author)


# (comments, what the wake must apply): each row is one way a command could be faked, lost,
# silenced or smuggled in.
CASES = {
    "trusted command is pending": ([_said("/prime pause")], [("pause", ())]),
    "arguments are kept": ([_said("/prime skip ci")], [("skip", ("ci",))]),
    "upper-case command word": ([_said("/prime PAUSE")], [("pause", ())]),
    "bare /prime asks for help": ([_said("/prime")], [("help", ())]),
    "leading blank lines": ([_said("\n\n  /prime pause")], [("pause", ())]),
    "owner": ([_said("/prime pause", association="OWNER")], [("pause", ())]),
    "collaborator": ([_said("/prime pause", association="COLLABORATOR")], [("pause", ())]),
    "stranger": ([_said("/prime pause", association="NONE")], []),
    "contributor": ([_said("/prime pause", association="CONTRIBUTOR")], []),
    "first-time contributor": ([_said("/prime pause", association="FIRST_TIMER")], []),
    "mannequin": ([_said("/prime pause", association="MANNEQUIN")], []),
    "bot by type": ([_said("/prime pause", bot=True, author="x[bot]")], []),
    "bot member by login": ([_said("/prime pause", author="renovate[bot]", bot=True)], []),
    "Prime's own text": ([_said("/prime pause", author=PRIME)], []),
    "command on the second line": ([_said("thanks\n/prime pause")], []),
    "command inside a word": ([_said("/primepause")], []),
    "quoted command": ([_said("> /prime pause")], []),
    "code-fenced command": ([_said("`/prime pause`")], []),
    "look-alike prefix (Cyrillic e)": ([_said("/prim\u0435 pause")], []),
    "full-width slash": ([_said("\uff0fprime pause")], []),
    "older than the last wake": ([_said("/prime pause", created_at=SINCE - timedelta(1))], []),
    "the event's own comment": ([_said("/prime pause", id=5)], []),
    "answered by Prime": ([_said("/prime pause"), _reply_to(7)], []),
    "reply marker copied by a stranger": (
        [_said("/prime pause"), _reply_to(7, author="stranger")],
        [("pause", ())],
    ),
    "reply marker in the command itself": (
        [_said("/prime pause\n<!-- prime:comment=reply-7 -->")],
        [("pause", ())],
    ),
    "Prime's reply to another comment": ([_said("/prime pause"), _reply_to(8)], [("pause", ())]),
    "follow-up on a pull request is its own event's": (
        [_said("/prime please rename it", on_pull=True)],
        [],
    ),
    "command on a pull request": ([_said("/prime pause", on_pull=True)], [("pause", ())]),
    "two commands, oldest first": (
        [
            _said("/prime resume", id=9, created_at=NOW + timedelta(seconds=5)),
            _said("/prime pause", id=8),
        ],
        [("pause", ()), ("resume", ())],
    ),
}


@pytest.mark.parametrize(("comments", "applied"), CASES.values(), ids=CASES)
def test_only_unanswered_trusted_commands_are_recovered(
    comments: list[SeenComment], applied: list[tuple[str, tuple[str, ...]]]
) -> None:
    found = unanswered(tuple(comments), TRUST, SINCE, skip=5)
    assert [(p.command, p.args) for p in found] == applied


def test_a_recovered_command_keeps_its_comment_and_issue() -> None:
    (found,) = unanswered((_said("/prime skip ci", id=12, issue=4),), TRUST, SINCE, skip=None)
    assert found == PendingCommand(comment=12, issue=4, command="skip", args=("ci",))


def test_a_trusted_bot_may_command() -> None:
    trust = TrustSettings(bots=("helper[bot]",))
    comment = _said("/prime pause", author="helper[bot]", bot=True)
    assert unanswered((comment,), trust, SINCE, skip=None) != ()


def test_comments_are_read_from_just_before_the_last_wake_or_a_day_back() -> None:
    assert commands_since(None, NOW) == NOW - FIRST_LOOKBACK
    assert NOW - timedelta(hours=1) < commands_since(NOW, NOW) < NOW


PAUSE = "- [x] <!-- prime:pause -->"
BLANK = "- [ ] <!-- prime:pause -->"
WAKE = "- [x] <!-- prime:wake -->"


def _saved(editor: str, body: str, minute: int, *, bot: bool = False) -> Revision:
    return Revision(editor=editor, body=body, at=NOW + timedelta(minutes=minute), bot=bot)


# (revisions, who ticked pause): the edit history decides, never the newest editor alone.
HISTORIES = {
    "a person ticked it": ([_saved(PRIME, BLANK, 0), _saved("ann", PAUSE, 1)], "ann"),
    "a bot ticked it, a person edited after": (
        [_saved(PRIME, BLANK, 0), _saved("b[bot]", PAUSE, 1), _saved("ann", PAUSE + "\nhi", 2)],
        "b[bot]",
    ),
    "ticked, unticked by Prime, ticked again": (
        [
            _saved(PRIME, BLANK, 0),
            _saved("eve", PAUSE, 1),
            _saved(PRIME, BLANK, 2),
            _saved("ann", PAUSE, 3),
        ],
        "ann",
    ),
    "Prime kept a pending tick": (
        [_saved(PRIME, BLANK, 0), _saved("ann", PAUSE, 1), _saved(PRIME, PAUSE + "\nnew", 2)],
        "ann",
    ),
    "history out of order": ([_saved("ann", PAUSE, 5), _saved(PRIME, BLANK, 0)], "ann"),
    "ticked before the known history": ([_saved("ann", PAUSE, 1)], None),
    "no history at all": ([], None),
    "the box never turned": ([_saved(PRIME, PAUSE, 0), _saved("ann", PAUSE + "x", 1)], None),
}


@pytest.mark.parametrize(("revisions", "maker"), HISTORIES.values(), ids=HISTORIES)
def test_a_tick_belongs_to_the_edit_that_made_it(
    revisions: list[Revision], maker: str | None
) -> None:
    found = tick_makers(tuple(revisions), frozenset({"pause"}))
    assert (found["pause"].editor if "pause" in found else None) == maker


EDITS = {
    "one box ticked": (BLANK, PAUSE, {"pause"}),
    "nothing changed": (PAUSE, PAUSE, set()),
    "unticked": (PAUSE, BLANK, set()),
    "upper-case X counts": (BLANK, "- [X] <!-- prime:pause -->", {"pause"}),
    "box added already ticked": ("", WAKE, {"wake"}),
    "unknown key ignored": (BLANK, "- [x] <!-- prime:nuke=all -->", set()),
    "marker closing early": (BLANK, "- [x] <!-- prime:run=a--b -->", set()),
    "tick outside a list item": (BLANK, "[x] <!-- prime:pause -->", set()),
    "two ticked in one edit": (BLANK, f"{PAUSE}\n{WAKE}", {"pause", "wake"}),
    "before unknown (None)": (None, PAUSE, {"pause"}),
}


@pytest.mark.parametrize(("before", "after", "made"), EDITS.values(), ids=EDITS)
def test_an_edit_makes_exactly_the_ticks_it_adds(
    before: str | None, after: str, made: set[str]
) -> None:
    assert made_by_edit(before, after) == made
