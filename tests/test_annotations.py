"""Workflow commands: escaped so any message stays one annotation."""

from __future__ import annotations

import pytest

from prime_action.annotations import annotation, group


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "::error::boom\n"),
        ({"file": "a.yml"}, "::error file=a.yml::boom\n"),
        ({"file": "a.yml", "line": 3}, "::error file=a.yml,line=3::boom\n"),
        ({"file": "we,ird:name.yml", "line": 1}, "::error file=we%2Cird%3Aname.yml,line=1::boom\n"),
    ],
)
def test_annotation_names_file_and_line(kwargs: dict[str, object], expected: str) -> None:
    assert annotation("error", "boom", **kwargs) == expected  # type: ignore[arg-type]


def test_multiline_message_and_percent_signs_stay_one_command() -> None:
    line = annotation("warning", "50% done\nnext line\r")
    assert line == "::warning::50%25 done%0Anext line%0D\n"
    assert line.count("\n") == 1


def test_group_folds_the_body_under_its_title() -> None:
    assert group("Prime wake", "a\nb\n") == "::group::Prime wake\na\nb\n::endgroup::\n"
