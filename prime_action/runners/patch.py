"""A runner's patch read back by the writing job: git's unified diff, validated, then applied.

The read-only job (DESIGN §8) ran code the target repository controls, so its patch is hostile
until proven otherwise. Only what the runners themselves produce passes: new or edited text
files at plain paths inside the repository. Deletions, renames, mode changes, symlinks,
submodules and binary files are refused with the reason, and every hunk must match its base
character for character (no fuzz). The PR boundary then checks the files like any other change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from prime_action.domain.values import Frozen
from prime_action.runners.edits import FormatError, safe_path

MAX_PATCH_BYTES = 1024 * 1024  # gh-aw's default for a safe output's patch
MAX_FILES = 100  # far above any guardrail's max_files; the boundary applies the real one
TEXT_MODES = ("100644", "100755")
HEADER = "diff --git "
_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_NO_NEWLINE = "\\ No newline at end of file"
# Extended header lines (git diff's documentation) and why each is refused.
REFUSED_HEADERS = {
    "deleted file mode": "deletes it (runners propose edits and new files only)",
    "old mode": "changes its file mode",
    "new mode": "changes its file mode",
    "rename from": "renames a file",
    "rename to": "renames a file",
    "copy from": "copies a file",
    "copy to": "copies a file",
    "similarity index": "renames or copies a file",
    "dissimilarity index": "rewrites a file as a rename",
    "GIT binary patch": "changes a binary file",
    "Binary files": "changes a binary file",
}
SPECIAL_MODES = {"120000": "is a symbolic link", "160000": "is a submodule (gitlink)"}


class PatchRefused(ValueError):
    """A patch the writing job will not apply; the message says which file and why."""


class FilePatch(Frozen):
    """One file's part of a patch: its path, whether it is new, and its hunks' lines."""

    path: str
    new: bool = False
    hunks: tuple[tuple[int, int, tuple[str, ...]], ...] = ()  # (old start, old count, lines)


def parse_patch(text: str) -> tuple[FilePatch, ...]:
    """The files of a `git diff` patch, each checked against what a runner may propose.

    Args:
        text: the patch as the read-only job wrote it.

    Returns:
        One FilePatch per file, in the patch's order.

    Raises:
        PatchRefused: the patch is too large, malformed, or changes something other than text
            files at plain paths inside the repository.
    """
    if len(text.encode("utf-8")) > MAX_PATCH_BYTES:
        msg = f"the patch is larger than {MAX_PATCH_BYTES // 1024} KiB"
        raise PatchRefused(msg)
    lines = text.split("\n")  # "\n" only: a CR or a form feed belongs to its line's text
    if lines and lines[-1] == "":
        lines.pop()
    if lines and not lines[0].startswith(HEADER):
        msg = f"the patch does not start with `{HEADER.strip()}`"
        raise PatchRefused(msg)
    files = tuple(_file(chunk) for chunk in _chunks(lines))
    if len(files) > MAX_FILES:
        msg = f"the patch changes {len(files)} files; at most {MAX_FILES} are read"
        raise PatchRefused(msg)
    paths = [f.path for f in files]
    if len(set(paths)) != len(paths):
        msg = "the patch changes a file twice"
        raise PatchRefused(msg)
    return files


def _chunks(lines: list[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        if line.startswith(HEADER) and chunk:
            yield chunk
            chunk = []
        chunk.append(line)
    if chunk:
        yield chunk


def _file(chunk: list[str]) -> FilePatch:
    path = _path(chunk[0])
    new = False
    body = 1
    while body < len(chunk) and not chunk[body].startswith("@@"):
        line = chunk[body]
        new = _header(path, line) or new
        body += 1
    return FilePatch(path=path, new=new, hunks=tuple(_hunks(path, chunk[body:])))


def _path(line: str) -> str:
    # No renames: `diff --git a/P b/P` names one path twice, which also splits a name with spaces.
    rest = line[len(HEADER) :]
    half = (len(rest) - 1) // 2
    old, new = rest[:half], rest[half + 1 :]
    if rest.startswith('"') or not (old.startswith("a/") and new.startswith("b/")):
        msg = f"`{line[:200]}`: not a plain path (git quotes names with special characters)"
        raise PatchRefused(msg)
    if old[2:] != new[2:]:
        msg = f"`{line[:200]}` names two paths: a rename or copy"
        raise PatchRefused(msg)
    try:
        path = safe_path(new[2:])
    except FormatError as e:
        raise PatchRefused(str(e)) from e
    odd = any(part in ("", ".", "..", ".git") for part in path.split("/"))
    if path != new[2:] or odd or any(ord(c) < 32 for c in path):
        msg = f"`{new[2:][:200]}` is not a plain path inside the repository"
        raise PatchRefused(msg)
    return path


def _header(path: str, line: str) -> bool:
    """Check one extended header line; True when it says the file is new."""
    for start, why in REFUSED_HEADERS.items():
        if line.startswith(start):
            msg = f"{path}: the patch {why}"
            raise PatchRefused(msg)
    for mode, what in SPECIAL_MODES.items():
        if line.startswith(("new file mode", "index")) and line.endswith(f" {mode}"):
            msg = f"{path} {what}: runners propose regular text files only"
            raise PatchRefused(msg)
    if line.startswith("new file mode "):
        if line.removeprefix("new file mode ") not in TEXT_MODES:
            msg = f"{path}: unknown file mode in `{line[:80]}`"
            raise PatchRefused(msg)
        return True
    if line.startswith(("index ", "--- ", "+++ ")):
        return False
    msg = f"{path}: unexpected line in the patch header: `{line[:80]}`"
    raise PatchRefused(msg)


def _hunks(path: str, lines: list[str]) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    at = 0
    while at < len(lines):
        match = _HUNK.match(lines[at])
        if not match:
            msg = f"{path}: expected a hunk header `@@ -a,b +c,d @@`, found `{lines[at][:80]}`"
            raise PatchRefused(msg)
        old_count = int(match[2] or "1")
        new_count = int(match[4] or "1")
        start = at + 1
        at = start
        olds = news = 0
        while at < len(lines) and (olds < old_count or news < new_count or _tail(lines[at])):
            kind = lines[at][:1]
            olds += kind in (" ", "-")
            news += kind in (" ", "+")
            if kind not in (" ", "-", "+", "\\"):
                msg = f"{path}: a hunk line starts with neither space, '-', '+' nor '\\'"
                raise PatchRefused(msg)
            at += 1
        if (olds, news) != (old_count, new_count):
            msg = f"{path}: a hunk's line counts do not match its header `{lines[start - 1]}`"
            raise PatchRefused(msg)
        yield int(match[1]), old_count, tuple(lines[start:at])


def _tail(line: str) -> bool:
    return line == _NO_NEWLINE


def _sides(lines: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """A hunk's old and new lines, each with its newline (none where git marked its absence)."""
    old: list[str] = []
    new: list[str] = []
    for index, line in enumerate(lines):
        if _tail(line):
            continue
        ends = "" if index + 1 < len(lines) and _tail(lines[index + 1]) else "\n"
        if line[:1] in (" ", "-"):
            old.append(line[1:] + ends)
        if line[:1] in (" ", "+"):
            new.append(line[1:] + ends)
    return old, new


