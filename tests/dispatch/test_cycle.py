"""A dispatcher cycle over in-memory ports: record first, crash safety, and a simulated week."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import timedelta
from itertools import pairwise

from prime_action.dispatch.cycle import NOT_STARTED, run_cycle
from prime_action.dispatch.ledger import OPEN, history
from prime_action.dispatch.outcomes import Outcome, record_outcome
from prime_action.dispatch.rules import DispatchSettings
from prime_action.domain.clock import FixedClock
from prime_action.domain.models import Attempt
from testing.dataplane import MemoryLedger, RecordingLauncher
from tests.dispatch.values import T0, item

ITEMS = tuple(item(rank=r, repo=f"acme/r{r}") for r in (1, 2, 3))


def test_attempts_are_recorded_pending_before_their_runners_start() -> None:
    ledger, seen = MemoryLedger(), []

    class Checking(RecordingLauncher):
        def launch(self, attempt: Attempt, item: object) -> int | None:
            seen.append([a.status for a in ledger.attempts if a.id == attempt.id])
            return super().launch(attempt, item)  # type: ignore[arg-type]

    report = run_cycle(ledger, Checking(), ITEMS, DispatchSettings(), T0)

    assert seen == [["pending"]] * 3
    assert [a.run_id for a in report.dispatched] == [1001, 1002, 1003]
    assert ledger.writes == 2  # the attempts, then their run ids


def test_a_rerun_dispatches_nothing_new_and_writes_nothing() -> None:
    ledger, launcher = MemoryLedger(), RecordingLauncher()
    run_cycle(ledger, launcher, ITEMS, DispatchSettings(), T0)
    writes = ledger.writes

    report = run_cycle(ledger, launcher, ITEMS, DispatchSettings(), T0 + timedelta(minutes=5))

    assert not report.dispatched
    assert len(launcher.launched) == 3
    assert ledger.writes == writes


def test_a_crash_mid_cycle_releases_the_untried_and_never_starts_anything_twice() -> None:
    ledger, launcher = MemoryLedger(), RecordingLauncher(fail_at=1)

    first = run_cycle(ledger, launcher, ITEMS, DispatchSettings(), T0)

    assert first.error is not None
    assert [a.status for a in ledger.attempts] == ["pending", "pending", "cancelled"]
    assert ledger.attempts[2].reason == NOT_STARTED
    second = run_cycle(ledger, launcher, ITEMS, DispatchSettings(), T0 + timedelta(minutes=1))
    assert [a.repo for a in second.dispatched] == ["acme/r3"]
    ids = [a.id for a, _ in launcher.launched]
    assert len(ids) == len(set(ids)) == 2
    assert "acme/r2" not in {i.repo for _, i in launcher.launched}  # unknown fate: waits


def test_dispatches_are_spaced() -> None:
    launcher = RecordingLauncher()

    run_cycle(MemoryLedger(), launcher, ITEMS, DispatchSettings(), T0)

    assert launcher.pauses == 2


def _simulated_runner(ledger: MemoryLedger, clock: FixedClock) -> None:
    """Runners take two hours; a third fail for the same reason; one in seven never reports."""
    for attempt in [a for a in ledger.attempts if a.status in OPEN]:
        digest = int(hashlib.sha256(attempt.id.encode()).hexdigest(), 16)
        age = (clock.now() - attempt.created_at).total_seconds() / 3600
        if age < 2 or digest % 7 == 0:
            continue
        status = "failed" if digest % 3 == 0 else "success"
        outcome = Outcome(attempt=attempt.id, status=status, reason="flaky" * (status == "failed"))
        ledger.attempts = record_outcome(ledger.attempts, outcome, clock.now())


def test_capacity_and_cooldown_hold_over_a_simulated_week_of_hourly_cycles() -> None:
    items = tuple(
        item(rank=2 * r + k, repo=f"acme/r{r}", signal=s, runner=runner, cooldown_hours=24)
        for r in range(6)
        for k, (s, runner) in enumerate((("license", "fileops"), ("ci", "agent")), start=1)
    )
    settings = DispatchSettings(capacity={"fileops": 2, "agent": 1}, timeout_hours=6)
    ledger, launcher, clock = MemoryLedger(), RecordingLauncher(), FixedClock(T0)
    for _hour in range(24 * 7):
        _simulated_runner(ledger, clock)
        run_cycle(ledger, launcher, items, settings, clock.now())
        open_now = [a for a in ledger.attempts if a.status in OPEN]
        by_runner = Counter(a.runner for a in open_now)
        assert by_runner["fileops"] <= 2
        assert by_runner["agent"] <= 1
        assert len({(a.repo, a.signal) for a in open_now}) == len(open_now)
        clock.advance(hours=1)

    ids = [a.id for a, _ in launcher.launched]
    assert len(ids) == len(set(ids)) == len(ledger.attempts)
    assert len(ids) > 20  # the week did real work
    statuses = Counter(a.status for a in ledger.attempts)
    assert statuses["timeout"] > 0
    assert statuses["success"] > 0
    for key in {(i.repo, i.signal) for i in items}:
        started = [a.created_at for a in history(ledger.attempts, *key)]
        gaps = [later - earlier for earlier, later in pairwise(started)]
        assert all(gap >= timedelta(hours=24) for gap in gaps), key
