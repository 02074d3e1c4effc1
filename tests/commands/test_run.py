"""`prime run`: bad workflow inputs are refused before anything is read or written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prime_action.cli import main


def test_a_malformed_repo_input_is_refused_naming_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    event = tmp_path / "event.json"
    inputs = {"attempt": "a-1", "repo": "evil repo; rm -rf /", "signal": "ci", "runner": "fileops"}
    event.write_text(json.dumps({"inputs": inputs}))
    for key, value in {
        "GITHUB_REPOSITORY": "acme/org",
        "GITHUB_TOKEN": "t",
        "GITHUB_EVENT_PATH": str(event),
    }.items():
        monkeypatch.setenv(key, value)

    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert f"{event}: input 'repo': String should match pattern" in err
