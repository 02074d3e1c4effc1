"""run-sheet.json as text: written canonically (unchanged content is byte-identical), read back."""

from __future__ import annotations

import json

from pydantic import ValidationError

from prime_action.domain.models import RunSheetItem

FILE = "run-sheet.json"


def dump(items: tuple[RunSheetItem, ...]) -> str:
    """The run sheet's text: a JSON array by rank, two-space indented, ending in a newline."""
    rows = [item.model_dump(mode="json") for item in sorted(items, key=lambda i: i.rank)]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def bounded(items: tuple[RunSheetItem, ...], limit: int) -> tuple[tuple[RunSheetItem, ...], int]:
    """The first `limit` items by rank (ranks stay 1..n) and how many were left off.

    The dispatcher walks the sheet by rank and starts at most a few items a cycle, so items far
    down cannot be reached before the next run re-ranks them; listing every fixable item of a
    large org made the file grow 3 KB per repository without limit.
    """
    ordered = tuple(sorted(items, key=lambda i: i.rank))
    return ordered[:limit], max(0, len(ordered) - limit)


def load(text: str | None) -> tuple[tuple[RunSheetItem, ...], str | None]:
    """Read a committed run sheet; a damaged one reads as empty, with the problem.

    Args:
        text: the file's text, or None when there is no file yet.

    Returns:
        The items, and a message naming the file and the fix when it could not be read.
    """
    if text is None:
        return (), None
    try:
        rows = json.loads(text)
        if not isinstance(rows, list):
            msg = "not a JSON array"
            raise TypeError(msg)
        return tuple(RunSheetItem.model_validate(row) for row in rows), None
    except (ValueError, TypeError, ValidationError) as e:
        first = str(e).splitlines()[0]
        return (), f"{FILE}: {first}; it is rewritten from scratch on this run"


def contiguous(items: tuple[RunSheetItem, ...]) -> bool:
    """Whether the ranks are exactly 1..n in order (DESIGN §5)."""
    return [item.rank for item in items] == list(range(1, len(items) + 1))
