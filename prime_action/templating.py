"""The one jinja2 environment for every template Prime ships: fixes, issue bodies, dashboards."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries templates/ inside the package (pyproject's force-include); a source
# checkout or an editable install keeps it beside the package. First match wins.
SEARCH_PATH: tuple[Path, ...] = (_PACKAGE / "templates", _PACKAGE.parent / "templates")


@cache
def environment() -> jinja2.Environment:
    """The shared environment: strict about missing variables, faithful to whitespace.

    Returns:
        One environment per process, so compiled templates are cached across renders.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(path) for path in SEARCH_PATH]),
        # HTML-escaping would corrupt what these templates make (YAML, TOML, Markdown,
        # license texts): `&` or `<` must come out as written. Whoever renders untrusted
        # text into a Markdown body fences it there, where the context is known.
        autoescape=False,  # noqa: S701 - output is files and Markdown, never HTML
        # A missing variable is a bug in the caller: fail instead of rendering "".
        undefined=jinja2.StrictUndefined,
        # Generated files end with a newline like their templates do; block tags on their
        # own line leave no blank line or indentation behind.
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, **context: object) -> str:
    """Render one template.

    Args:
        name: the template's path under templates/, e.g. "fixes/SECURITY.md.j2".
        **context: the variables the template uses; each must be given.

    Returns:
        The rendered text.

    Raises:
        jinja2.TemplateNotFound: no such template (a bug or a broken install).
        jinja2.UndefinedError: the template uses a variable not in `context`.
    """
    return environment().get_template(name).render(**context)
