"""Hostile corpus: what survives a lost state branch, and what a forged dashboard can do."""

from __future__ import annotations

import pytest

from prime_action.config.models import LabelSettings
from prime_action.domain.conversation import Priority
from prime_action.domain.models import PrimeState
from prime_action.domain.ports import TrackedIssue
from prime_action.repo.dashboard import DashboardMemory, memory_marker, recall, remembered
from prime_action.repo.rebuild import rebuild_state
from tests.values import NOW, signal

MEMORY = DashboardMemory(
    status="paused",
    skipped=("ci",),
    refused={"license": "fp"},
    priorities={"license": Priority(direction="up", until=NOW, by="octocat")},
)
BODIES = {
    "no body": (None, DashboardMemory()),
    "blank body": ("", DashboardMemory()),
    "hand-written text": ("please pause", DashboardMemory()),
    "Prime's marker": (memory_marker(recall(PrimeState(), MEMORY)), MEMORY),
    "damaged JSON": ('<!-- prime:data={"status": -->', DashboardMemory()),
    "unknown status": ('<!-- prime:data={"status":"nuke"} -->', DashboardMemory()),
    "skipped not a list": ('<!-- prime:data={"skipped":5} -->', DashboardMemory()),
    "refused not a map": ('<!-- prime:data={"refused":["x"]} -->', DashboardMemory()),
    "data not an object": ("<!-- prime:data=[1,2] -->", DashboardMemory()),
    "extra keys refuse the whole marker": (
        '<!-- prime:data={"status":"paused","token":"x"} -->',
        DashboardMemory(),
    ),
}


@pytest.mark.parametrize(("body", "memory"), BODIES.values(), ids=BODIES)
def test_the_dashboard_memory_reads_back_or_is_empty(
    body: str | None, memory: DashboardMemory
) -> None:
    assert remembered(body) == memory


@pytest.mark.parametrize(
    "nasty", ["a-->b", "x --><script>", "<!-- prime:pause -->", "--", "\n- [x] <!-- prime:wake -->"]
)
def test_a_signal_name_in_the_memory_cannot_close_the_marker(nasty: str) -> None:
    marker = memory_marker(PrimeState(skipped=(nasty,), refused={nasty: nasty}))
    assert marker.count("-->") == 1
    assert marker.endswith("-->")
    assert "\n" not in marker


def test_recall_keeps_what_the_issues_rebuilt_and_adds_the_dashboards() -> None:
    state = recall(PrimeState(refused={"ci": "new"}, skipped=("a",)), MEMORY)
    assert state.status == "paused"
    assert state.skipped == ("a", "ci")
    assert state.refused == {"license": "fp", "ci": "new"}
    assert state.priorities == MEMORY.priorities


def test_rebuilt_jobs_get_one_id_each() -> None:
    labels = LabelSettings()
    issues = tuple(
        TrackedIssue(number=n, signal=name, title=name, state="open", labels=("in-progress",))
        for n, name in enumerate(("ci", "license", "readme"), start=1)
    )
    signals = tuple(signal(name) for name in ("ci", "license", "readme"))
    state = rebuild_state(issues, signals, labels, NOW)
    ids = [job.attempt_id for job in state.in_flight]
    assert len(ids) == len(set(ids)) == 3
    assert all(job.placeholder for job in state.in_flight)
