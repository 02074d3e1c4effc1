"""The Dependabot fix: a new dependabot.yml, or the missing entries merged into the existing one."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from prime_action.signals.dependabot import configured_ecosystems, uncovered
from prime_action.signals.ecosystems import ecosystems
from prime_action.templating import render

_UPDATES = re.compile(r"^updates:\s*(?P<empty>\[\s*\])?\s*(?:#.*)?$")
_TOP_KEY = re.compile(r"^[^\s#-]")


def updates(
    paths: Sequence[str], ecosystems_wanted: Sequence[str] | None = None
) -> list[dict[str, str]]:
    """One entry per (ecosystem, workspace root) found, restricted to `ecosystems_wanted`.

    Args:
        paths: the repository's listing.
        ecosystems_wanted: the ecosystems to write; None for all that were found.

    Returns:
        The entries the template renders: ecosystem, directory and a distinct group name.
    """
    found = ecosystems(paths)
    uv_dirs = set(found.get("uv", ()))
    return [
        {"ecosystem": eco, "directory": directory, "group": _group(eco, directory)}
        for eco, directories in found.items()
        if ecosystems_wanted is None or eco in ecosystems_wanted
        for directory in directories
        # uv's own ecosystem updates pyproject.toml and uv.lock together; pip on the same
        # directory would open a second, lock-breaking PR for each bump.
        if not (eco == "pip" and directory in uv_dirs)
    ]


def _group(ecosystem: str, directory: str) -> str:
    # A distinct name per entry, so each grouped PR's title says where it comes from.
    slug = re.sub(r"[^a-z0-9]+", "-", directory.lower()).strip("-")
    return "-".join(part for part in (ecosystem, slug, "minor-patch") if part)


def new_config(paths: Sequence[str], marker: str) -> str | None:
    """A whole dependabot.yml for the tree, or None when there is nothing to update."""
    entries = updates(paths)
    return render("fixes/dependabot.yml.j2", marker=marker, updates=entries) if entries else None


def merged_config(paths: Sequence[str], existing: str, marker: str) -> str | None:
    """The existing dependabot.yml with the entries the signal misses appended, keeping its
    comments and its own entries.

    Args:
        paths: the repository's listing.
        existing: the current file's text.
        marker: the fix marker of the new-file header.

    Returns:
        The new text, or None when nothing is missing or the file is not a config at all (a
        person's half-written file is theirs to finish: it is left alone).
    """
    configured = configured_ecosystems(existing)
    if configured is None:
        return None
    missing = uncovered(ecosystems(paths), configured)
    entries = updates(paths, missing)
    if not entries:
        return None
    block = render("fixes/dependabot-updates.yml.j2", updates=entries)
    merged = _insert(existing, block)
    # A layout this cannot follow (flow-style entries) is left to a person.
    if merged is None or set(missing) - set(configured_ecosystems(merged) or ()):
        return None
    return merged


def _insert(text: str, block: str) -> str | None:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _UPDATES.match(line)), None)
    if start is None:
        return None
    match = _UPDATES.match(lines[start])
    if match and match["empty"]:
        lines[start] = "updates:"
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    indent = _indent(lines[start + 1 : end])
    entries = [(" " * indent + line[2:]) if line.strip() else line for line in block.splitlines()]
    merged = [*lines[:end], *(e for e in entries if e.strip()), *lines[end:]]
    return "\n".join(merged) + "\n"


def _indent(block: Sequence[str]) -> int:
    # The existing entries' dash column; the template's own is 2.
    for line in block:
        if line.lstrip().startswith("- "):
            return len(line) - len(line.lstrip())
    return 2


def dependabot_plan(
    paths: Sequence[str], files: Mapping[str, str], config_path: str | None, marker: str
) -> tuple[str, str | None]:
    """Where the fix writes and what: (path, content or None when nothing is to change)."""
    if config_path is None:
        return ".github/dependabot.yml", new_config(paths, marker)
    return config_path, merged_config(paths, files.get(config_path, ""), marker)
