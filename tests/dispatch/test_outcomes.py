"""Outcomes in the ledger: the third failure with the same reason makes the attempt blocked."""

from __future__ import annotations

import pytest

from prime_action.dispatch.outcomes import Outcome, failure, mark_running, record_outcome
from prime_action.domain.errors import ConflictError, GitHubError, PrimeError, UsageError
from prime_action.domain.models import Attempt
from tests.dispatch.values import T0, attempt

REASON = "commit rejected: protected branch"


def _ledger(*statuses_reasons: tuple[str, str], fingerprint: str = "f") -> tuple[Attempt, ...]:
    earlier = tuple(
        attempt(id=f"a{i}", status=s, reason=r, hours_ago=100 - i, fingerprint=fingerprint)
        for i, (s, r) in enumerate(statuses_reasons)
    )
    return (*earlier, attempt(id="now", status="running", hours_ago=1, fingerprint="f"))


def _status(ledger: tuple[Attempt, ...], reason: str = REASON) -> str:
    after = record_outcome(ledger, Outcome(attempt="now", status="failed", reason=reason), T0)
    return next(a.status for a in after if a.id == "now")


def test_the_third_failure_with_the_same_reason_is_blocked() -> None:
    assert _status(_ledger(("failed", REASON), ("failed", REASON))) == "blocked"


@pytest.mark.parametrize(
    "earlier",
    [
        (("failed", REASON),),
        (("failed", "another reason"), ("failed", REASON)),
        (("failed", REASON), ("success", "")),
        (("failed", REASON), ("timeout", "no report")),
    ],
)
def test_fewer_or_different_failures_stay_failed(earlier: tuple[tuple[str, str], ...]) -> None:
    assert _status(_ledger(*earlier)) == "failed"


def test_a_boundary_rule_saying_not_now_never_blocks_the_item() -> None:
    # A PR limit is the organisation's pace, not the job's fault: no needs-human for it.
    limit = "skipped: 50 Prime PRs open in the organisation (prs.org_max_open: 50)"
    assert _status(_ledger(("failed", limit), ("failed", limit)), limit) == "failed"
    assert _status(_ledger(("failed", REASON), ("failed", REASON))) == "blocked"


def test_failures_on_another_fingerprint_do_not_count() -> None:
    ledger = _ledger(("failed", REASON), ("failed", REASON), fingerprint="old")

    assert _status(ledger) == "failed"


def test_cancelled_attempts_neither_break_nor_extend_the_row() -> None:
    assert _status(_ledger(("failed", REASON), ("cancelled", ""), ("failed", REASON))) == "blocked"


def test_a_repeated_report_changes_nothing_and_a_late_one_is_kept() -> None:
    ledger = _ledger()
    done = record_outcome(ledger, Outcome(attempt="now", status="success", pr_url="u"), T0)

    assert record_outcome(done, Outcome(attempt="now", status="failed", reason="x"), T0) == done
    late = (attempt(id="now", status="timeout"),)
    after = record_outcome(late, Outcome(attempt="now", status="success"), T0)
    assert after[0].status == "success"


def test_an_unknown_attempt_is_a_usage_error_naming_the_ledger() -> None:
    with pytest.raises(UsageError, match=r"attempts.jsonl has no attempt 'zz'"):
        record_outcome((), Outcome(attempt="zz", status="success"), T0)


def test_a_started_runner_marks_its_attempt_running_with_its_run_id() -> None:
    ledger = (attempt(id="a", status="pending", hours_ago=1),)

    (after,) = mark_running(ledger, "a", 77, T0)

    assert (after.status, after.run_id, after.heartbeat_at) == ("running", 77, T0)
    assert (
        mark_running((attempt(id="a", status="cancelled"),), "a", 77, T0)[0].status == "cancelled"
    )


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (GitHubError("read x: GitHub did not answer (ReadTimeout); rerun"), "cancelled"),
        (GitHubError("write x: GitHub answered 502 Server Error", status=502), "cancelled"),
        (GitHubError("x: GitHub answered 429", status=429), "cancelled"),
        (GitHubError("x: GitHub answered 403 You have exceeded a secondary rate limit", status=403),
         "cancelled"),
        (GitHubError("x: GitHub answered 403 Resource not accessible", status=403), "failed"),
        (GitHubError("x: GitHub answered 404 Not Found", status=404), "failed"),
        (ConflictError("the state branch moved"), "failed"),
    ],
)  # fmt: skip
def test_a_github_outage_cancels_the_attempt_and_any_other_error_fails_it(
    error: PrimeError, status: str
) -> None:
    outcome = failure("a", error)

    assert outcome.status == status
    assert str(error) in outcome.reason


def test_an_outage_between_equal_failures_neither_breaks_nor_extends_the_row() -> None:
    outage = failure("x", GitHubError("x: GitHub answered 500", status=500)).reason
    ledger = _ledger(("failed", REASON), ("cancelled", outage), ("failed", REASON))

    assert _status(ledger) == "blocked"
    cancelled = Outcome(attempt="now", status="cancelled", reason=outage)
    after = record_outcome(_ledger(("failed", REASON), ("failed", REASON)), cancelled, T0)
    assert next(a.status for a in after if a.id == "now") == "cancelled"


def test_a_runner_that_reports_blocked_blocks_the_item_at_its_first_attempt() -> None:
    # An agent's ESCALATE, or no agent to run: the same input would end the same way.
    reason = "the agent escalated: the fix needs a product decision"
    outcome = Outcome(attempt="now", status="blocked", reason=reason)
    after = record_outcome(_ledger(), outcome, T0)
    assert [(a.status, a.reason) for a in after if a.id == "now"] == [("blocked", reason)]
