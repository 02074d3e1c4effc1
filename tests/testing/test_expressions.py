"""The Actions expression evaluator answers GitHub's documented examples."""

from __future__ import annotations

from typing import Any

import pytest

from testing.expressions import evaluate

CONTEXT = {"github": {"event_name": "push", "event": {"labels": ["Bug", "docs"], "n": 3}}}


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("contains('Hello world', 'llo')", True),
        ("contains(github.event.labels, 'bug')", True),  # case-insensitive, as documented
        ("startsWith('Hello world', 'He')", True),
        ("endsWith('Hello world', 'ld')", True),
        ("format('Hello {0} {1} {2}', 'Mona', 'the', 'Octocat')", "Hello Mona the Octocat"),
        ('fromJSON(\'["a", "b"]\')[1]', "b"),
        ("'ABC' == 'abc'", True),
        ("null == 0", True),
        ("'' == false", True),
        ("github.event.missing.deeper", None),
        ("github.event_name == 'push' && 'yes' || 'no'", "yes"),
        ("github.event_name == 'pull_request' && 'yes' || 'no'", "no"),
        ("!github.event.missing", True),
        ("github.event.n >= 3", True),
        ("github['event_name']", "push"),
        ("${{ github.event.n == 3 }}", True),
    ],
)
def test_documented_expressions_evaluate_as_on_github(expression: str, value: Any) -> None:
    assert evaluate(expression, CONTEXT) == value


@pytest.mark.parametrize("expression", ["github.event ==", "contains('a'", "'open"])
def test_a_broken_expression_is_an_error_not_a_value(expression: str) -> None:
    with pytest.raises((ValueError, IndexError)):
        evaluate(expression, CONTEXT)
