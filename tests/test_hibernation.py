"""The pre-install hibernation check: one request, the same rule as the wake, awake on doubt."""

from __future__ import annotations

import io
import json
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from prime_action import hibernation
from prime_action.domain.models import PrimeState
from prime_action.repo.memory import dump_state
from prime_action.repo.memory_update import hibernating
from testing.github import FakeGitHub
from testing.pytest_plugin import fake_github
from tests.values import NOW

__all__ = ["fake_github"]  # the fixture

REPO = "acme/api"


def _urlopen_through_requests(request: urllib.request.Request, timeout: float) -> Any:
    """urllib's request, sent with `requests` so that the fake GitHub answers it."""
    answer = requests.get(request.full_url, headers=dict(request.header_items()), timeout=timeout)
    answer.raise_for_status()
    return io.BytesIO(answer.content)


@pytest.fixture
def environ(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    monkeypatch.setattr(urllib.request, "urlopen", _urlopen_through_requests)
    fake_github.add_repo(REPO)
    return {
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": fake_github.base_url,
        "GITHUB_TOKEN": "ghs_token",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
    }


def _outputs(environ: dict[str, str]) -> str:
    return Path(environ["GITHUB_OUTPUT"]).read_text(encoding="utf-8")


def test_a_tick_before_the_next_wake_is_asleep_after_exactly_one_request(
    fake_github: FakeGitHub, environ: dict[str, str]
) -> None:
    fake_github.push(
        REPO,
        {"state.json": dump_state(PrimeState(next_wake_at=NOW + timedelta(hours=5)))},
        branch="prime-state",
    )
    fake_github.reset_counts()
    assert hibernation.main(environ, NOW) == 0
    assert _outputs(environ) == "asleep=true\n"
    assert fake_github.requests == [("GET", "/repos/acme/api/contents/state.json")]


def test_a_state_over_one_megabyte_is_read_whole_in_the_same_one_request(
    fake_github: FakeGitHub, environ: dict[str, str]
) -> None:
    state = PrimeState(
        next_wake_at=NOW + timedelta(hours=5), flagged=tuple(f"{i:064x}" for i in range(25_000))
    )
    fake_github.push(REPO, {"state.json": dump_state(state)}, branch="prime-state")
    fake_github.reset_counts()
    hibernation.main(environ, NOW)
    assert (_outputs(environ), len(fake_github.requests)) == ("asleep=true\n", 1)


@pytest.mark.parametrize(
    ("event", "state", "why"),
    [
        ("schedule", PrimeState(next_wake_at=NOW - timedelta(minutes=1)), "due"),
        ("schedule", PrimeState(), "no next wake"),
        ("schedule", None, "no state branch"),
        ("workflow_dispatch", PrimeState(next_wake_at=NOW + timedelta(hours=5)), "not a tick"),
    ],
)
def test_a_due_tick_or_any_other_event_is_awake(
    fake_github: FakeGitHub, environ: dict[str, str], event: str, state: PrimeState | None, why: str
) -> None:
    if state is not None:
        fake_github.push(REPO, {"state.json": dump_state(state)}, branch="prime-state")
    hibernation.main({**environ, "GITHUB_EVENT_NAME": event}, NOW)
    assert _outputs(environ) == "asleep=false\n", why


def test_a_damaged_state_or_a_failing_api_means_awake(
    fake_github: FakeGitHub, environ: dict[str, str]
) -> None:
    fake_github.push(REPO, {"state.json": "{not json"}, branch="prime-state")
    hibernation.main(environ, NOW)
    fake_github.push(
        REPO,
        {"state.json": json.dumps({"next_wake_at": "2999-01-01T00:00:00Z"})},
        branch="prime-state",
    )
    fake_github.fail(1)
    hibernation.main(environ, NOW)
    assert _outputs(environ) == "asleep=false\nasleep=false\n"


@pytest.mark.parametrize("hours", [-2.0, -0.001, 0.0, 0.001, 6.0])
@pytest.mark.parametrize("event", ["schedule", "push", "workflow_dispatch"])
def test_the_check_and_the_wake_agree_on_who_is_asleep(event: str, hours: float) -> None:
    state = PrimeState(next_wake_at=NOW + timedelta(hours=hours))
    text = json.loads(dump_state(state))["next_wake_at"]
    assert hibernation.sleeping(event, text, NOW) == hibernating(state, event, NOW)  # type: ignore[arg-type]
