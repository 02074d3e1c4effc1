"""The Actor's bookkeeping beyond the brain's actions: labels follow Prime's memory."""

from __future__ import annotations

from pathlib import Path

from prime_action.adapters.local.issues import LocalIssueStore
from prime_action.adapters.local.jobs import LocalJobQueue
from prime_action.config.models import RepoConfig
from prime_action.domain.markers import signal_marker
from prime_action.domain.models import InFlight, PrimeState
from prime_action.repo.act import Actor
from tests.values import NOW


def test_in_progress_comes_off_an_open_issue_whose_job_is_no_longer_in_flight(
    tmp_path: Path,
) -> None:
    issues = LocalIssueStore(tmp_path)
    for name in ("license", "codeowners"):
        issues.open_issue(name, name, signal_marker(name), ("automated", "in-progress"))
    working = InFlight(
        signal="license", runner="fileops", attempt_id="a1", fingerprint="f", submitted_at=NOW
    )
    actor = Actor(issues, LocalJobQueue(tmp_path), RepoConfig(), {}, issues.tracking_issues(), NOW)

    actor.settle_labels(PrimeState(in_flight=(working,)))

    labels = {i.signal: i.labels for i in issues.tracking_issues()}
    assert labels == {"license": ("automated", "in-progress"), "codeowners": ("automated",)}
