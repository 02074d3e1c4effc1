"""`prime explain`: the last decision, its reasoning, dropped actions and prompt, secrets masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prime_action.cli import main
from prime_action.domain.models import (
    Decision,
    DecisionRecord,
    DroppedAction,
    SubmitJob,
    Usage,
)
from prime_action.repo.memory import dump_decisions
from tests.values import NOW

KEY = "sk-live-abcdefghijklmnop0123"
PROMPT = f"## system\n\nYou are Prime.\n## user\n\n# Signals\nlicense: failing\nkey {KEY}\n"


def _checkout(tmp_path: Path, *records: DecisionRecord) -> Path:
    (tmp_path / ".prime").mkdir()
    (tmp_path / ".prime" / "decisions.jsonl").write_text(dump_decisions(records))
    return tmp_path


LLM_RECORD = DecisionRecord(
    at=NOW,
    reason="schedule",
    decision=Decision(
        actions=(SubmitJob(signal="license", runner="fileops", approach="add MIT"),),
        summary="Fix the license",
        why="It is missing and cheap to fix.",
        brain="llm",
        dropped=(
            DroppedAction(
                action={"type": "comment-issue", "issue": 41, "body": "hi"},
                reason="issue #41 is not one of Prime's own issues",
            ),
        ),
        usage=Usage(prompt_tokens=1200, completion_tokens=150, cost_usd=0.00027),
        prompt=PROMPT,
    ),
)


def test_explain_prints_the_decision_reasoning_dropped_actions_and_prompt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _checkout(tmp_path, LLM_RECORD)
    assert main(["explain", "--local", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Last decision: 2026-11-21T07:00:00Z (schedule), llm brain" in out
    assert "It is missing and cheap to fix." in out
    assert (
        '  - submit-job: {"approach": "add MIT", "runner": "fileops", "signal": "license"}' in out
    )
    assert "- comment-issue: issue #41 is not one of Prime's own issues" in out
    assert "1200 prompt + 150 completion tokens, $0.0003" in out
    assert "# Signals\nlicense: failing" in out
    assert KEY not in out
    assert "[REDACTED]" in out


def test_secret_values_from_the_environment_are_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = "plain-looking-value-42"
    monkeypatch.setenv("MY_SERVICE_TOKEN", odd)
    record = LLM_RECORD.model_copy(
        update={"decision": LLM_RECORD.decision.model_copy(update={"why": f"saw {odd}"})}
    )
    main(["explain", "--local", str(_checkout(tmp_path, record))])
    out = capsys.readouterr().out
    assert odd not in out
    assert "saw [REDACTED]" in out


def test_only_the_last_decision_is_explained_and_no_prompt_is_optional(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = DecisionRecord(at=NOW, reason="local", decision=Decision(summary="Nothing to do"))
    main(["explain", "--local", str(_checkout(tmp_path, LLM_RECORD, rules)), "--no-prompt"])
    out = capsys.readouterr().out
    assert "Summary: Nothing to do" in out
    assert "Fix the license" not in out
    assert "Prompt" not in out


def test_a_rules_decision_says_it_had_no_prompt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = DecisionRecord(at=NOW, reason="local", decision=Decision(summary="Nothing to do"))
    main(["explain", "--local", str(_checkout(tmp_path, rules))])
    assert "none: the rules brain decided without a model" in capsys.readouterr().out


def test_no_decision_yet_says_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", "--local", str(tmp_path)]) == 0
    assert "No decision yet: run `prime wake` first." in capsys.readouterr().out


def test_explain_without_a_checkout_or_token_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert main(["explain"]) == 2
    assert "GITHUB_TOKEN" in capsys.readouterr().err


def test_explain_after_a_local_wake_shows_the_rules_decision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README.md").write_text("# demo\n")
    main(["wake", "--local", str(tmp_path)])
    capsys.readouterr()
    main(["explain", "--local", str(tmp_path)])
    out = capsys.readouterr().out
    assert "(local), rules brain" in out
    assert (
        json.loads((tmp_path / ".prime" / "decisions.jsonl").read_text().splitlines()[-1])[
            "decision"
        ]["prompt"]
        == ""
    )
