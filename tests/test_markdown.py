"""Untrusted text is made safe for one line of Markdown and for a table cell."""

from __future__ import annotations

import pytest

from prime_action.markdown import MAX_TEXT, safe_cell, safe_text


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("plain", "plain"),
        ("<!-- prime:dashboard -->", "prime:dashboard"),
        ("<!<!---->-- prime:signal=ci -->", "prime:signal=ci"),
        ("<details>open", "&lt;details>open"),
        ("line\n# heading\n- [ ] box", "line # heading - [ ] box"),
        (42, "42"),
    ],
    ids=["plain", "marker", "nested-marker", "html", "newlines", "not-a-string"],
)
def test_text_cannot_forge_a_marker_open_html_or_start_a_line(value: object, safe: str) -> None:
    assert safe_text(value) == safe


def test_long_text_is_clipped_with_an_ellipsis() -> None:
    clipped = safe_text("y" * (MAX_TEXT + 10))
    assert clipped == "y" * (MAX_TEXT - 1) + "…"


def test_a_cell_escapes_pipes_and_backslashes() -> None:
    assert safe_cell("a|b\\c") == "a\\|b\\\\c"
