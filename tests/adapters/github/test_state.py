"""The state branch: created on first write, compare-and-swap after that, one read to load."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from prime_action.adapters.github.branch import BranchFiles
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.state import GitHubStateStore, git_blob_sha
from prime_action.domain.errors import ConflictError
from prime_action.domain.models import Decision, DecisionRecord, PrimeState
from prime_action.repo.memory import dump_state
from testing.faults import Fault
from testing.github import FakeGitHub
from tests.values import NOW

REPO = "acme/api"


def _record(hours_ago: float = 0) -> DecisionRecord:
    return DecisionRecord(
        at=NOW - timedelta(hours=hours_ago), reason="schedule", decision=Decision(summary="s")
    )


def test_first_save_creates_the_orphan_branch_and_load_reads_it_back(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    assert store.load().state is None
    version = store.save(PrimeState(wake_count=1), _record(), None)
    assert fake_github.ref(REPO, "prime-state") is not None
    loaded = store.load()
    assert loaded.state == PrimeState(wake_count=1)
    assert loaded.version == version == git_blob_sha(dump_state(PrimeState(wake_count=1)))
    assert [r.decision.summary for r in store.decisions()] == ["s"]


def test_loading_state_costs_exactly_one_request(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    store.save(PrimeState(), None, None)
    fake_github.reset_counts()
    store.load()
    assert len(fake_github.requests) == 1
    assert client.counter.total >= 1


def test_save_on_a_stale_version_is_a_conflict_and_loses_nothing(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    first = store.save(PrimeState(wake_count=1), None, None)
    store.save(PrimeState(wake_count=2), None, first)
    with pytest.raises(ConflictError):
        store.save(PrimeState(wake_count=3), None, first)
    assert store.load().state == PrimeState(wake_count=2)


def test_a_ref_moved_between_read_and_write_is_a_conflict(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    version = store.save(PrimeState(wake_count=1), None, None)
    fake_github.race_ref(REPO, "heads/prime-state")
    with pytest.raises(ConflictError, match="moved during the write"):
        store.save(PrimeState(wake_count=2), None, version)


def test_decision_log_is_pruned_to_48_hours_on_write(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    version = store.save(PrimeState(), _record(hours_ago=60), None)
    store.save(PrimeState(wake_count=1), _record(), version)
    lines = (fake_github.read(REPO, "decisions.jsonl", ref="prime-state") or "").splitlines()
    assert [json.loads(line)["at"] for line in lines] == ["2026-11-21T07:00:00Z"]


def test_corrupt_state_reads_as_none_with_a_version_to_build_on(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    store.save(PrimeState(), None, None)
    fake_github.push(REPO, {"state.json": "{broken"}, branch="prime-state")
    stored = store.load()
    assert stored.state is None
    assert stored.version is not None
    store.save(PrimeState(rebuilt=True), None, stored.version)
    assert store.load().state == PrimeState(rebuilt=True)


@pytest.mark.parametrize("kind", [Fault.SERVER_ERROR, Fault.TIMEOUT, Fault.APPLIED_THEN_ERROR])
@pytest.mark.parametrize("step", ["/git/trees", "/git/commits"])
def test_a_failed_tree_or_commit_creation_is_retried_and_the_save_lands(
    fake_github: FakeGitHub, client: GitHubClient, kind: Fault, step: str
) -> None:
    # Nothing refers to a new tree or commit until the ref moves: making one twice is harmless.
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    version = store.save(PrimeState(wake_count=1), None, None)
    fake_github.fail_matching(lambda r: r.method == "POST" and r.template.endswith(step), kind)
    fake_github.reset_counts()
    store.save(PrimeState(wake_count=2), None, version)
    assert store.load().state == PrimeState(wake_count=2)
    assert fake_github.requests.count(("POST", f"/repos/{REPO}{step}")) == 2


@pytest.mark.parametrize("kind", [Fault.SERVER_ERROR, Fault.APPLIED_THEN_ERROR])
def test_a_failed_ref_move_is_repeated_and_moves_the_ref_once(
    fake_github: FakeGitHub, client: GitHubClient, kind: Fault
) -> None:
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    version = store.save(PrimeState(wake_count=1), None, None)
    before = fake_github.ref(REPO, "prime-state")
    fake_github.fail_matching(lambda r: r.method == "PATCH" and "/git/refs/" in r.template, kind)
    store.save(PrimeState(wake_count=2), None, version)
    assert store.load().state == PrimeState(wake_count=2)
    head = fake_github.repos[REPO].git.commit(fake_github.ref(REPO, "prime-state") or "")
    assert head is not None
    assert head.parents == (before,)  # one commit on top: the repeat moved nothing more


def _large_state() -> PrimeState:
    """A valid state whose state.json is about 1.8 MB (the contents API's limit is 1 MB)."""
    return PrimeState(flagged=tuple(f"{i:064x}" for i in range(25_000)))


def test_a_state_file_over_one_megabyte_loads_through_the_blob_api_in_two_requests(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    store = GitHubStateStore(client, REPO)
    state = _large_state()
    version = store.save(state, None, None)
    assert len(dump_state(state)) > 1024 * 1024
    fake_github.reset_counts()

    loaded = store.load()

    assert loaded.state == state
    assert loaded.version == version
    assert [path.rsplit("/", 2)[-2] for _, path in fake_github.requests] == ["contents", "blobs"]


def test_the_fake_answers_a_file_over_one_megabyte_as_github_does_without_content(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO, {"big.json": "x" * (1024 * 1024 + 1), "small.json": "{}"})
    repo = client.github.get_repo(REPO)
    big, small = repo.get_contents("big.json"), repo.get_contents("small.json")
    assert not isinstance(big, list)
    assert not isinstance(small, list)
    assert (big.encoding, big.content, big.size) == ("none", "", 1024 * 1024 + 1)
    assert (small.encoding, small.decoded_content) == ("base64", b"{}")


def test_a_run_sheet_over_one_megabyte_is_read_whole_from_the_default_branch(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    sheet = json.dumps([{"rank": i, "reason": "r" * 100} for i in range(1, 13_001)])
    assert len(sheet) > 1.5 * 1024 * 1024
    fake_github.add_repo(REPO, {"run-sheet.json": sheet})

    assert BranchFiles(client, REPO, "main").read("run-sheet.json") == sheet
