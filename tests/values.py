"""Builders of domain values shared by the tests (one place, never a copy per test file)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prime_action.brain.port import BrainInput
from prime_action.config.models import RepoConfig
from prime_action.domain.models import Fix, PrimeState, SignalResult, WakeReason
from prime_action.domain.ports import TrackedIssue
from prime_action.repo.plan import build_plan

NOW = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)


def signal(name: str, status: str = "failing", weight: float = 5.0, **extra: Any) -> SignalResult:
    """A signal result; failing ones get a fileops fix unless `fix=None` is given."""
    fix = extra.pop("fix", Fix(runner="fileops", approach=f"add {name}"))
    return SignalResult.model_validate(
        {
            "name": name,
            "status": status,
            "detail": f"{name} detail",
            "fingerprint": f"fp-{name}",
            "weight": weight,
            "fix": fix if status == "failing" else None,
            **extra,
        }
    )


def issue(number: int, name: str, state: str = "open", **extra: Any) -> TrackedIssue:
    """A tracking issue of Prime's for a signal."""
    return TrackedIssue.model_validate(
        {
            "number": number,
            "signal": name,
            "title": f"Prime: {name}",
            "state": state,
            "fingerprint": f"fp-{name}",
            **extra,
        }
    )


def picture(
    signals: tuple[SignalResult, ...],
    issues: tuple[TrackedIssue, ...] = (),
    state: PrimeState | None = None,
    config: RepoConfig | None = None,
    reason: WakeReason = "schedule",
) -> BrainInput:
    """The brain's input, with the plan built the way the wake cycle builds it."""
    state = state or PrimeState()
    config = config or RepoConfig()
    plan = build_plan(signals, state, config, NOW)
    return BrainInput(
        state=state,
        signals=signals,
        issues=issues,
        plan=plan,
        reason=reason,
        config=config,
        now=NOW,
    )


def alias_bomb(levels: int = 9) -> str:
    """The billion laughs: each level names the one before ten times (10**levels values)."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"
