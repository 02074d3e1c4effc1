"""The embedded local memory: state CAS, issues by marker, jobs once per fingerprint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prime_action.adapters.local.issues import LocalIssueStore
from prime_action.adapters.local.jobs import LocalJobQueue
from prime_action.adapters.local.state import LocalStateStore
from prime_action.domain.errors import ConflictError, StoreError
from prime_action.domain.markers import data_marker, signal_marker
from prime_action.domain.models import PrimeState


def _body(signal: str, fingerprint: str = "fp") -> str:
    return f"{signal_marker(signal)}\n{data_marker({'fingerprint': fingerprint})}\ntext"


def test_state_round_trips_and_a_stale_version_is_a_conflict(tmp_path: Path) -> None:
    store = LocalStateStore(tmp_path)
    assert store.load().state is None
    version = store.save(PrimeState(wake_count=1), None, None)
    loaded = store.load()
    assert loaded.state == PrimeState(wake_count=1)
    assert loaded.version == version
    store.save(PrimeState(wake_count=2), None, version)
    with pytest.raises(ConflictError, match="changed since it was read"):
        store.save(PrimeState(wake_count=3), None, version)


def test_corrupt_state_reads_as_none_so_it_can_be_rebuilt(tmp_path: Path) -> None:
    (tmp_path / ".prime").mkdir()
    (tmp_path / ".prime" / "state.json").write_text("{not json")
    stored = LocalStateStore(tmp_path).load()
    assert stored.state is None
    assert stored.version is not None  # a rewrite must still build on what is there


def test_issue_is_created_once_and_reopened_not_duplicated(tmp_path: Path) -> None:
    store = LocalIssueStore(tmp_path)
    first = store.open_issue("ci", "CI", _body("ci"), ("automated",))
    assert store.open_issue("ci", "CI", _body("ci"), ("automated",)) == first
    store.close_issue(first, "done")
    assert store.tracking_issues()[0].state == "closed"
    assert not store.tracking_issues()[0].closed_by_human
    assert store.open_issue("ci", "CI again", _body("ci"), ()) == first
    assert [(i.number, i.state) for i in store.tracking_issues()] == [(first, "open")]


def test_issue_closed_by_hand_counts_as_closed_by_a_human(tmp_path: Path) -> None:
    store = LocalIssueStore(tmp_path)
    number = store.open_issue("license", "t", _body("license", "abc"), ())
    path = tmp_path / ".prime" / "issues" / f"{number}.json"
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "state": "closed"}))
    tracked = store.tracking_issues()[0]
    assert tracked.closed_by_human
    assert tracked.fingerprint == "abc"


def test_comment_with_the_same_marker_is_posted_once(tmp_path: Path) -> None:
    store = LocalIssueStore(tmp_path)
    number = store.open_issue("ci", "t", _body("ci"), ())
    for _ in range(2):
        store.comment(number, "<!-- prime:comment=k -->\nhello", "<!-- prime:comment=k -->")
    assert store.get(number)["comments"] == ["<!-- prime:comment=k -->\nhello"]


def test_damaged_issue_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / ".prime" / "issues"
    folder.mkdir(parents=True)
    (folder / "1.json").write_text("[")
    with pytest.raises(StoreError, match=r"1\.json"):
        LocalIssueStore(tmp_path).tracking_issues()


def test_job_is_queued_once_per_signal_and_fingerprint(tmp_path: Path) -> None:
    queue = LocalJobQueue(tmp_path)
    first = queue.submit("ci", "agent", "fix it", "fp1")
    assert queue.submit("ci", "agent", "fix it", "fp1") == first
    assert queue.submit("ci", "agent", "fix it", "fp2") != first
    assert [j["fingerprint"] for j in queue.jobs()] == ["fp1", "fp2"]
