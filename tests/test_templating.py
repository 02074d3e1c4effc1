"""The shared jinja2 environment: where templates are found and how strictly they render."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

from prime_action import templating


def test_templates_are_found_in_the_package_first_then_beside_it() -> None:
    package = Path(templating.__file__).resolve().parent
    expected = (package / "templates", package.parent / "templates")
    assert expected == templating.SEARCH_PATH


def test_the_source_checkout_templates_render() -> None:
    text = templating.render("fixes/CODEOWNERS.j2", marker="prime:fix=codeowners", owner="@a")
    assert text.endswith("* @a\n")


def test_the_environment_is_shared() -> None:
    assert templating.environment() is templating.environment()


def test_a_missing_variable_fails_instead_of_rendering_empty() -> None:
    with pytest.raises(jinja2.UndefinedError, match="owner"):
        templating.render("fixes/CODEOWNERS.j2", marker="prime:fix=codeowners")


def test_a_missing_template_is_named() -> None:
    with pytest.raises(jinja2.TemplateNotFound, match=re.escape("fixes/nope.j2")):
        templating.render("fixes/nope.j2")


@pytest.mark.parametrize("text", ["a & b", "<team>", 'it\'s "quoted"'])
def test_nothing_is_html_escaped(text: str) -> None:
    assert templating.environment().from_string("{{ text }}").render(text=text) == text


def test_the_trailing_newline_is_kept_and_block_lines_leave_nothing() -> None:
    template = templating.environment().from_string(
        "a:\n{% for x in xs %}\n  - {{ x }}\n{% endfor %}\n"
    )
    assert template.render(xs=[1, 2]) == "a:\n  - 1\n  - 2\n"
