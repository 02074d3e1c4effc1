"""`prime dispatch`: a bad run sheet or a missing environment is a clear exit 2."""

from __future__ import annotations

import json

import pytest

from prime_action.cli import main
from prime_action.dispatch.sheet import parse_run_sheet
from prime_action.domain.errors import ConfigError
from testing.github import FakeGitHub


def test_without_a_token_dispatch_names_the_missing_variables(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)

    assert main(["dispatch"]) == 2
    assert "GITHUB_TOKEN, GITHUB_REPOSITORY not set" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[{", "run-sheet.json:1: not JSON"),
        ('[{"rank": 1}]', "run-sheet.json: item 0.repo: Field required"),
        (
            json.dumps([{"rank": 2, "repo": "a/b", "signal": "ci", "runner": "agent",
                         "reason": "r", "approach": "a", "cooldown_hours": 1,
                         "added_at": "2026-01-01T00:00:00Z"}]),
            "ranks must run 1..1 in order, found [2]",
        ),
    ],
)  # fmt: skip
def test_a_bad_run_sheet_names_the_file_and_the_item(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_run_sheet(text)


def test_a_bad_run_sheet_on_github_exits_2(
    fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_github.add_repo("acme/org", {"run-sheet.json": '[{"rank": 1}]'})
    for key, value in {
        "GITHUB_REPOSITORY": "acme/org",
        "GITHUB_TOKEN": "t",
        "GITHUB_API_URL": fake_github.base_url,
        "PRIME_WRITE_SPACING": "0",
    }.items():
        monkeypatch.setenv(key, value)

    assert main(["dispatch"]) == 2
    assert "run-sheet.json: item 0.repo" in capsys.readouterr().err
    assert fake_github.writes == 0


def test_no_run_sheet_yet_dispatches_nothing(
    fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_github.add_repo("acme/org")
    for key, value in {
        "GITHUB_REPOSITORY": "acme/org",
        "GITHUB_TOKEN": "t",
        "GITHUB_API_URL": fake_github.base_url,
    }.items():
        monkeypatch.setenv(key, value)

    assert main(["dispatch"]) == 0
    assert "Dispatched nothing." in capsys.readouterr().out
    assert fake_github.writes == 0
