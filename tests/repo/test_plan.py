"""The plan: failing fixable signals free to work on, heaviest first, ages kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.config.models import RepoConfig
from prime_action.domain.conversation import Priority
from prime_action.domain.models import Decision, DecisionRecord, Fix, InFlight, PlanItem, PrimeState
from prime_action.repo.plan import (
    AWAITING_APPROVAL,
    NEEDS_AGENT,
    build_plan,
    expire_in_flight,
    hold_reason,
    order_plan,
    prune_decisions,
)
from tests.values import NOW, signal

CONFIG = RepoConfig()
JOB = InFlight(signal="license", runner="fileops", attempt_id="a", submitted_at=NOW)


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (PrimeState(), ""),
        (PrimeState(skipped=("license",)), "skipped by a maintainer"),
        (PrimeState(in_flight=(JOB,)), "already in flight"),
        (PrimeState(blocked={"license": "fp-license"}), "blocked"),
        (PrimeState(blocked={"license": "old-fp"}), ""),
        (PrimeState(refused={"license": "fp-license"}), "said no"),
        (PrimeState(refused={"license": "old-fp"}), ""),
        (PrimeState(cooldown_until={"license": NOW + timedelta(minutes=1)}), "cooling down"),
        (PrimeState(cooldown_until={"license": NOW}), ""),
    ],
)
def test_signal_is_held_back_only_for_a_current_reason(state: PrimeState, reason: str) -> None:
    found = hold_reason(signal("license"), state, CONFIG, NOW)
    assert (reason in found and found) if reason else found == ""


def test_disallowed_runner_holds_the_signal_back() -> None:
    config = RepoConfig.model_validate({"jobs": {"runners": ["agent"]}})
    assert "not allowed" in hold_reason(signal("license"), PrimeState(), config, NOW)


@pytest.mark.parametrize(
    ("config", "held"),
    [
        ({}, True),
        ({"agent": {"command": ["claude", "-p"]}}, False),
        ({"agent": {"model": "openai/gpt-4o-mini"}}, False),
        ({"brain": {"model": "openai/gpt-4o-mini"}}, False),
    ],
    ids=["no-agent", "agent-cli", "agent-model", "brain-model"],
)
def test_an_agent_item_waits_for_an_agent_as_the_runner_would_pick_one(
    config: dict[str, object], held: bool
) -> None:
    agent_fix = Fix(runner="agent", approach="write AGENTS.md")
    found = hold_reason(
        signal("agent-instructions", fix=agent_fix),
        PrimeState(),
        RepoConfig.model_validate(config),
        NOW,
    )
    assert (found == NEEDS_AGENT) is held
    assert found in ("", NEEDS_AGENT)


def test_without_an_agent_only_the_other_runners_items_are_planned() -> None:
    signals = (signal("license"), signal("contributing", fix=Fix(runner="agent", approach="x")))
    assert [i.signal for i in build_plan(signals, PrimeState(), CONFIG, NOW)] == ["license"]


APPROVAL = RepoConfig.model_validate({"jobs": {"require_approval": True}})


@pytest.mark.parametrize(
    ("approved", "held"),
    [({}, True), ({"license": "fp-license"}, False), ({"license": "old-fp"}, True)],
    ids=["not-approved", "approved", "approved-for-other-evidence"],
)
def test_in_approval_mode_only_a_fix_approved_on_its_evidence_is_planned(
    approved: dict[str, str], held: bool
) -> None:
    state = PrimeState(approved=approved)
    assert (hold_reason(signal("license"), state, APPROVAL, NOW) == AWAITING_APPROVAL) is held
    assert bool(build_plan((signal("license"),), state, APPROVAL, NOW)) is not held
    assert hold_reason(signal("license"), state, CONFIG, NOW) == ""  # approval mode is opt-in


def test_plan_is_heaviest_first_and_keeps_the_age_of_known_items() -> None:
    earlier = NOW - timedelta(days=2)
    old = PlanItem(
        signal="b", runner="fileops", approach="x", reason="r", weight=1, added_at=earlier
    )
    signals = (signal("a", weight=2.5), signal("b", weight=10), signal("c", "ok"))
    plan = build_plan(signals, PrimeState(plan=(old,)), CONFIG, NOW)
    assert [(i.signal, i.added_at) for i in plan] == [("b", earlier), ("a", NOW)]


@pytest.mark.parametrize(
    ("status", "age_hours", "kept"),
    [("failing", 1, True), ("ok", 1, False), ("failing", 25, False)],
    ids=["still-failing", "recovered", "timed-out"],
)
def test_in_flight_jobs_end_when_the_signal_recovers_or_time_runs_out(
    status: str, age_hours: float, kept: bool
) -> None:
    job = JOB.model_copy(update={"submitted_at": NOW - timedelta(hours=age_hours)})
    state = expire_in_flight(PrimeState(in_flight=(job,)), (signal("license", status),), NOW, 24)
    assert bool(state.in_flight) is kept


def test_decisions_older_than_48_hours_are_pruned() -> None:
    records = tuple(
        DecisionRecord(
            at=NOW - timedelta(hours=h), reason="schedule", decision=Decision(summary="")
        )
        for h in (72, 49, 47, 0)
    )
    assert [r.at for r in prune_decisions(records, NOW)] == [records[2].at, records[3].at]


def _items(*weights: tuple[str, float]) -> tuple[PlanItem, ...]:
    return tuple(
        PlanItem(signal=n, runner="fileops", approach="", reason="", weight=w, added_at=NOW)
        for n, w in weights
    )


def test_a_priority_puts_its_signal_first_or_last_until_it_expires() -> None:
    plan = _items(("ci", 10.0), ("dependabot", 7.5), ("license", 2.5))
    priorities = {
        "license": Priority(direction="up", until=NOW + timedelta(hours=1)),
        "ci": Priority(direction="down", until=NOW + timedelta(hours=1)),
        "dependabot": Priority(direction="down", until=NOW),  # expired just now
    }
    ordered = order_plan(plan, priorities, NOW)
    assert [(i.signal, i.priority) for i in ordered] == [
        ("license", "up"),
        ("dependabot", None),
        ("ci", "down"),
    ]
    later = order_plan(plan, priorities, NOW + timedelta(hours=2))
    assert [(i.signal, i.priority) for i in later] == [(i.signal, None) for i in plan]
