"""The growth signal: seen from the snapshot, and refined with the wake's issues."""

from __future__ import annotations

import pytest

from prime_action.config.models import RepoConfig
from prime_action.domain.ports import TrackedIssue
from prime_action.eyes import SIGNAL_NAMES, run_signals, wanted_files
from prime_action.growth.signal import GROWTH, evaluate
from tests.growth.seeds import VALID
from tests.signals.snapshots import snap

NO_TASKS = VALID.split("growth_objectives:")[0]


@pytest.mark.parametrize(
    ("files", "status", "detail"),
    [
        ({}, "skipped", "no seed.yaml: growth mode is off"),
        ({"seed.yaml": VALID}, "unknown", "3 task(s) in seed.yaml; the wake counts their tickets"),
        ({"seed.yaml": NO_TASKS}, "ok", "seed.yaml lists no task"),
        ({"seed.yaml": "project: {}\n"}, "unknown", "seed.yaml:1: key 'project.name'"),
    ],
    ids=["no-seed", "seed-with-tasks", "seed-without-tasks", "broken-seed"],
)
def test_the_detector_reads_the_seed_from_the_snapshot(
    files: dict[str, str], status: str, detail: str
) -> None:
    found = GROWTH.detect(snap("README.md", files=files))
    assert found.status == status
    assert detail in found.detail
    assert found.fix is None


def test_a_listed_seed_that_was_not_read_is_unknown() -> None:
    assert GROWTH.detect(snap("seed.yaml")).status == "unknown"


def test_the_detector_wants_the_seed_only_when_it_is_there() -> None:
    assert list(GROWTH.wants(["README.md"])) == []
    assert wanted_files(("seed.yaml", "README.md"), RepoConfig()) >= {"seed.yaml"}


def test_growth_is_a_registered_signal_and_runs_with_the_others() -> None:
    assert "growth" in SIGNAL_NAMES
    results = {s.name: s for s in run_signals(snap(files={"seed.yaml": VALID}), RepoConfig())}
    assert results["growth"].status == "unknown"


def test_with_the_issues_known_the_signal_fails_until_the_limit_is_reached() -> None:
    assert evaluate(VALID, ()).status == "failing"
    tickets = tuple(
        TrackedIssue(number=n, signal=key, title="t", state="open", labels=("ai-task",))
        for n, key in ((1, "growth.parser.tokenizer"), (2, "growth.export.csv"))
    )
    ok = evaluate(VALID, tickets)
    assert ok.status == "ok"
    assert ok.fingerprint != evaluate(VALID, ()).fingerprint
