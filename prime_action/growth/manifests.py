"""Dependency names declared in pyproject.toml, package.json and requirements*.txt files."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_QUOTED = re.compile(r"""["']([^"']+)["']""")
_JSON_KEY = re.compile(r"""^\s*"([^"]+)"\s*:\s*"[^"]*"\s*,?\s*$""")
NPM_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def normalise(name: str) -> str:
    """A package name as registries compare it (PEP 503; npm names are lower case)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def kind(path: str) -> str | None:
    """Which manifest a path is: "pyproject", "npm", "requirements", or None."""
    name = PurePosixPath(path).name
    if name == "pyproject.toml":
        return "pyproject"
    if name == "package.json":
        return "npm"
    if name.startswith("requirements") and name.endswith(".txt"):
        return "requirements"
    return None


def _requirement(spec: str) -> str | None:
    match = _NAME.match(spec)
    return normalise(match.group(1)) if match else None


def _pyproject(data: dict[str, Any]) -> Iterable[str]:
    project = data.get("project", {})
    yield from project.get("dependencies", [])
    for group in project.get("optional-dependencies", {}).values():
        yield from group
    for group in data.get("dependency-groups", {}).values():
        yield from (item for item in group if isinstance(item, str))
    poetry = data.get("tool", {}).get("poetry", {})
    yield from (name for name in poetry.get("dependencies", {}) if name != "python")


def declared(path: str, content: str) -> set[str] | None:
    """Every dependency a manifest declares, normalised; None when it cannot be parsed.

    Args:
        path: the file's path (its name says which manifest it is).
        content: the file's text.

    Returns:
        The names, or None for a file that is not a manifest or does not parse.
    """
    found = kind(path)
    try:
        if found == "pyproject":
            specs: Iterable[str] = _pyproject(tomllib.loads(content))
        elif found == "npm":
            data = json.loads(content)
            specs = (n for s in NPM_SECTIONS for n in (data.get(s) or {}))
        elif found == "requirements":
            specs = (
                line for line in content.splitlines() if line.strip()[:1] not in ("", "#", "-")
            )
        else:
            return None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, AttributeError, TypeError):
        return None
    names = {_requirement(spec) for spec in specs}
    return {name for name in names if name}


def named_on(path: str, line: str) -> set[str]:
    """The dependency names a single manifest line could declare (a superset; filter it).

    Args:
        path: the manifest's path.
        line: one line of it, as a diff shows it.

    Returns:
        Normalised candidate names.
    """
    found = kind(path)
    if found == "requirements":
        name = _requirement(line) if line.strip()[:1] not in ("", "#", "-") else None
        return {name} if name else set()
    if found == "npm":
        match = _JSON_KEY.match(line)
        return {normalise(match.group(1))} if match else set()
    if found == "pyproject":
        quoted = [_requirement(q) for q in _QUOTED.findall(line)]
        key = _requirement(line) if "=" in line else None
        return {name for name in (*quoted, key) if name}
    return set()
