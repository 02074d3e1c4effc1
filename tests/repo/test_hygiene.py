"""PR hygiene as a pure plan: refresh, close as superseded or stale, or note once in the body."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from prime_action.domain.models import PrimeState
from prime_action.repo.effects import ClosePull, Effect, NotePull, RefreshPull, ReworkPull
from prime_action.repo.hygiene import HUMAN_NOTE, MANUAL_NOTE, PrimePull, cool_down, plan_hygiene
from tests.values import NOW


def pull(number: int, *signals: str, days_idle: float = 1, **extra: Any) -> PrimePull:
    """An open Prime PR on `prime/<first signal>`, clean and refreshable unless told."""
    names = signals or ("editorconfig",)
    fields: dict[str, Any] = {
        "number": number,
        "branch": f"prime/{names[0]}",
        "base": "main",
        "signals": names,
        "created_at": NOW - timedelta(days=days_idle + 1),
        "updated_at": NOW - timedelta(days=days_idle),
        "mergeable": True,
        "refreshable": True,
        **extra,
    }
    return PrimePull.model_validate(fields)


def what(effects: tuple[Effect, ...]) -> list[tuple[str, int, str]]:
    """Each effect as (kind, PR number, detail)."""
    shown: list[tuple[str, int, str]] = []
    for effect in effects:
        if isinstance(effect, ClosePull):
            shown.append(("close", effect.number, f"{effect.why}:{effect.by}"))
        elif isinstance(effect, RefreshPull):
            shown.append(("refresh", effect.number, ",".join(effect.signals)))
        elif isinstance(effect, NotePull):
            shown.append(("note", effect.number, effect.marker))
    return shown


@pytest.mark.parametrize(
    ("pulls", "idle_days", "expected"),
    [
        pytest.param((pull(3),), 30, [], id="a_fresh_clean_pr_is_left_alone"),
        pytest.param((pull(3, mergeable=None),), 30, [], id="unknown_mergeability_waits"),
        pytest.param(
            (pull(3, mergeable=False),),
            30,
            [("refresh", 3, "editorconfig")],
            id="a_conflicted_fileops_pr_is_refreshed",
        ),
        pytest.param(
            (pull(3, mergeable=False, refreshable=False),),
            30,
            [("note", 3, MANUAL_NOTE)],
            id="a_conflicted_agent_pr_gets_a_body_note",
        ),
        pytest.param(
            (pull(3, mergeable=False, refreshable=False, notes=(MANUAL_NOTE,)),),
            30,
            [],
            id="the_body_note_is_written_once",
        ),
        pytest.param(
            (pull(3, mergeable=False, human_commits=1),),
            30,
            [("note", 3, HUMAN_NOTE)],
            id="a_conflicted_pr_with_a_human_commit_is_never_refreshed",
        ),
        pytest.param(
            (pull(3, mergeable=False, human_commits=1, notes=(HUMAN_NOTE,)),),
            30,
            [],
            id="the_human_commit_note_is_written_once",
        ),
        pytest.param(
            (pull(3, days_idle=45, human_commits=2),),
            30,
            [],
            id="an_idle_pr_with_a_human_commit_is_not_closed",
        ),
        pytest.param(
            (pull(3, days_idle=30),), 30, [("close", 3, "stale:None")], id="idle_30_days_is_stale"
        ),
        pytest.param((pull(3, days_idle=29.9),), 30, [], id="idle_under_30_days_is_kept"),
        pytest.param((pull(3, days_idle=400),), 0, [], id="zero_days_never_closes"),
        pytest.param(
            (pull(3, days_idle=40, mergeable=False),),
            30,
            [("close", 3, "stale:None")],
            id="a_stale_conflicted_pr_is_closed_not_refreshed",
        ),
        pytest.param(
            (pull(3), pull(7, "editorconfig", "license")),
            30,
            [("close", 3, "superseded:7")],
            id="a_group_covering_its_signal_supersedes_it",
        ),
        pytest.param(
            (pull(3, "editorconfig", "license"), pull(7, "editorconfig")),
            30,
            [],
            id="a_pr_covering_part_of_a_group_does_not",
        ),
        pytest.param(
            (pull(3, content="abc"), pull(5, "other", content="abc")),
            30,
            [("close", 3, "superseded:5")],
            id="the_same_content_marker_supersedes",
        ),
        pytest.param(
            (pull(3), pull(5), pull(8)),
            30,
            [("close", 3, "superseded:8"), ("close", 5, "superseded:8")],
            id="every_older_pr_names_the_newest_replacement",
        ),
        pytest.param(
            (pull(3, human_commits=1), pull(5)),
            30,
            [],
            id="a_pr_with_a_human_commit_is_not_closed_as_superseded",
        ),
    ],
)
def test_plan_hygiene(
    pulls: tuple[PrimePull, ...], idle_days: int, expected: list[tuple[str, int, str]]
) -> None:
    assert what(plan_hygiene(pulls, idle_days=idle_days, now=NOW)) == expected


def test_the_stale_comment_says_why_and_how_to_get_it_back() -> None:
    (effect,) = plan_hygiene((pull(3, days_idle=31),), idle_days=30, now=NOW)
    assert isinstance(effect, ClosePull)
    assert effect.body.startswith("<!-- prime:comment=stale-3 -->")
    assert "for 30 days" in effect.body
    assert 'not a "no"' in effect.body
    assert "reopen this pull request" in effect.body


def test_the_superseded_comment_names_the_replacement() -> None:
    effects = plan_hygiene((pull(3), pull(9)), idle_days=30, now=NOW)
    (effect,) = effects
    assert isinstance(effect, ClosePull)
    assert "Superseded by #9" in effect.body
    assert effect.describe() == "close PR #3 as superseded by #9"


def test_a_refresh_carries_the_comment_for_a_base_that_already_has_the_fix() -> None:
    (effect,) = plan_hygiene((pull(4, mergeable=False, base="trunk"),), idle_days=30, now=NOW)
    assert isinstance(effect, RefreshPull)
    assert effect.branch == "prime/editorconfig"
    assert effect.closing.startswith("<!-- prime:comment=obsolete-4 -->")
    assert "trunk already has what this pull request adds" in effect.closing
    assert effect.manual.startswith(MANUAL_NOTE)


def test_a_refreshable_pr_prime_could_not_redo_is_not_tried_again() -> None:
    pulls = (pull(4, mergeable=False, notes=(MANUAL_NOTE,)),)
    assert plan_hygiene(pulls, idle_days=30, now=NOW) == ()


def test_a_reopened_pr_loses_prime_s_closing_mark_first() -> None:
    effects = plan_hygiene((pull(6, reopened=True), pull(2)), idle_days=30, now=NOW)
    assert [e.kind for e in effects] == ["unmark-pull", "close-pull"]
    assert effects[0].describe() == "take Prime's closing mark out of the reopened PR #6"


def test_a_stale_close_cools_its_signals_down_as_long_again() -> None:
    effects = plan_hygiene(
        (pull(3, "editorconfig", "license", days_idle=31),), idle_days=30, now=NOW
    )
    state = cool_down(PrimeState(), effects, days=30, now=NOW)
    until = NOW + timedelta(days=30)
    assert state.cooldown_until == {"editorconfig": until, "license": until}
    (effect,) = effects
    assert isinstance(effect, ClosePull)
    assert "`/prime skip editorconfig`, `/prime skip license`" in effect.body


def test_superseded_and_refreshed_prs_cool_nothing_down() -> None:
    effects = plan_hygiene((pull(3), pull(4, mergeable=False)), idle_days=30, now=NOW)
    assert cool_down(PrimeState(), effects, days=30, now=NOW) == PrimeState()


def test_a_conflicted_growth_pr_goes_back_to_its_implementer_unless_a_person_committed() -> None:
    growth = pull(4, "growth.parser.tokenizer", mergeable=False, refreshable=False)
    (effect,) = plan_hygiene((growth,), idle_days=30, now=NOW)
    assert effect == ReworkPull(number=4, branch="prime/growth.parser.tokenizer", base="main")
    assert "merge main into it" in effect.describe()
    theirs = growth.model_copy(update={"human_commits": 1})
    assert [e.kind for e in plan_hygiene((theirs,), idle_days=30, now=NOW)] == ["note-pull"]
    clean = growth.model_copy(update={"mergeable": True})
    assert plan_hygiene((clean,), idle_days=30, now=NOW) == ()
