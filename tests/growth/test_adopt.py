"""Human tickets: which ai-task issues Prime adopts, and what it reads from their bodies."""

from __future__ import annotations

import pytest

from prime_action.domain.markers import find_data, find_signal
from prime_action.growth.adopt import (
    Candidate,
    adopted_body,
    human_tasks,
    manual_key,
    sections,
    to_adopt,
)

TRUSTED = ("OWNER", "MEMBER", "COLLABORATOR")


def _issue(number: int = 7, **changes: object) -> Candidate:
    fields: dict[str, object] = {"number": number, "title": "Do it", "body": "Please."}
    fields |= {"labels": ("ai-task",), "state": "open", "association": "OWNER"}
    return Candidate.model_validate({**fields, **changes})


@pytest.mark.parametrize(
    ("body", "scope", "acceptance"),
    [
        ("Scope:\n- src/a.py\n- `src/b/**`\nAcceptance:\n- works\n", ("src/a.py", "src/b/**"),
         ("works",)),
        ("## Scope\n\n* src/a.py\n\n## Acceptance criteria\n- one\n- two\n", ("src/a.py",),
         ("one", "two")),
        ("Just words.\n- a bullet outside any section\n", (), ()),
        ("Scope:\n- src/a.py\nA paragraph ends the section.\n- not scope\n", ("src/a.py",), ()),
    ],
)  # fmt: skip
def test_scope_and_acceptance_are_the_bullets_under_their_headings(
    body: str, scope: tuple[str, ...], acceptance: tuple[str, ...]
) -> None:
    assert sections(body) == {"scope": scope, "acceptance": acceptance}


@pytest.mark.parametrize(
    ("changes", "adopted"),
    [
        ({}, True),
        ({"association": "NONE"}, False),
        ({"association": "CONTRIBUTOR"}, False),
        ({"state": "closed"}, False),
        ({"labels": ("bug",)}, False),
        ({"body": "<!-- prime:signal=growth.parser.tokenizer -->"}, False),
    ],
)
def test_only_open_unmarked_task_issues_by_trusted_authors_are_adopted(
    changes: dict[str, object], adopted: bool
) -> None:
    assert bool(to_adopt((_issue(7, **changes),), "ai-task", TRUSTED)) is adopted


def test_the_adopted_body_keeps_the_text_and_adds_the_manual_marker() -> None:
    body = adopted_body(_issue(12, body="Please.\n\n"))
    assert body.startswith("Please.\n\n<!-- prime:signal=growth.manual.12 -->")
    assert find_signal(body) == manual_key(12) == "growth.manual.12"
    assert find_data(body) == {"signal": "growth.manual.12", "adopted": True}
    assert to_adopt((_issue(12, body=body),), "ai-task", TRUSTED) == ()


def test_only_issues_marked_with_their_own_number_are_human_tasks() -> None:
    mine = _issue(3, body=adopted_body(_issue(3, body="Scope:\n- src/x.py\n")))
    copied = _issue(4, body=mine.body)  # someone pasted #3's marker into #4
    found = human_tasks((mine, copied))
    assert list(found) == ["growth.manual.3"]
    assert found["growth.manual.3"].scope == ("src/x.py",)