def apply_file(patch: FilePatch, base: str | None) -> str:
    """The file's new text: its hunks applied to `base`, each matching exactly.

    Args:
        patch: one file of a parsed patch.
        base: the file's text where the PR starts (None: it does not exist there).

    Returns:
        The new text.

    Raises:
        PatchRefused: a new file that exists, an edit of one that does not, or a hunk that
            does not match the base (it changed since the read-only job's checkout).
    """
    if patch.new != (base is None):
        state = "exists already" if base is not None else "does not exist"
        msg = f"{patch.path} {state} where the pull request starts: the patch was made elsewhere"
        raise PatchRefused(msg)
    old = _lines(base or "")
    out: list[str] = []
    cursor = 0
    for start, count, lines in patch.hunks:
        before, after = _sides(lines)
        at = start if count == 0 else start - 1
        if at < cursor or old[at : at + len(before)] != before:
            msg = (
                f"{patch.path}: the patch does not apply at line {start}; the file changed "
                "since the checkout, and the next attempt starts from the new version"
            )
            raise PatchRefused(msg)
        out.extend(old[cursor:at])
        out.extend(after)
        cursor = at + len(before)
    out.extend(old[cursor:])
    return "".join(out)


def _lines(text: str) -> list[str]:
    """The text's lines, each with its "\n" (str.splitlines would also split at CR, FF...)."""
    parts = text.split("\n")
    lines = [f"{part}\n" for part in parts[:-1]]
    return [*lines, parts[-1]] if parts[-1] else lines


def apply_patch(files: tuple[FilePatch, ...], bases: Mapping[str, str | None]) -> dict[str, str]:
    """Every file's new text (path -> text); see `apply_file`."""
    return {patch.path: apply_file(patch, bases.get(patch.path)) for patch in files}
