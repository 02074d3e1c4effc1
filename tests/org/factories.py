"""Small builders of org values shared by the org tests."""

from __future__ import annotations

from datetime import UTC, datetime

from prime_action.domain.models import Fix, PlanItem, PrimeState, SignalResult
from prime_action.org.model import RepoFacts

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)


def signal(
    name: str, status: str = "failing", weight: float = 5.0, **extra: object
) -> SignalResult:
    fix = Fix(runner="fileops", approach=f"add {name}") if status == "failing" else None
    return SignalResult.model_validate(
        {
            "name": name,
            "status": status,
            "detail": f"{name} is {status}",
            "weight": weight,
            "fingerprint": f"fp-{name}",
            "fix": fix,
            **extra,
        }
    )


def remote(repo: str, *signals: SignalResult, **flags: object) -> RepoFacts:
    return RepoFacts.model_validate({"repo": repo, "signals": signals, **flags})


def managed(repo: str, *plan: tuple[str, float], **state: object) -> RepoFacts:
    items = tuple(
        PlanItem(
            signal=name,
            runner="agent",
            approach=f"fix {name}",
            reason=f"{name} broken",
            weight=weight,
            fingerprint=f"fp-{name}",
            added_at=NOW,
        )
        for name, weight in plan
    )
    prime = PrimeState.model_validate(
        {"plan": items, "signals": tuple(signal(n) for n, _ in plan), **state}
    )
    return RepoFacts(repo=repo, managed=True, state=prime)
