"""A steady wake's requests do not grow with the repository's number of workflows."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.github import FakeGitHub
from testing.graphql import FakeGraphQL
from tests.e2e.harness import FILES, REPO, Actions

QUIET_WORKFLOW = "name: W{n}\non: push\npermissions: {{}}\njobs: {{}}\n"


def steady_wake_requests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workflows: int) -> int:
    """The requests of the third wake (nothing new since the second) of a fresh repository."""
    files = FILES | {
        f".github/workflows/w{n:03}.yml": QUIET_WORKFLOW.format(n=n) for n in range(workflows)
    }
    fake = FakeGitHub()
    FakeGraphQL().install(fake)
    with fake:
        fake.add_repo(REPO, files)
        actions = Actions(fake, tmp_path, monkeypatch)
        for _ in range(3):
            assert actions.run("workflow_dispatch")[0] == 0
        assert fake.writes == 0  # steady: nothing changed, nothing written
        return len(fake.requests)


def test_a_steady_wake_makes_as_many_requests_with_300_workflows_as_with_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "few").mkdir()
    (tmp_path / "many").mkdir()
    few = steady_wake_requests(tmp_path / "few", monkeypatch, 3)
    many = steady_wake_requests(tmp_path / "many", monkeypatch, 300)
    print(f"\nsteady wake: {few} requests with 3 workflows, {many} with 300")
    assert many == few
