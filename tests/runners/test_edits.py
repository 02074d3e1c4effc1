"""The agent's edit-block format: parsed strictly, every edit validated before any applies."""

from __future__ import annotations

import pytest

from prime_action.runners.edits import (
    Edit,
    EditRefused,
    FormatError,
    apply_edits,
    parse_answer,
)
from prime_action.runners.guardrails import Guardrails

FILES = {"a.py": "x = 1\ny = 2\nx = 1\n", "b.py": "b = 1\n"}


def block(path: str, search: str, replace: str) -> str:
    return f"EDIT {path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


def test_an_answer_yields_its_reads_edits_and_verdict_and_notes_are_ignored() -> None:
    text = "Thinking...\nREAD a.py\n" + block("b.py", "b = 1\n", "b = 2\n") + "DONE fixed b"

    answer = parse_answer(text)

    assert answer.reads == ("a.py",)
    assert answer.edits == (Edit(path="b.py", search="b = 1\n", replace="b = 2\n"),)
    assert (answer.done, answer.escalate) == ("fixed b", None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("EDIT a.py\nx = 1\n", "line 2: `EDIT a.py` must be followed by a `<<<<<<< SEARCH` line"),
        ("EDIT a.py\n<<<<<<< SEARCH\nx\n=======\ny\n", "has no `>>>>>>> REPLACE` line"),
        ("EDIT a.py", "line 1: `EDIT a.py` is the last line"),
        ("=======\n", "line 1: `=======` outside an edit block"),
        ("READ\n", "line 1: `READ` needs a path"),
        ("ESCALATE\n", "line 1: `ESCALATE` needs text"),
    ],
)
def test_a_broken_answer_is_refused_naming_the_line(text: str, error: str) -> None:
    with pytest.raises(FormatError) as caught:
        parse_answer(text)
    assert error in str(caught.value)


def test_edits_apply_in_order_and_an_empty_search_creates_a_file() -> None:
    edits = (
        Edit(path="b.py", search="b = 1\n", replace="b = 2\n"),
        Edit(path="b.py", search="b = 2\n", replace="b = 3\n"),
        Edit(path="new/c.py", search="", replace="c = 1\n"),
    )

    texts = apply_edits(edits, FILES.get, Guardrails())

    assert texts == {"b.py": "b = 3\n", "new/c.py": "c = 1\n"}


@pytest.mark.parametrize(
    ("edit", "error"),
    [
        (Edit(path="a.py", search="x = 1\n", replace=""), "for a.py occurs 2 times"),
        (Edit(path="a.py", search="z\n", replace=""), "for a.py does not occur"),
        (Edit(path="a.py", search="", replace="x"), "a.py exists: an empty SEARCH creates new"),
        (Edit(path="nope.py", search="x", replace="y"), "nope.py does not exist"),
        (Edit(path="../etc/passwd", search="", replace="x"), "not a path inside the repository"),
        (Edit(path="/etc/passwd", search="", replace="x"), "not a path inside the repository"),
        (Edit(path=".git/config", search="", replace="x"), "not a path inside the repository"),
    ],
)
def test_an_edit_that_cannot_apply_exactly_is_refused(edit: Edit, error: str) -> None:
    with pytest.raises(FormatError) as caught:
        apply_edits((edit,), FILES.get, Guardrails())
    assert error in str(caught.value)


@pytest.mark.parametrize(
    ("path", "rails", "error"),
    [
        ("b.py", Guardrails(forbidden_paths=("b.py",)), "b.py matches guardrails.forbidden_paths"),
        ("b.py", Guardrails(write_paths=("a.py",)), "b.py outside guardrails.write_paths"),
        (".github/workflows/ci.yml", Guardrails(), "guardrails.allow_workflows is false"),
    ],
)
def test_an_edit_outside_the_contract_is_refused_before_any_applies(
    path: str, rails: Guardrails, error: str
) -> None:
    edits = (Edit(path="a.py", search="y = 2\n", replace="y = 3\n"), Edit(path=path, search="",
             replace="x"))  # fmt: skip
    with pytest.raises(EditRefused) as caught:
        apply_edits(edits, {**FILES, path: None}.get, rails)
    assert error in str(caught.value)
