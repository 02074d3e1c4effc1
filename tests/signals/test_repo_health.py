"""Live-state detectors: CI on the default branch and stale pull requests."""

from __future__ import annotations

import pytest

from prime_action.signals.base import CiStatus
from prime_action.signals.repo_health import Ci, StalePrs
from tests.signals.snapshots import pr, remote, snap

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_ci_is_unknown_in_a_local_checkout() -> None:
    signal = Ci().detect(snap("README.md"))
    assert (signal.status, signal.detail) == (
        "unknown",
        "CI status is not visible from a local checkout",
    )


def test_ci_is_unknown_remotely_when_the_status_was_not_read() -> None:
    assert Ci().detect(remote(ci=None)).detail == "CI status was not read"


@pytest.mark.parametrize(
    ("state", "status", "detail"),
    [
        pytest.param("success", "ok", "checks pass on 0123456", id="green_commit_is_ok"),
        pytest.param("pending", "unknown", "checks still running on 0123456", id="pending"),
        pytest.param("none", "unknown", "no checks reported on 0123456", id="no_checks"),
    ],
)
def test_ci_reports_the_default_branch_state(state: str, status: str, detail: str) -> None:
    signal = Ci().detect(remote(ci=CiStatus.model_validate({"state": state, "sha": SHA})))
    assert (signal.status, signal.detail) == (status, detail)


def test_ci_failing_names_the_failing_checks_and_offers_the_agent() -> None:
    ci = CiStatus(state="failure", sha=SHA, failing=("test (3.12)", "lint"))
    signal = Ci().detect(remote(ci=ci))
    assert signal.status == "failing"
    assert signal.detail == "failing on 0123456: lint, test (3.12)"
    assert signal.fix is not None
    assert signal.fix.runner == "agent"
    assert "lint, test (3.12)" in signal.fix.approach


def test_ci_failing_without_check_names_still_fails() -> None:
    signal = Ci().detect(remote(ci=CiStatus(state="failure")))
    assert signal.detail == "failing on the default branch: unnamed checks"


def test_ci_fingerprint_follows_the_failing_checks_not_the_commit() -> None:
    first = Ci().detect(remote(ci=CiStatus(state="failure", sha="a" * 40, failing=("lint",))))
    next_push = Ci().detect(remote(ci=CiStatus(state="failure", sha="b" * 40, failing=("lint",))))
    other = Ci().detect(remote(ci=CiStatus(state="failure", sha="b" * 40, failing=("test",))))
    assert first.fingerprint == next_push.fingerprint
    assert first.fingerprint != other.fingerprint


def test_stale_prs_is_skipped_locally_when_open_prs_is_none() -> None:
    signal = StalePrs().detect(snap("README.md"))
    assert signal.status == "skipped"


def test_stale_prs_is_unknown_remotely_when_pull_requests_were_not_read() -> None:
    assert StalePrs().detect(remote(open_prs=None)).status == "unknown"


@pytest.mark.parametrize(
    ("prs", "days", "status"),
    [
        pytest.param((), 14, "ok", id="no_open_pull_requests_is_ok"),
        pytest.param((pr(1, 3),), 14, "ok", id="recent_pull_request_is_ok"),
        pytest.param((pr(1, 20),), 14, "failing", id="idle_pull_request_fails"),
        pytest.param((pr(1, 20, draft=True),), 14, "ok", id="idle_drafts_are_not_stale"),
        pytest.param((pr(1, 20),), 30, "ok", id="threshold_comes_from_the_days_setting"),
        pytest.param((pr(1, 14),), 14, "failing", id="exactly_the_threshold_is_stale"),
    ],
)
def test_stale_prs_fails_for_pull_requests_idle_past_the_threshold(
    prs: tuple, days: int, status: str
) -> None:
    assert StalePrs(days=days).detect(remote(open_prs=prs)).status == status


def test_stale_prs_lists_the_oldest_first_and_has_no_fix() -> None:
    signal = StalePrs().detect(remote(open_prs=(pr(7, 15), pr(3, 40), pr(9, 1))))
    assert signal.detail == (
        "2 idle for 14+ days: "
        "#3 'Change 3' by octocat (40 days); #7 'Change 7' by octocat (15 days)"
    )
    assert signal.fix is None


def test_stale_prs_fingerprint_hashes_the_stale_numbers() -> None:
    first = StalePrs().detect(remote(open_prs=(pr(7, 15), pr(3, 40))))
    older = StalePrs().detect(remote(open_prs=(pr(3, 41), pr(7, 16))))
    another = StalePrs().detect(remote(open_prs=(pr(3, 41), pr(8, 16))))
    assert first.fingerprint == older.fingerprint
    assert first.fingerprint != another.fingerprint
