"""Run-sheet items and attempts for the dispatcher's tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from prime_action.domain.models import Attempt, RunSheetItem

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def item(
    rank: int = 1, repo: str = "acme/api", signal: str = "license", **extra: Any
) -> RunSheetItem:
    values: dict[str, Any] = {
        "rank": rank,
        "repo": repo,
        "signal": signal,
        "runner": "fileops",
        "reason": "missing",
        "approach": "add it",
        "cooldown_hours": 72,
        "added_at": T0,
    }
    return RunSheetItem.model_validate(values | extra)


def attempt(
    id: str = "a1",
    status: str = "failed",
    hours_ago: float = 100,
    repo: str = "acme/api",
    signal: str = "license",
    **extra: Any,
) -> Attempt:
    at = T0 - timedelta(hours=hours_ago)
    values: dict[str, Any] = {
        "id": id,
        "repo": repo,
        "signal": signal,
        "runner": "fileops",
        "status": status,
        "created_at": at,
        "updated_at": at,
    }
    return Attempt.model_validate(values | extra)
