"""`prime wake --local`: useful on the first run, idempotent on the second, clear on bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from prime_action.cli import main
from tests.values import alias_bomb


def _checkout(root: Path) -> Path:
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "demo"}\n')
    for name in ("app", "cli", "core", "models", "views"):  # enough Python to want a linter
        (root / f"{name}.py").write_text("print('hi')\n")
    (root / ".github" / "prime.yml").write_text("agent:\n  command: [claude, -p]\n")
    (root / ".github" / "workflows" / "ci.yml").write_text(
        "name: CI\non: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ok\n"
    )
    return root


def _plan(out: str) -> list[str]:
    section = out.split("\nPlan\n", 1)[1].split("\nIn flight\n", 1)[0]
    return [line.strip() for line in section.splitlines() if line.strip()]


def test_second_local_wake_creates_no_issue_and_reports_the_same_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _checkout(tmp_path)
    assert main(["wake", "--local", str(root)]) == 0
    first = capsys.readouterr().out
    jobs = (root / ".prime" / "jobs.jsonl").read_text()
    assert main(["wake", "--local", str(root)]) == 0
    second = capsys.readouterr().out
    assert (root / ".prime" / "jobs.jsonl").read_text() == jobs
    assert len(jobs.splitlines()) == 2  # the in-flight limit: two jobs at once by default
    assert not (root / ".prime" / "issues").exists()  # each job's PR is its record
    assert _plan(first) == _plan(second)
    assert len(_plan(first)) >= 5
    assert "failing  dependabot" in first
    assert "submitted fileops job" in first


def test_local_wake_records_state_decisions_and_jobs(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    assert main(["wake", "--local", str(root)]) == 0
    state = json.loads((root / ".prime" / "state.json").read_text())
    assert state["schema_version"] == 1
    assert {job["signal"] for job in state["in_flight"]} == {"dependabot", "lint-config"}
    jobs = (root / ".prime" / "jobs.jsonl").read_text().splitlines()
    assert len(jobs) == 2
    assert len((root / ".prime" / "decisions.jsonl").read_text().splitlines()) == 1


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ("wake:\n  idle_hours: soon\n", ".github/prime.yml:2: key 'wake.idle_hours'"),
        ("jobs: [\n", "prime.yml:2: is not valid YAML"),
    ],
)
def test_bad_config_exits_2_naming_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, words: str
) -> None:
    root = _checkout(tmp_path)
    (root / ".github" / "prime.yml").write_text(config)
    assert main(["wake", "--local", str(root)]) == 2
    assert words in capsys.readouterr().err
    assert not (root / ".prime").exists()  # nothing written on bad input


def test_missing_path_exits_2_and_damaged_memory_exits_1_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["wake", "--local", str(tmp_path / "nope")]) == 2
    assert "is not a directory" in capsys.readouterr().err
    root = _checkout(tmp_path / "repo")
    (root / ".prime" / "issues").mkdir(parents=True)
    (root / ".prime" / "issues" / "1.json").write_text("{broken")
    assert main(["wake", "--local", str(root)]) == 1
    assert "1.json" in capsys.readouterr().err


def test_wake_without_local_outside_actions_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["wake"]) == 2
    assert "--local PATH" in capsys.readouterr().err


def test_a_box_ticked_in_the_local_dashboard_is_acted_on_and_unticked(tmp_path: Path) -> None:
    root = _checkout(tmp_path)
    assert main(["wake", "--local", str(root)]) == 0
    dashboard = root / ".prime" / "dashboard.md"
    body = dashboard.read_text()
    assert "- [ ] <!-- prime:pause -->" in body
    dashboard.write_text(body.replace("- [ ] <!-- prime:pause -->", "- [x] <!-- prime:pause -->"))
    assert main(["wake", "--local", str(root)]) == 0
    state = json.loads((root / ".prime" / "state.json").read_text())
    assert state["status"] == "paused"
    after = dashboard.read_text()
    assert "[x]" not in after
    assert "- [ ] <!-- prime:resume -->" in after


def test_an_alias_bomb_config_exits_2_at_once_naming_the_file_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _checkout(tmp_path)
    (root / ".github" / "prime.yml").write_text(alias_bomb())
    started = time.perf_counter()
    assert main(["wake", "--local", str(root)]) == 2
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert ".github/prime.yml" in err
    assert "aliases are expanded" in err
    assert not (root / ".prime").exists()
