"""A fault on any single request of a wake, then a rerun: no duplicate and no lost update.

Each scenario is run once cleanly to count its requests; then, for every request position
and every kind of fault, a fresh fake GitHub fails that one request, the wake is run (it may
fail), and run again. The outcome must equal the clean run's: the same tracking issues (one
per signal), one dashboard, no comment posted twice, the same jobs in flight.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient, RetryPolicy
from prime_action.domain.clock import FixedClock
from prime_action.domain.errors import PrimeError
from prime_action.domain.markers import PREFIX
from prime_action.domain.models import PrimeState
from prime_action.flows.wake import wake_on_github
from testing.faults import Fault
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, TOKEN, dashboards, tracking
from tests.events.payloads import payload

pytestmark = pytest.mark.slow

NOW = FixedClock(datetime(2026, 11, 21, 6, 0)).now()
KINDS = (Fault.SERVER_ERROR, Fault.SECONDARY_RATE_LIMIT, Fault.APPLIED_THEN_ERROR)

Outcome = tuple[object, ...]


def _wake(fake: FakeGitHub, event: Path, now: datetime, sleeps: list[float]) -> PrimeError | None:
    env = ActionsEnv(
        repository=REPO, event_name="workflow_dispatch", event_path=event, token=TOKEN,
        api_url=fake.base_url, write_spacing=0,
    )  # fmt: skip
    policy = RetryPolicy(sleep=sleeps.append)
    client = GitHubClient(TOKEN, fake.base_url, policy=policy, write_spacing=0)
    try:
        wake_on_github(env, client, now)
    except PrimeError as e:
        return e
    finally:
        client.close()
    return None


def _outcome(fake: FakeGitHub) -> Outcome:
    """What must not depend on faults: issues, dashboard, comments, jobs, plan."""
    issues = fake.issues(REPO)
    markers = Counter(
        comment.body.split("\n", 1)[0]
        for issue in issues
        for comment in fake.comments(REPO, issue.number)
    )
    text = fake.read(REPO, "state.json", ref="prime-state")
    state = PrimeState.model_validate(json.loads(text)) if text else None
    return (
        sorted((i.title, i.state, tuple(sorted(i.labels))) for i in issues),
        sorted(tracking(fake)),
        len(dashboards(fake)),
        sorted(marker for marker, n in markers.items() if n > 1),  # posted twice
        # Attempt ids may carry the moment of submission: a job first submitted by the rerun
        # has a later one. What counts is which jobs are in flight.
        sorted(j.signal for j in state.in_flight) if state else None,
        [item.signal for item in state.plan] if state else None,
        all(PREFIX in (i.body or "") for i in issues),
    )


Scenario = Callable[[FakeGitHub, Path], datetime]


def _fresh_repo(fake: FakeGitHub, event: Path) -> datetime:
    fake.add_repo(REPO, FILES)
    fake.set_ci(REPO, "failure", failing=["test"])
    return NOW


def _ci_recovered(fake: FakeGitHub, event: Path) -> datetime:
    """A second wake: CI is green again, so the ci issue is closed and new work starts."""
    _fresh_repo(fake, event)
    assert _wake(fake, event, NOW, []) is None
    fake.set_ci(REPO, "success")
    return NOW + timedelta(hours=2)


SCENARIOS = {"first wake": _fresh_repo, "ci recovered": _ci_recovered}


def _run(scenario: Scenario, event: Path, fault: tuple[int, Fault] | None) -> tuple[Outcome, int]:
    sleeps: list[float] = []
    with FakeGitHub() as fake:
        now = scenario(fake, event)
        fake.reset_counts()
        if fault is not None:
            fake.fail(*fault)
        first = _wake(fake, event, now, sleeps)
        requests = len(fake.requests)
        if first is not None or fault is not None:
            assert _wake(fake, event, now + timedelta(minutes=5), sleeps) is None
        assert not fake.take_violations()
        if fault is not None and fault[1] is Fault.SECONDARY_RATE_LIMIT:
            assert 1.0 in sleeps or first is not None  # Retry-After honoured when retried
        return _outcome(fake), requests


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_fault_on_any_request_then_a_rerun_leaves_no_duplicate_and_no_lost_update(
    name: str, kind: Fault, tmp_path: Path
) -> None:
    event = tmp_path / "workflow_dispatch.json"
    event.write_text(json.dumps(payload("workflow_dispatch")))
    scenario = SCENARIOS[name]
    clean, total = _run(scenario, event, None)
    assert total > 10  # the sweep below covers every one of them
    for position in range(1, total + 1):
        faulty, _ = _run(scenario, event, (position, kind))
        assert faulty == clean, f"{name}: {kind} on request {position} of {total}"
