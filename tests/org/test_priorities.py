"""`/prime priority` commands and how priorities weigh in."""

from __future__ import annotations

import pytest

from prime_action.config.org import OrgConfig
from prime_action.org.model import CommandComment, OrgState
from prime_action.org.priorities import (
    apply_commands,
    effective,
    factor,
    parse,
    pending_commands,
    points,
)


def comment(
    body: str, cid: int = 1, association: str = "MEMBER", author: str = "mona"
) -> CommandComment:
    return CommandComment(id=cid, author=author, association=association, body=body)


@pytest.mark.parametrize(
    ("body", "key", "weight", "note", "problem"),
    [
        (
            '/prime priority repo:acme/api +10 "customers wait"',
            "repo:acme/api",
            10.0,
            "customers wait",
            "",
        ),
        ("/prime priority signal:ci +5", "signal:ci", 5.0, "", ""),
        ("/prime priority signal:ci -2.5 less", "signal:ci", -2.5, "less", ""),
        ("/prime priority signal:ci clear", "signal:ci", None, "", ""),
        ("/prime priority signal:ci lots", "signal:ci", None, "", "weight"),
        ("/prime priority signal:ci +1000", "signal:ci", None, "", "weight"),
        ("/prime priority acme/api +1", "", None, "", "usage"),
        ('/prime priority repo:acme/api +1 "unclosed', "", None, "", "usage"),
    ],
)
def test_a_command_line_is_parsed_or_says_what_is_wrong(
    body: str, key: str, weight: float | None, note: str, problem: str
) -> None:
    (command,) = parse(comment(f"Please:\n{body}\nthanks"))
    assert (command.key, command.weight, command.note, command.problem) == (
        key,
        weight,
        note,
        problem,
    )


def test_commands_from_untrusted_authors_prime_and_applied_comments_are_ignored() -> None:
    config = OrgConfig()
    comments = (
        comment("/prime priority signal:ci +5", cid=1, association="NONE"),
        comment("/prime priority signal:ci +5", cid=2, author="github-actions[bot]"),
        comment("/prime priority signal:ci +5", cid=3),
        comment("/prime priority signal:ci +7", cid=4),
    )
    found = pending_commands(comments, OrgState(applied=(3,)), config.trust)
    assert [c.comment for c in found] == [4]


def test_applying_a_later_command_wins_and_clear_removes_the_key() -> None:
    commands = pending_commands(
        (
            comment("/prime priority signal:ci +5", cid=1),
            comment("/prime priority signal:ci +8\n/prime priority repo:acme/api -3", cid=2),
            comment("/prime priority repo:acme/api clear", cid=3),
        ),
        OrgState(),
        OrgConfig().trust,
    )
    state = apply_commands(OrgState(), commands)
    assert {k: v.weight for k, v in state.priorities.items()} == {"signal:ci": 8.0}
    assert state.applied == (1, 2, 3)
    assert state.priorities["signal:ci"].by == "mona"


def test_points_add_repo_and_signal_weights_and_a_command_overrides_the_config() -> None:
    config = OrgConfig.model_validate(
        {"priorities": {"repo:acme/api": {"weight": 4, "note": "core"}, "signal:ci": {"weight": 2}}}
    )
    state = apply_commands(OrgState(), parse(comment("/prime priority signal:ci +10")))
    assert points(config, OrgState(), "acme/api", "ci") == 6
    assert points(config, state, "acme/api", "ci") == 14
    assert points(config, state, "acme/web", "license") == 0
    assert effective(config, state)["signal:ci"] == (10.0, "", "@mona")
    assert effective(config, state)["repo:acme/api"] == (4.0, "core", "config")


@pytest.mark.parametrize(("value", "expected"), [(0, 1.0), (10, 2.0), (-5, 0.5), (-50, 0.1)])
def test_points_become_a_multiplier_that_never_reaches_zero(value: float, expected: float) -> None:
    assert factor(value) == expected
