"""The daily LLM budget: today's spend, the refusal once it is spent, and the new day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.brain.budget import budget_refusal, record_spend, spent_today
from prime_action.domain.models import Spend, Usage
from tests.values import NOW

TODAY = Spend(day="2026-11-21", usd_today=0.4, usd_total=3.0, tokens_total=900)


@pytest.mark.parametrize(
    ("spend", "budget", "refused"),
    [
        (TODAY, 1.0, False),
        (TODAY, 0.4, True),
        (TODAY, 0.0, True),
        (Spend(day="2026-11-20", usd_today=5.0), 1.0, False),
    ],
)
def test_a_call_is_refused_only_once_today_reaches_the_budget(
    spend: Spend, budget: float, refused: bool
) -> None:
    reason = budget_refusal(spend, budget, NOW)
    assert bool(reason) is refused
    if refused:
        assert "brain.budget_usd_per_day" in reason


def test_spend_of_an_earlier_day_counts_as_nothing_today() -> None:
    assert spent_today(TODAY, NOW) == 0.4
    assert spent_today(TODAY, NOW + timedelta(days=1)) == 0.0


def test_recording_adds_to_today_and_the_totals() -> None:
    after = record_spend(
        TODAY, Usage(prompt_tokens=100, completion_tokens=20, cost_usd=0.1), NOW, 2.0
    )
    assert (after.day, after.tokens_total, after.budget_usd) == ("2026-11-21", 1020, 2.0)
    assert (after.usd_today, after.usd_total) == pytest.approx((0.5, 3.1))


def test_recording_on_a_new_day_starts_the_day_again() -> None:
    after = record_spend(TODAY, Usage(cost_usd=0.1), NOW + timedelta(days=1), 1.0)
    assert after.day == "2026-11-22"
    assert (after.usd_today, after.usd_total) == pytest.approx((0.1, 3.1))


def test_a_decision_without_usage_leaves_the_spend_as_it_was() -> None:
    assert record_spend(TODAY, Usage(), NOW, 1.0) is TODAY
