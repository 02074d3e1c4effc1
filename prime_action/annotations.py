"""GitHub Actions workflow commands: `::error file=F,line=L::message` annotations and groups."""

from __future__ import annotations

from typing import Literal

Kind = Literal["error", "warning", "notice"]


def _data(text: str) -> str:
    # The escaping the Actions runner undoes (actions/toolkit's command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    kind: Kind, message: str, *, file: str | None = None, line: int | None = None
) -> str:
    """One annotation line; GitHub shows it on the run and, with a file and line, on the file.

    Args:
        kind: error, warning or notice.
        message: what to say (any text: it is escaped).
        file: the file it points at, relative to the repository root.
        line: the 1-based line in that file.

    Returns:
        The workflow command, ending in a newline.
    """
    props = [f"file={_property(file)}"] if file else []
    if file and line:
        props.append(f"line={line}")
    head = f"::{kind} {','.join(props)}" if props else f"::{kind}"
    return f"{head}::{_data(message)}\n"


def group(title: str, body: str) -> str:
    """`body` folded under `title` in the job's log."""
    return f"::group::{_data(title)}\n{body.rstrip()}\n::endgroup::\n"
