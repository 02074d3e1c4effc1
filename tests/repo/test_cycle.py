"""The wake cycle over the embedded local memory: idempotent, quiet, safe under races."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from prime_action.adapters.local.issues import LocalIssueStore
from prime_action.adapters.local.jobs import LocalJobQueue
from prime_action.adapters.local.state import LocalStateStore
from prime_action.brain.rules import RulesBrain
from prime_action.config.models import RepoConfig
from prime_action.domain.models import DecisionRecord, PrimeState, SignalResult
from prime_action.domain.ports import StoredState
from prime_action.growth.seed import SEED_PATH, parse_seed, render_seed
from prime_action.repo.cycle import Sight, WakePorts, WakeRequest, see, wake
from prime_action.signals.base import RepoSnapshot
from tests.values import NOW, signal

CONFIG = RepoConfig()
# One issue per problem, as some teams ask: the closing and labelling of issues is tested so.
FOLLOWED = RepoConfig.model_validate({"jobs": {"tracking_issues": "always"}})


@dataclass
class Eyes:
    """Signals the test controls, and how often they were looked at."""

    signals: tuple[SignalResult, ...]
    looks: int = 0

    def __call__(self, config: RepoConfig, now: datetime) -> Sight:
        self.looks += 1
        return Sight(signals=self.signals)


def _ports(root: Path, eyes: Eyes, state: object | None = None) -> WakePorts:
    return WakePorts(
        state=state or LocalStateStore(root),  # type: ignore[arg-type]
        issues=LocalIssueStore(root),
        jobs=LocalJobQueue(root),
        brain=RulesBrain(),
        look=eyes,
        identity=lambda: "id",
    )


def test_first_wake_submits_a_job_per_failing_signal_and_opens_no_issue(tmp_path: Path) -> None:
    eyes = Eyes((signal("license"), signal("codeowners"), signal("ci", "ok")))
    report = wake(_ports(tmp_path, eyes), WakeRequest(reason="manual"), CONFIG, NOW)
    assert LocalIssueStore(tmp_path).tracking_issues() == []
    assert len(LocalJobQueue(tmp_path).jobs()) == 2
    assert report.wrote_state
    assert report.state is not None
    assert {j.signal for j in report.state.in_flight} == {"codeowners", "license"}


def test_second_identical_wake_creates_nothing_and_the_third_writes_nothing(tmp_path: Path) -> None:
    eyes = Eyes((signal("license"),))
    ports = _ports(tmp_path, eyes)
    wake(ports, WakeRequest(reason="manual"), FOLLOWED, NOW)
    second = wake(ports, WakeRequest(reason="manual"), FOLLOWED, NOW + timedelta(minutes=5))
    third = wake(ports, WakeRequest(reason="manual"), FOLLOWED, NOW + timedelta(minutes=10))
    assert len(LocalIssueStore(tmp_path).tracking_issues()) == 1
    assert len(LocalJobQueue(tmp_path).jobs()) == 1
    assert second.decision is not None
    assert second.decision.actions == ()
    assert not third.wrote_state


def test_scheduled_tick_before_next_wake_reads_once_and_looks_at_nothing(tmp_path: Path) -> None:
    eyes = Eyes((signal("license"),))
    wake(_ports(tmp_path, eyes), WakeRequest(reason="manual"), CONFIG, NOW)
    report = wake(_ports(tmp_path, eyes), WakeRequest(reason="schedule"), CONFIG, NOW)
    assert report.hibernated
    assert eyes.looks == 1


def test_recovered_signal_closes_its_issue_and_ends_its_job(tmp_path: Path) -> None:
    eyes = Eyes((signal("license"),))
    wake(_ports(tmp_path, eyes), WakeRequest(reason="manual"), FOLLOWED, NOW)
    (working,) = LocalIssueStore(tmp_path).tracking_issues()
    assert "in-progress" in working.labels
    eyes.signals = (signal("license", "ok"),)
    report = wake(_ports(tmp_path, eyes), WakeRequest(reason="push"), FOLLOWED, NOW)
    (closed,) = LocalIssueStore(tmp_path).tracking_issues()
    assert (closed.state, closed.state_reason, closed.closed_by_human) == (
        "closed", "completed", False
    )  # fmt: skip
    record = LocalIssueStore(tmp_path).get(closed.number)
    assert record["comments"] == []  # recorded in the description: a close notifies enough
    assert "**Closed by Prime on" in record["body"]
    assert "in-progress" not in closed.labels  # a closed issue is not being worked on
    assert report.state is not None
    assert report.state.in_flight == ()


class RacingStore:
    """A state store where another writer commits once, right before our first save."""

    def __init__(self, inner: LocalStateStore) -> None:
        self.inner = inner
        self.raced = False

    def load(self) -> StoredState:
        return self.inner.load()

    def save(self, state: PrimeState, record: DecisionRecord | None, expected: str | None) -> str:
        if not self.raced:
            self.raced = True
            other = self.inner.load()
            rival = (other.state or PrimeState()).model_copy(update={"skipped": ("rival",)})
            self.inner.save(rival, None, other.version)
        return self.inner.save(state, record, expected)


def test_concurrent_writer_loses_no_update(tmp_path: Path) -> None:
    store = RacingStore(LocalStateStore(tmp_path))
    eyes = Eyes((signal("license"),))
    report = wake(_ports(tmp_path, eyes, store), WakeRequest(reason="manual"), CONFIG, NOW)
    final = LocalStateStore(tmp_path).load().state
    assert store.raced
    assert final is not None
    assert final.skipped == ("rival",)  # the other writer's update survived
    assert [j.signal for j in final.in_flight] == ["license"]  # and so did ours
    assert len(LocalJobQueue(tmp_path).jobs()) == 1  # the retry re-submitted nothing
    assert report.wrote_state


def test_the_eyes_and_the_growth_detector_share_one_parse_of_the_seed() -> None:
    text = render_seed("acme/api")
    snapshot = RepoSnapshot(paths=(SEED_PATH,), files={SEED_PATH: text}, now=NOW)
    parse_seed.cache_clear()
    sight = see(snapshot, CONFIG)
    assert sight.seed is not None
    assert [s.name for s in sight.signals if s.name == "growth"] == ["growth"]
    assert (parse_seed.cache_info().misses, parse_seed.cache_info().hits) == (1, 1)
