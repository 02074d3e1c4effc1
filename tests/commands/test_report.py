"""`prime report`: a runner that wrote no outcome is reported as failed, never dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.commands.report import read_outcome
from prime_action.domain.errors import ConfigError


def _env(tmp_path: Path, inputs: dict[str, str]) -> DataPlaneEnv:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"inputs": inputs}))
    environ = {"GITHUB_REPOSITORY": "acme/org", "GITHUB_TOKEN": "t", "GITHUB_RUN_ID": "42"}
    return DataPlaneEnv.from_environ(environ | {"GITHUB_EVENT_PATH": str(event)})


def test_a_missing_outcome_is_a_failure_naming_the_run(tmp_path: Path) -> None:
    env = _env(tmp_path, {"attempt": "ci-1"})

    outcome = read_outcome(tmp_path / "none.json", env, None)

    assert (outcome.attempt, outcome.status) == ("ci-1", "failed")
    assert "see the log of run 42" in outcome.reason


def test_a_damaged_outcome_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "prime-outcome.json"
    path.write_text('{"status": "maybe"}')

    with pytest.raises(ConfigError, match=r"prime-outcome\.json: not an outcome"):
        read_outcome(path, _env(tmp_path, {}), None)


def test_without_outcome_or_attempt_id_there_is_nothing_to_report(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pass --attempt ID"):
        read_outcome(tmp_path / "none.json", _env(tmp_path, {}), None)
