"""The vendored webhook examples (tests/fixtures/webhooks), and variants of them for tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prime_action.events.model import Event
from prime_action.events.payload import parse_event

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks"
PRIME = "github-actions[bot]"


def payload(stem: str, changes: Mapping[str, object] | None = None) -> dict[str, Any]:
    """A fixture's payload with some keys replaced.

    Args:
        stem: the fixture's file name without `.json`, e.g. `issues.opened`.
        changes: dotted key -> new value, e.g. {"sender.login": "renovate[bot]"}; a number
            picks a list's item (`check_suite.pull_requests.0.head.ref`).

    Returns:
        A fresh copy of the payload, changed.
    """
    data: dict[str, Any] = json.loads((FIXTURES / f"{stem}.json").read_text(encoding="utf-8"))
    for dotted, value in (changes or {}).items():
        *parents, last = dotted.split(".")
        target = data
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[last] = value
    return data


def event(stem: str, changes: Mapping[str, object] | None = None) -> Event:
    """A fixture parsed into an Event, changed first; the event name is the stem's first part."""
    return parse_event(stem.partition(".")[0], payload(stem, changes))


def by(login: str, kind: str = "User") -> dict[str, object]:
    """The changes that make someone else the sender."""
    return {"sender.login": login, "sender.type": kind}
