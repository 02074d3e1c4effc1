"""The rules brain: heaviest failing signals first, recovered ones closed, at most 5 actions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.brain.rules import RulesBrain
from prime_action.config.models import RepoConfig
from prime_action.domain.conversation import Priority
from prime_action.domain.models import InFlight, PrimeState
from tests.values import NOW, issue, picture, signal


def _types(decision: object) -> list[tuple[str, str | None]]:
    return [(a.type, getattr(a, "signal", None)) for a in decision.actions]  # type: ignore[attr-defined]


def test_failing_signal_gets_a_job_and_no_issue_its_pr_is_the_record() -> None:
    decision = RulesBrain().decide(picture((signal("license"),)))
    assert _types(decision) == [("submit-job", "license")]
    assert decision.next_wake_hours == 1.0
    assert decision.brain == "rules"


def test_tracking_issues_always_opens_an_issue_before_the_job() -> None:
    config = RepoConfig.model_validate({"jobs": {"tracking_issues": "always"}})
    decision = RulesBrain().decide(picture((signal("license"),), config=config))
    assert _types(decision) == [("create-issue", "license"), ("submit-job", "license")]


def test_failing_signal_with_open_issue_only_gets_a_job() -> None:
    decision = RulesBrain().decide(picture((signal("license"),), (issue(3, "license"),)))
    assert _types(decision) == [("submit-job", "license")]


def test_heaviest_signal_is_fixed_first_and_actions_stop_at_five() -> None:
    signals = tuple(signal(f"s{i}", weight=float(i)) for i in range(1, 6))
    config = RepoConfig.model_validate({"jobs": {"tracking_issues": "always"}})
    decision = RulesBrain().decide(picture(signals, config=config))
    assert len(decision.actions) == 4  # two whole (issue, job) pairs fit in five
    assert [s for _, s in _types(decision)] == ["s5", "s5", "s4", "s4"]
    assert "3 more planned" in decision.summary


def test_recovered_signal_with_open_issue_is_closed() -> None:
    decision = RulesBrain().decide(picture((signal("ci", "ok"),), (issue(7, "ci"),)))
    assert _types(decision) == [("close-issue", "ci")]
    assert decision.next_wake_hours == 6.0


@pytest.mark.parametrize(
    ("state", "expected_hours"),
    [
        (PrimeState(blocked={"license": "fp-license"}), 24.0),
        (PrimeState(refused={"license": "fp-license"}), 24.0),
        (PrimeState(skipped=("license",)), 6.0),
        (PrimeState(cooldown_until={"license": NOW + timedelta(hours=3)}), 6.0),
        (
            PrimeState(
                in_flight=(
                    InFlight(signal="license", runner="fileops", attempt_id="a1", submitted_at=NOW),
                )
            ),
            1.0,
        ),
    ],
    ids=["blocked", "refused", "skipped", "cooling-down", "in-flight"],
)
def test_held_back_signal_gets_no_job_and_sets_the_next_wake(
    state: PrimeState, expected_hours: float
) -> None:
    decision = RulesBrain().decide(picture((signal("license"),), state=state))
    assert not [a for a in decision.actions if a.type == "submit-job"]
    assert decision.next_wake_hours == expected_hours


def test_blocked_signal_with_open_issue_is_labelled_needs_human_once() -> None:
    state = PrimeState(blocked={"license": "fp-license"})
    first = RulesBrain().decide(picture((signal("license"),), (issue(3, "license"),), state))
    assert _types(first) == [("label", "license")]
    labelled = issue(3, "license", labels=("needs-human",))
    again = RulesBrain().decide(picture((signal("license"),), (labelled,), state))
    assert again.actions == ()


@pytest.mark.parametrize(
    ("severity", "setting", "opened"),
    [
        ("high", "high", True),
        ("critical", "high", True),
        ("medium", "high", False),  # the dashboard's Needs a human lists it: no notification
        ("low", "low", True),
    ],
)
def test_a_blocked_signal_severe_enough_gets_an_issue_labelled_needs_human(
    severity: str, setting: str, opened: bool
) -> None:
    state = PrimeState(blocked={"license": "fp-license"})
    config = RepoConfig.model_validate({"jobs": {"escalation_issues": setting}})
    blocked = signal("license", severity=severity)
    decision = RulesBrain().decide(picture((blocked,), (), state, config=config))
    if not opened:
        assert decision.actions == ()
        return
    assert _types(decision) == [("create-issue", "license"), ("label", "license")]
    assert decision.actions[1].add == ("needs-human",)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("closed", "opened"),
    [
        ({"state_reason": "not_planned"}, False),  # a person said no: never reopened
        ({"state_reason": None}, False),
        ({"state_reason": "completed"}, True),  # done before (a merged fix): a new episode
        ({"state_reason": "not_planned", "fingerprint": "older"}, True),
    ],
)
def test_blocked_signal_reopens_no_issue_a_person_closed_on_its_fingerprint(
    closed: dict[str, object], opened: bool
) -> None:
    state = PrimeState(blocked={"license": "fp-license"})
    old = issue(3, "license", "closed", closed_by_human=True, **closed)
    decision = RulesBrain().decide(picture((signal("license", severity="high"),), (old,), state))
    assert bool(decision.actions) is opened


def test_paused_prime_only_waits() -> None:
    decision = RulesBrain().decide(picture((signal("license"),), state=PrimeState(status="paused")))
    assert _types(decision) == [("wait", None)]
    assert decision.next_wake_hours == 24.0


def test_unknown_and_unfixable_signals_get_no_action() -> None:
    signals = (signal("ci", "unknown"), signal("stale-prs", fix=None))
    decision = RulesBrain().decide(picture(signals))
    assert decision.actions == ()
    assert decision.summary == "Nothing to do now (idle)."


def test_no_new_job_starts_while_the_repository_is_at_its_in_flight_limit() -> None:
    running = tuple(
        InFlight(signal=name, runner="fileops", attempt_id=name, submitted_at=NOW)
        for name in ("a", "b")
    )
    signals = (signal("a"), signal("b"), signal("c"))
    decision = RulesBrain().decide(picture(signals, state=PrimeState(in_flight=running)))
    assert decision.actions == ()
    assert decision.summary == "Nothing to do now; 1 more planned (work pending)."
    assert decision.next_wake_hours == 1.0


def test_a_critical_signal_starts_even_at_the_in_flight_limit() -> None:
    running = tuple(
        InFlight(signal=name, runner="fileops", attempt_id=name, submitted_at=NOW)
        for name in ("a", "b")
    )
    signals = (signal("a"), signal("b"), signal("ci", weight=10.0, severity="critical"))
    decision = RulesBrain().decide(picture(signals, state=PrimeState(in_flight=running)))
    assert [(a.type, a.signal) for a in decision.actions] == [("submit-job", "ci")]


def test_a_maintainers_priority_orders_the_rules_brains_jobs_even_a_critical_one_down() -> None:
    until = NOW + timedelta(days=1)
    priorities = {
        "c": Priority(direction="up", until=until),
        "ci": Priority(direction="down", until=until),
    }
    running = (InFlight(signal="a", runner="fileops", attempt_id="a", submitted_at=NOW),)
    signals = (signal("a"), signal("b", weight=7.0), signal("c", weight=1.0),
               signal("ci", weight=10.0, severity="critical"))  # fmt: skip
    state = PrimeState(in_flight=running, priorities=priorities)
    decision = RulesBrain().decide(picture(signals, state=state))
    assert [(a.type, a.signal) for a in decision.actions] == [("submit-job", "c")]
    plain = RulesBrain().decide(picture(signals, state=PrimeState(in_flight=running)))
    assert [a.signal for a in plain.actions] == ["ci"]  # critical: first, past the limit
