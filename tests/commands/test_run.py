"""`prime run`: bad workflow inputs are refused before anything is read or written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from prime_action.adapters.github.session import OUTCOME_FILE
from prime_action.cli import main
from prime_action.dispatch.ledger import LEDGER_FILE, dump_ledger, parse_ledger
from prime_action.domain.models import Attempt
from prime_action.runners.boundary import COMMIT_PREFIX
from testing.github import FakeGitHub


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


AGENT_CLI = """\
import pathlib
calc = pathlib.Path("calc.py")
calc.write_text(calc.read_text().replace("a - b", "a + b"))
"""


def agent_job(fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An org ledger with a pending agent attempt on acme/calc, whose config names a fake CLI."""
    script = tmp_path / "agent_cli.py"
    script.write_text(AGENT_CLI)
    config = {"agent": {"command": [sys.executable, str(script)], "test_command": "true"}}
    files = {
        "calc.py": "def add(a, b):\n    return a - b\n",
        ".github/prime.yml": json.dumps(config),
    }
    fake.add_repo("acme/calc", files)
    fake.add_repo("acme/org")
    at = fake.now()
    attempt = Attempt(id="ci-1", repo="acme/calc", signal="ci", runner="agent",
                      created_at=at, updated_at=at)  # fmt: skip
    fake.push("acme/org", {LEDGER_FILE: dump_ledger([attempt])}, branch="prime-state")
    root = tmp_path / "checkout"
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t",
                                                "commit", "-q", "-m", "seed"]):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True)
    event = tmp_path / "event.json"
    inputs = {"attempt": "ci-1", "repo": "acme/calc", "signal": "ci", "runner": "agent"}
    event.write_text(json.dumps({"inputs": inputs}))
    for key, value in {
        "GITHUB_REPOSITORY": "acme/org",
        "GITHUB_TOKEN": "t",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_API_URL": fake.base_url,
        "RUNNER_TEMP": str(tmp_path),
        "PRIME_WRITE_SPACING": "0",
    }.items():
        monkeypatch.setenv(key, value)
    return root


def test_an_agent_job_runs_the_configured_cli_in_the_checkout_and_opens_a_pull_request(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = agent_job(fake_github, tmp_path, monkeypatch)

    assert main(["run", "--checkout", str(root)]) == 0

    outcome = json.loads((tmp_path / OUTCOME_FILE).read_text())
    assert outcome["status"] == "success"
    assert outcome["pr_url"]
    assert fake_github.read("acme/calc", "calc.py", "prime/ci") == (
        "def add(a, b):\n    return a + b\n"
    )
    (attempt,) = parse_ledger(fake_github.read("acme/org", LEDGER_FILE, "prime-state") or "")
    assert (attempt.status, attempt.heartbeat_at is not None) == ("running", True)


def test_an_agent_job_without_a_checkout_fails_saying_how_to_pass_one(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent_job(fake_github, tmp_path, monkeypatch)

    assert main(["run"]) == 1

    outcome = json.loads((tmp_path / OUTCOME_FILE).read_text())
    assert outcome["reason"].startswith("the agent runner needs a checkout of acme/calc")
    assert fake_github.pulls("acme/calc") == []


def on_branch(fake: FakeGitHub, tmp_path: Path, root: Path, *, same_files: bool) -> None:
    """A Prime PR branch prime/ci with one more file; the job starts from it (input `ref`)."""
    fake.push("acme/calc", {"notes.txt": "earlier work\n"}, branch="prime/ci",
              message=f"{COMMIT_PREFIX}fix ci")  # fmt: skip
    if same_files:  # what actions/checkout with `ref: prime/ci` leaves
        (root / "notes.txt").write_text("earlier work\n")
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m",
                        "branch"], cwd=root, check=True)  # fmt: skip
    event = tmp_path / "event.json"
    inputs = json.loads(event.read_text())["inputs"] | {"ref": "prime/ci"}
    event.write_text(json.dumps({"inputs": inputs}))


def test_an_agent_job_with_a_ref_builds_on_that_branch_keeping_its_earlier_work(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = agent_job(fake_github, tmp_path, monkeypatch)
    on_branch(fake_github, tmp_path, root, same_files=True)

    assert main(["run", "--checkout", str(root)]) == 0

    assert fake_github.read("acme/calc", "calc.py", "prime/ci") == (
        "def add(a, b):\n    return a + b\n"
    )
    assert fake_github.read("acme/calc", "notes.txt", "prime/ci") == "earlier work\n"


def test_an_agent_job_whose_checkout_is_not_at_its_ref_fails_and_pushes_nothing(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = agent_job(fake_github, tmp_path, monkeypatch)
    on_branch(fake_github, tmp_path, root, same_files=False)
    head = fake_github.ref("acme/calc", "heads/prime/ci")

    assert main(["run", "--checkout", str(root)]) == 1

    outcome = json.loads((tmp_path / OUTCOME_FILE).read_text())
    assert outcome["reason"].startswith("the checkout does not hold the files of prime/ci")
    assert "must check out inputs.ref" in outcome["reason"]
    assert fake_github.ref("acme/calc", "heads/prime/ci") == head
    assert fake_github.pulls("acme/calc") == []


def test_an_agent_job_run_in_one_job_with_the_token_warns_to_split_it(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = agent_job(fake_github, tmp_path, monkeypatch)

    assert main(["run", "--checkout", str(root)]) == 0

    out = capsys.readouterr().out
    assert "::warning::this agent job runs the repository's code in the job that holds" in out
    assert "run `prime init` again" in out
