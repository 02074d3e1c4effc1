"""The wake's memory bookkeeping: hibernation, refusals, commands and the next wake."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.config.models import RepoConfig
from prime_action.domain.models import (
    ORG_QUEUED,
    Decision,
    InFlight,
    JobResult,
    PrimeState,
    WakeReason,
)
from prime_action.repo.memory_update import (
    MAX_FLAGS,
    changed,
    conclude,
    hibernating,
    prepare,
    remember_flags,
)
from tests.values import NOW, issue, signal

LATER = NOW + timedelta(hours=3)


@pytest.mark.parametrize(
    ("state", "reason", "asleep"),
    [
        (PrimeState(next_wake_at=LATER), "schedule", True),
        (PrimeState(next_wake_at=NOW), "schedule", False),
        (PrimeState(next_wake_at=LATER), "manual", False),
        (PrimeState(next_wake_at=LATER), "ci-failed", False),
        (PrimeState(), "schedule", False),
        (None, "schedule", False),
    ],
)
def test_only_a_scheduled_tick_before_the_next_wake_hibernates(
    state: PrimeState | None, reason: WakeReason, asleep: bool
) -> None:
    assert hibernating(state, reason, NOW) is asleep


def _prepare(state: PrimeState, **kw: object):  # type: ignore[no-untyped-def]
    defaults: dict[str, object] = {
        "reason": "schedule",
        "signals": (signal("license"),),
        "issues": (),
        "config": RepoConfig(),
        "now": NOW,
    }
    return prepare(state, **{**defaults, **kw})  # type: ignore[arg-type]


def test_issue_closed_by_a_human_while_failing_is_a_refusal_of_that_fingerprint() -> None:
    closed = issue(4, "license", "closed", closed_by_human=True)
    prepared = _prepare(PrimeState(), issues=(closed,))
    assert prepared.state.refused == {"license": "fp-license"}
    assert prepared.picture.plan == ()


def test_issue_closed_by_a_human_for_an_old_fingerprint_refuses_nothing() -> None:
    closed = issue(4, "license", "closed", closed_by_human=True, fingerprint="older")
    prepared = _prepare(PrimeState(), issues=(closed,))
    assert prepared.state.refused == {}
    assert [i.signal for i in prepared.picture.plan] == ["license"]


@pytest.mark.parametrize(
    ("state_reason", "closed_now", "refused"),
    [
        ("not_planned", None, True),  # a person said no, whenever Prime sees it
        ("not_planned", 4, True),
        ("completed", None, False),  # a merged PR's `Fixes #4`, or done: seen later
        ("completed", 4, True),  # a person closed it as done while it still fails
        ("completed", 5, False),  # another issue's close woke Prime
        (None, None, True),  # closed before GitHub kept a reason: the older rule
    ],
)
def test_a_closed_issue_is_a_no_when_not_planned_or_closed_as_done_while_still_failing(
    state_reason: str | None, closed_now: int | None, refused: bool
) -> None:
    closed = issue(4, "license", "closed", closed_by_human=True, state_reason=state_reason)
    prepared = _prepare(PrimeState(), issues=(closed,), closed_now=closed_now)
    assert prepared.state.refused == ({"license": "fp-license"} if refused else {})
    assert bool(prepared.picture.plan) is not refused


def test_an_issue_prime_closed_is_never_a_no() -> None:
    closed = issue(4, "license", "closed", state_reason="not_planned")
    prepared = _prepare(PrimeState(), issues=(closed,), closed_now=4)
    assert prepared.state.refused == {}


JOB = InFlight(signal="license", runner="fileops", attempt_id="a1", submitted_at=NOW)


@pytest.mark.parametrize(
    ("reason", "refused"),
    [("pr-closed-unmerged", {"license": "fp-license"}), ("pr-merged", {})],
)
def test_prime_pr_closed_ends_its_job_and_unmerged_is_a_refusal(
    reason: WakeReason, refused: dict[str, str]
) -> None:
    prepared = _prepare(PrimeState(in_flight=(JOB,)), reason=reason, signal="license")
    assert prepared.state.in_flight == ()
    assert prepared.state.refused == refused
    assert [i.signal for i in prepared.picture.plan] == ([] if refused else ["license"])


@pytest.mark.parametrize(
    ("reason", "refused"),
    [("pr-closed-unmerged", {"license", "editorconfig"}), ("pr-merged", set())],
)
def test_a_grouped_pr_closed_ends_every_members_job_and_unmerged_refuses_them_all(
    reason: WakeReason, refused: set[str]
) -> None:
    jobs = (JOB, JOB.model_copy(update={"signal": "editorconfig", "attempt_id": "a2"}))
    state = PrimeState(in_flight=jobs, cooldown_until={"license": NOW + timedelta(hours=9)})
    prepared = _prepare(state, reason=reason, signal="fileops",
                        signals=(signal("license"), signal("editorconfig")),
                        signals_closed=("license", "editorconfig"))  # fmt: skip
    assert prepared.state.in_flight == ()
    assert set(prepared.state.refused) == refused
    # A merge ends the wait for review: a drift that comes back is fixed again at once.
    assert ("license" in prepared.state.cooldown_until) is bool(refused)


def test_refusal_lifts_when_the_fingerprint_changes() -> None:
    state = _prepare(PrimeState(), reason="pr-closed-unmerged", signal="license").state
    changed_signal = signal("license").model_copy(update={"fingerprint": "fp-new"})
    prepared = _prepare(state, signals=(changed_signal,))
    assert [i.signal for i in prepared.picture.plan] == ["license"]


def _result(status: str, attempt: str = "a1") -> JobResult:
    return JobResult.model_validate(
        {"attempt": attempt, "signal": "license", "status": status, "fingerprint": "fp-license"}
    )


@pytest.mark.parametrize(
    ("status", "blocked", "cooldown_hours"),
    [
        ("success", {}, 72.0),  # a PR is open: wait for its review
        ("failed", {}, 6.0),
        ("timeout", {}, 6.0),
        ("blocked", {"license": "fp-license"}, None),
        ("cancelled", {}, None),
    ],
)
def test_job_result_ends_the_job_and_holds_the_signal_as_its_status_says(
    status: str, blocked: dict[str, str], cooldown_hours: float | None
) -> None:
    prepared = _prepare(PrimeState(in_flight=(JOB,)), reason="job-result", result=_result(status))
    assert prepared.state.in_flight == ()
    assert prepared.state.blocked == blocked
    until = prepared.state.cooldown_until.get("license")
    assert until == (NOW + timedelta(hours=cooldown_hours) if cooldown_hours else None)
    held = blocked or cooldown_hours
    assert [i.signal for i in prepared.picture.plan] == ([] if held else ["license"])


def test_result_of_an_older_attempt_leaves_the_current_job_alone() -> None:
    prepared = _prepare(
        PrimeState(in_flight=(JOB,)), reason="job-result", result=_result("failed", "a0")
    )
    assert prepared.state.in_flight == (JOB,)


def test_any_result_for_the_signal_ends_a_job_queued_for_the_org() -> None:
    queued = JOB.model_copy(update={"attempt_id": f"{ORG_QUEUED}a1b2"})
    prepared = _prepare(
        PrimeState(in_flight=(queued,)), reason="job-result", result=_result("failed", "sig-9f")
    )
    assert prepared.state.in_flight == ()


def test_running_result_changes_nothing() -> None:
    state = PrimeState(in_flight=(JOB,))
    prepared = _prepare(state, reason="job-result", result=_result("running"))
    assert prepared.state.in_flight == (JOB,)
    assert prepared.state.cooldown_until == {}


def test_command_is_applied_before_the_plan_is_built() -> None:
    prepared = _prepare(PrimeState(), commands=(("skip", ("license",)),))
    assert prepared.command is not None
    assert prepared.command.reply == "skip"
    assert prepared.picture.plan == ()


APPROVAL = RepoConfig.model_validate({"jobs": {"require_approval": True}})


@pytest.mark.parametrize("command", ["run", "retry"])
def test_a_run_or_retry_approves_the_current_evidence_and_plans_it_in_approval_mode(
    command: str,
) -> None:
    held = _prepare(PrimeState(), config=APPROVAL)
    assert held.picture.plan == ()
    prepared = _prepare(PrimeState(), config=APPROVAL, commands=((command, ("license",)),))
    assert prepared.state.approved == {"license": "fp-license"}
    assert [i.signal for i in prepared.picture.plan] == ["license"]


@pytest.mark.parametrize(
    ("signals", "kept"),
    [
        ((signal("license"),), {"license": "fp-license"}),
        ((signal("license", fingerprint="new"),), {}),
        ((signal("license", "ok"),), {}),
    ],
    ids=["same-evidence", "new-evidence", "recovered"],
)
def test_an_approval_lasts_while_its_evidence_does(
    signals: tuple[object, ...], kept: dict[str, str]
) -> None:
    state = PrimeState(approved={"license": "fp-license"})
    assert _prepare(state, config=APPROVAL, signals=signals).state.approved == kept


def test_uneventful_wake_keeps_the_scheduled_next_wake() -> None:
    first = conclude(None, _prepare(PrimeState()), Decision(summary="s"), "id", NOW)
    again = conclude(first, _prepare(first), Decision(summary="s"), "id", NOW + timedelta(hours=1))
    assert again.next_wake_at == first.next_wake_at == NOW + timedelta(hours=6)
    assert not changed(first, again)


def test_wake_at_the_scheduled_time_moves_the_next_wake() -> None:
    first = conclude(None, _prepare(PrimeState()), Decision(summary="s"), "id", NOW)
    later = NOW + timedelta(hours=6)
    again = conclude(first, _prepare(first, now=later), Decision(summary="s"), "id", later)
    assert again.next_wake_at == later + timedelta(hours=6)
    assert changed(first, again)


def test_remembered_flags_stay_bounded() -> None:
    state = remember_flags(PrimeState(), tuple(f"k{i}" for i in range(MAX_FLAGS + 5)))
    assert len(state.flagged) == MAX_FLAGS
    assert state.flagged[-1] == f"k{MAX_FLAGS + 4}"
