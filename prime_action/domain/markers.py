"""Hidden HTML markers: how Prime finds its own issues and comments again (never by title)."""

from __future__ import annotations

import json
import re
from typing import Any

PREFIX = "<!-- prime:"
DASHBOARD = "<!-- prime:dashboard -->"
_SIGNAL = re.compile(r"<!-- prime:signal=([A-Za-z0-9_.-]+) -->")
_DATA = re.compile(r"<!-- prime:data=(\{.*?\}) -->")


_PULL_SIGNAL = re.compile(r"<!-- prime:comment=pr-([A-Za-z0-9_.-]+) -->")


def pull_marker(signal: str) -> str:
    """The hidden marker that names a signal a Prime PR fixes (one per signal it carries)."""
    return comment_marker(f"pr-{signal}")


def pull_signals(body: str | None) -> tuple[str, ...]:
    """The signals a Prime PR's body names with `pull_marker`, in order."""
    return tuple(dict.fromkeys(_PULL_SIGNAL.findall(body or "")))


def signal_marker(signal: str) -> str:
    """The marker that identifies the tracking issue of a signal."""
    return f"<!-- prime:signal={signal} -->"


def data_marker(data: dict[str, Any]) -> str:
    """Machine data carried in an issue body so state can be rebuilt from issues."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return f"<!-- prime:data={text.replace('--', '- -')} -->"


def comment_marker(key: str) -> str:
    """The marker of one comment: the same key is never posted twice."""
    return f"<!-- prime:comment={key} -->"


def find_signal(body: str | None) -> str | None:
    """The signal a body's marker names, if any."""
    match = _SIGNAL.search(body or "")
    return match.group(1) if match else None


def find_data(body: str | None) -> dict[str, Any]:
    """The machine data of a body ({} when absent or damaged)."""
    match = _DATA.search(body or "")
    if not match:
        return {}
    try:
        data = json.loads(match.group(1))
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}
