"""The agent's answer format: search/replace edit blocks and commands, parsed and validated.

An answer is plain text. These lines are instructions; every other line is the model's notes:

    READ path/to/file          send me this file's text
    EDIT path/to/file          an edit block follows at once:
    <<<<<<< SEARCH
    lines exactly as they are in the file (must occur exactly once)
    =======
    the lines that replace them
    >>>>>>> REPLACE
    DONE one-line summary      the change is complete (the tests must pass)
    ESCALATE reason            a human is needed; stop

An empty SEARCH section creates a new file (the path must not exist yet). Code fences around a
block are tolerated. Every edit of an answer is validated (path, file, search text, guardrails)
before any is applied: an answer applies completely or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prime_action.domain.values import Frozen
from prime_action.runners import guardrails as rules
from prime_action.runners.guardrails import Guardrails

SEARCH, DIVIDER, REPLACE = "<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE"
_UNLIMITED = 10**9  # the size budgets apply to the whole PR, at the boundary


class Edit(Frozen):
    """Replace `search` (empty: create the file) with `replace` in `path`."""

    path: str
    search: str
    replace: str


class Answer(Frozen):
    """What one answer asks for, in the order it asks."""

    reads: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()
    done: str | None = None
    escalate: str | None = None


class FormatError(ValueError):
    """An answer that breaks the format; the message names the line and goes back to the model."""


class EditRefused(ValueError):
    """An edit that would touch a path outside the repository's contract."""


def _section(lines: Iterator[tuple[int, str]], end: str, start: int) -> str:
    kept: list[str] = []
    for _, line in lines:
        if line.rstrip() == end:
            return "".join(f"{text}\n" for text in kept)
        kept.append(line)
    msg = f"the edit block starting at line {start} has no `{end}` line"
    raise FormatError(msg)


def _block(path: str, lines: Iterator[tuple[int, str]], start: int) -> Edit:
    for number, line in lines:
        if line.startswith("```"):
            continue  # a code fence between EDIT and the block
        if line.rstrip() != SEARCH:
            msg = f"line {number}: `EDIT {path}` must be followed by a `{SEARCH}` line"
            raise FormatError(msg)
        search = _section(lines, DIVIDER, start)
        return Edit(path=path, search=search, replace=_section(lines, REPLACE, start))
    msg = f"line {start}: `EDIT {path}` is the last line; the edit block is missing"
    raise FormatError(msg)


def parse_answer(text: str) -> Answer:
    """The reads, edits and verdict in a model's answer.

    Raises:
        FormatError: a block is broken or a command has no argument; the message says where.
    """
    reads: list[str] = []
    edits: list[Edit] = []
    verdict: dict[str, str] = {}
    lines = iter(enumerate(text.splitlines(), start=1))
    for number, line in lines:
        word, _, rest = line.strip().partition(" ")
        rest = rest.strip()
        if line.rstrip() in (SEARCH, DIVIDER, REPLACE):
            msg = f"line {number}: `{line.strip()}` outside an edit block (start it with EDIT path)"
            raise FormatError(msg)
        if word in ("READ", "EDIT", "DONE", "ESCALATE") and not rest:
            what = "a path" if word in ("READ", "EDIT") else "text"
            msg = f"line {number}: `{word}` needs {what}"
            raise FormatError(msg)
        if word == "READ":
            reads.append(rest)
        elif word == "EDIT":
            edits.append(_block(rest, lines, number))
        elif word in ("DONE", "ESCALATE"):
            verdict.setdefault(word, rest)
    return Answer(reads=tuple(reads), edits=tuple(edits), done=verdict.get("DONE"),
                  escalate=verdict.get("ESCALATE"))  # fmt: skip


def safe_path(path: str) -> str:
    """A repository-relative path, or FormatError for one that leaves the checkout."""
    clean = rules.normalise(path.strip().strip("`"))
    parts = clean.split("/")
    if path.strip().startswith("/") or ".." in parts or not clean or parts[0] == ".git":
        msg = f"`{path}` is not a path inside the repository"
        raise FormatError(msg)
    return clean


def check_contract(path: str, rails: Guardrails) -> None:
    """Raise EditRefused when the repository's contract forbids writing `path`."""
    if rules.is_workflow(path) and not rails.allow_workflows:
        msg = f"{path} is a workflow file (guardrails.allow_workflows is false)"
        raise EditRefused(msg)
    paths_only = rails.model_copy(update={"max_files": _UNLIMITED, "max_lines": _UNLIMITED})
    reason = rules.check_guardrails({path: ""}, {path: None}, paths_only)
    if reason:
        raise EditRefused(reason)


def apply_edits(
    edits: tuple[Edit, ...], read: Callable[[str], str | None], rails: Guardrails
) -> dict[str, str]:
    """The new text of every file the edits touch, every edit checked first.

    Args:
        edits: the answer's edits, applied in order (several may touch one file).
        read: a file's current text in the checkout (None: it does not exist).
        rails: the repository's guardrails.

    Returns:
        path -> new text; nothing is written here.

    Raises:
        EditRefused: an edit touches a path the contract forbids.
        FormatError: a path leaves the repository, a file is missing or exists already,
            or a SEARCH text does not occur exactly once.
    """
    texts: dict[str, str | None] = {}
    for edit in edits:
        path = safe_path(edit.path)
        check_contract(path, rails)
        current = texts[path] if path in texts else read(path)
        texts[path] = _replace(path, current, edit)
    return {path: text for path, text in texts.items() if text is not None}


def _replace(path: str, current: str | None, edit: Edit) -> str:
    if not edit.search:
        if current is not None:
            msg = (
                f"{path} exists: an empty SEARCH creates new files only; quote the lines to change"
            )
            raise FormatError(msg)
        return edit.replace
    if current is None:
        msg = f"{path} does not exist (READ it first, or create it with an empty SEARCH)"
        raise FormatError(msg)
    count = current.count(edit.search)
    if count != 1:
        found = "does not occur" if count == 0 else f"occurs {count} times"
        msg = (
            f"the SEARCH text for {path} {found}; it must match one place, character for character"
        )
        raise FormatError(msg)
    return current.replace(edit.search, edit.replace, 1)
