"""The daily LLM budget: what was spent today, whether a call may be made, and the new total."""

from __future__ import annotations

from datetime import datetime

from prime_action.domain.models import Spend, Usage


def day_of(now: datetime) -> str:
    """The UTC day a spend belongs to, as `YYYY-MM-DD`."""
    return now.strftime("%Y-%m-%d")


def spent_today(spend: Spend, now: datetime) -> float:
    """Dollars spent on the day of `now` (a record of an earlier day counts as nothing)."""
    return spend.usd_today if spend.day == day_of(now) else 0.0


def budget_refusal(spend: Spend, budget_usd: float, now: datetime) -> str:
    """Why no LLM call may be made now ("" when one may).

    Args:
        spend: the spend recorded in state.
        budget_usd: `brain.budget_usd_per_day`.
        now: the current moment.

    Returns:
        The reason, naming the figures, when today's spend has reached the budget.
    """
    today = spent_today(spend, now)
    if today >= budget_usd:
        return (
            f"the daily LLM budget is spent (${today:.4f} of ${budget_usd:.2f} on {day_of(now)}; "
            "raise brain.budget_usd_per_day in .github/prime.yml to allow more)"
        )
    return ""


def record_spend(spend: Spend, usage: Usage, now: datetime, budget_usd: float) -> Spend:
    """Add one decision's usage to the spend, starting a new day when the day changed.

    Args:
        spend: the spend recorded in state.
        usage: what this wake's decision cost.
        now: the current moment.
        budget_usd: `brain.budget_usd_per_day`, recorded beside the spend for reports.

    Returns:
        The new spend; the same value when the decision cost nothing.
    """
    if usage.cost_usd == 0 and usage.prompt_tokens == 0 and usage.completion_tokens == 0:
        return spend
    return Spend(
        day=day_of(now),
        usd_today=spent_today(spend, now) + usage.cost_usd,
        usd_total=spend.usd_total + usage.cost_usd,
        tokens_total=spend.tokens_total + usage.prompt_tokens + usage.completion_tokens,
        budget_usd=budget_usd,
    )
