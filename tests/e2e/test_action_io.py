"""What the action shows: dry runs, annotations on config lines, log groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prime_action.flows import wake as wake_module
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, Actions, tracking


@pytest.fixture
def actions(fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Actions:
    return Actions(fake_github, tmp_path, monkeypatch)


def test_dry_run_decides_and_reports_but_writes_nothing(
    actions: Actions, capsys: pytest.CaptureFixture[str]
) -> None:
    actions.fake.add_repo(REPO, FILES)
    code, summary = actions.run("workflow_dispatch", inputs={"PRIME_DRY_RUN": "true"})
    assert code == 0
    assert actions.fake.writes == 0
    assert tracking(actions.fake) == {}
    assert actions.fake.ref(REPO, "prime-state") is None
    assert "Dry run: Prime read and decided, and wrote nothing" in summary
    assert "> - submit a fileops job for dependabot" in summary
    assert "> - create the dashboard" in summary
    assert "::group::Prime wake" in capsys.readouterr().out
    assert json.loads(actions.outputs().split("actions=", 1)[1])  # the decision is still reported


def test_bad_dry_run_input_is_a_usage_error_naming_the_input(
    actions: Actions, capsys: pytest.CaptureFixture[str]
) -> None:
    actions.fake.add_repo(REPO, FILES)
    code, _ = actions.run("workflow_dispatch", inputs={"PRIME_DRY_RUN": "yes please"})
    assert code == 2
    assert "input 'dry-run' is 'yes please'; use true or false" in capsys.readouterr().err


def test_config_error_becomes_an_error_annotation_on_its_line(
    actions: Actions, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "version: 1\nwake:\n  idle_hours: soon\n"
    actions.fake.add_repo(REPO, {**FILES, ".github/prime.yml": config})
    code, _ = actions.run("workflow_dispatch", inputs={"GITHUB_ACTIONS": "true"})
    assert code == 2
    out = capsys.readouterr().out
    assert "::error file=.github/prime.yml,line=3::prime wake: .github/prime.yml:3: key " in out
    assert actions.fake.writes == 0


def test_unknown_signal_in_config_is_a_warning_annotation_on_its_line(
    actions: Actions, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "version: 1\nsignals:\n  licence:\n    enabled: false\n"
    actions.fake.add_repo(REPO, {**FILES, ".github/prime.yml": config})
    code, summary = actions.run("workflow_dispatch", inputs={"GITHUB_ACTIONS": "true"})
    assert code == 0
    out = capsys.readouterr().out
    assert (
        "::warning file=.github/prime.yml,line=3::signals.licence: no signal has this name" in out
    )
    assert ".github/prime.yml:3: signals.licence: no signal has this name" in summary


def test_a_config_model_without_litellm_is_a_warning_on_its_line(
    actions: Actions, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = "version: 1\nbrain:\n  model: openai/gpt-4o-mini\n"
    actions.fake.add_repo(REPO, {**FILES, ".github/prime.yml": config})
    monkeypatch.setattr(wake_module, "litellm_installed", lambda: False)
    code, summary = actions.run("workflow_dispatch", inputs={"GITHUB_ACTIONS": "true"})
    assert code == 0
    out = capsys.readouterr().out
    assert "::warning file=.github/prime.yml,line=3::brain.model is set, but the action" in out
    assert "give the action the same `model` input" in summary
