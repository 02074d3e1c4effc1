"""`prime jobs`: usage errors, and an empty ledger."""

from __future__ import annotations

import pytest

from prime_action.cli import main
from testing.github import FakeGitHub


def test_unknown_words_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jobs", "stop", "x"]) == 2
    assert "use `prime jobs` or `prime jobs cancel ID`" in capsys.readouterr().err


def test_an_empty_ledger_lists_nothing_and_cancel_names_the_ledger(
    fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_github.add_repo("acme/org")
    for key, value in {
        "GITHUB_TOKEN": "t",
        "GITHUB_API_URL": fake_github.base_url,
    }.items():
        monkeypatch.setenv(key, value)

    assert main(["jobs", "--repo", "acme/org"]) == 0
    assert "No attempts to show (0 in the ledger" in capsys.readouterr().out
    assert main(["jobs", "--repo", "acme/org", "cancel", "nope"]) == 2
    assert "no attempt 'nope' in acme/org's attempts.jsonl" in capsys.readouterr().err
