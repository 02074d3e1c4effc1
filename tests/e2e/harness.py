"""Run `prime` as GitHub Actions would, against the shared fake GitHub (for e2e tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from prime_action.cli import main
from prime_action.domain.markers import DASHBOARD, find_signal
from prime_action.domain.models import PrimeState
from testing.github import FakeGitHub
from testing.state import Issue
from tests.events.payloads import payload

REPO = "octo-org/octo-repo"  # the repository the vendored example payloads name
# An agent CLI, so that agent-runner items are planned (without one they wait, listed as
# needing an agent: tests/e2e/test_agent_gate.py).
AGENT_CONFIG = "agent:\n  command: [claude, -p]\n"
FILES = {
    "README.md": "# demo\n",
    "package.json": '{"name": "demo"}\n',
    ".github/workflows/ci.yml": "name: CI\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n",
    ".github/prime.yml": AGENT_CONFIG,
}
# One tracking issue per problem (`jobs.tracking_issues: always`): tests of commands, closes
# and labels on tracking issues run so; by default a fix's PR is its only record.
FOLLOWED = {**FILES, ".github/prime.yml": f"{AGENT_CONFIG}jobs:\n  tracking_issues: always\n"}
TOKEN = "t0ken-never-printed"  # noqa: S105 -- a fake, checked never to be printed


class Actions:
    """One repository's Actions environment: each `run` is a workflow run of `prime`."""

    def __init__(self, fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fake = fake
        self.tmp_path = tmp_path
        self.monkeypatch = monkeypatch

    def run(
        self,
        stem: str,
        changes: dict[str, Any] | None = None,
        argv: tuple[str, ...] = ("wake",),
        inputs: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """Run `prime ARGV` for the example event `stem` (changed by `changes`).

        `inputs` are further environment variables, such as the action's PRIME_DRY_RUN.

        Returns:
            The exit code and the job summary it wrote.
        """
        event = self.tmp_path / f"{stem}.json"
        event.write_text(json.dumps(payload(stem, changes)))
        summary = self.tmp_path / "summary.md"
        actions_env(
            self.monkeypatch,
            self.fake,
            self.tmp_path,
            repo=REPO,
            event_name=stem.partition(".")[0],
            event=event,
            **(inputs or {}),
        )
        self.fake.reset_counts()
        code = main(list(argv))
        return code, summary.read_text()

    def outputs(self) -> str:
        """What the last run wrote to GITHUB_OUTPUT."""
        return (self.tmp_path / "output.txt").read_text()


def actions_env(
    monkeypatch: pytest.MonkeyPatch,
    fake: FakeGitHub,
    where: Path,
    *,
    repo: str,
    event_name: str,
    event: Path,
    **extra: str,
) -> None:
    """Set the environment GitHub Actions gives one run of `prime` (files under `where`).

    The job summary and the step outputs start empty, as in a fresh step; `extra` adds or
    overrides variables (the action's inputs, GITHUB_RUN_ID...).
    """
    for name in ("summary.md", "output.txt"):
        (where / name).write_text("")
    values = {
        "GITHUB_REPOSITORY": repo,
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": fake.base_url,
        "GITHUB_STEP_SUMMARY": str(where / "summary.md"),
        "GITHUB_OUTPUT": str(where / "output.txt"),
        "PRIME_WRITE_SPACING": "0",
        **extra,
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)


def tracking(fake: FakeGitHub) -> dict[str, int]:
    """Signal -> number of every tracking issue."""
    return {find_signal(i.body) or "": i.number for i in fake.issues(REPO) if find_signal(i.body)}


def dashboards(fake: FakeGitHub) -> list[Issue]:
    """Every issue carrying the dashboard marker."""
    return [i for i in fake.issues(REPO) if DASHBOARD in (i.body or "")]


def comment_count(fake: FakeGitHub) -> int:
    """Comments on all of the repository's issues."""
    return sum(len(fake.comments(REPO, i.number)) for i in fake.issues(REPO))


def prime_state(fake: FakeGitHub, repo: str = REPO) -> PrimeState:
    """The working memory a repository's Prime left on its `prime-state` branch."""
    text = fake.read(repo, "state.json", ref="prime-state")
    assert text is not None, f"{repo} has no state.json on prime-state"
    return PrimeState.model_validate_json(text)
