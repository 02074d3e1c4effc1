"""`prime run --produce` / `--apply`: repository code runs with no token; its patch is validated."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from prime_action.adapters.github.session import OUTCOME_FILE
from prime_action.cli import main
from prime_action.dispatch.ledger import LEDGER_FILE, parse_ledger
from prime_action.runners.patch import MAX_PATCH_BYTES
from prime_action.runners.safe_output import PATCH_FILE, REPORT_FILE
from testing.github import FakeGitHub
from tests.commands.test_run import agent_job

# What a careless workflow could still hand the read-only job: none may reach repository code.
LEAKS = {
    "ACTIONS_RUNTIME_TOKEN": "runtime_token",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "oidc_token",
    "NPM_TOKEN": "npm_token",
}
GITHUB_TOKENS = {
    "GITHUB_TOKEN": "ghs_job_write_token",
    "PRIME_ORG_TOKEN": "ghs_org_token",
    "PRIME_TOKEN": "ghp_prime_secret",
    "GH_TOKEN": "gh_cli_token",
}
MODEL_KEY = {"ANTHROPIC_API_KEY": "sk-ant-model-key"}
PRINT_ENV = """\
import os, pathlib
env = sorted(os.environ.items())
pathlib.Path("agent-env.txt").write_text("\\n".join(f"{k}={v}" for k, v in env))
calc = pathlib.Path("calc.py")
calc.write_text(calc.read_text().replace("a - b", "a + b"))
"""


def configure(root: Path, fake: FakeGitHub, config: dict[str, object]) -> None:
    """The same `.github/prime.yml` in the checkout and on the fake's default branch."""
    text = json.dumps(config)
    (root / ".github/prime.yml").write_text(text)
    fake.push("acme/calc", {".github/prime.yml": text})
    for args in (["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q",
                                 "-m", "config"]):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True)


def produce(root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, *, leaks: bool) -> int:
    """The read-only job's step: no token unless `leaks` (a careless workflow) puts some."""
    monkeypatch.delenv("GITHUB_TOKEN")
    for name, value in {**(LEAKS if leaks else {}), **MODEL_KEY}.items():
        monkeypatch.setenv(name, value)
    code = main(["run", "--produce", str(folder), "--checkout", str(root)])
    for name in LEAKS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    return code


def names_and_values(text: str) -> tuple[set[str], str]:
    return {line.split("=", 1)[0] for line in text.splitlines()}, text


@pytest.mark.parametrize("leaks", [False, True])
def test_an_agent_cli_that_prints_its_environment_shows_no_token_and_the_fix_is_proposed(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leaks: bool
) -> None:
    root = agent_job(fake_github, tmp_path, monkeypatch)
    script = tmp_path / "agent_cli.py"
    script.write_text(PRINT_ENV)
    folder = tmp_path / "result"

    fake_github.reset_counts()
    assert produce(root, folder, monkeypatch, leaks=leaks) == 0
    assert fake_github.requests == []  # the read-only half never talks to GitHub
    assert main(["run", "--apply", str(folder)]) == 0

    outcome = json.loads((tmp_path / OUTCOME_FILE).read_text())
    assert outcome["status"] == "success"
    seen = fake_github.read("acme/calc", "agent-env.txt", "prime/ci") or ""
    names, text = names_and_values(seen)
    assert "PATH" in names
    assert "ANTHROPIC_API_KEY" in names  # its model key: the agent's one credential
    assert not any("TOKEN" in name for name in names)
    assert not any(value in text for value in LEAKS.values())
    assert fake_github.read("acme/calc", "calc.py", "prime/ci") == (
        "def add(a, b):\n    return a + b\n"
    )
    (attempt,) = parse_ledger(fake_github.read("acme/org", LEDGER_FILE, "prime-state") or "")
    assert attempt.status == "running"  # `prime report` concludes it


def shell_job(fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = agent_job(fake, tmp_path, monkeypatch)
    event = tmp_path / "event.json"
    inputs = json.loads(event.read_text())["inputs"] | {"runner": "shell"}
    event.write_text(json.dumps({"inputs": inputs}))
    # $PPID: Prime's own process, whose environment any process of its user can read.
    parent = "tr '\\0' '\\n' < /proc/$PPID/environ > prime-env.txt"
    commands = {"ci": ["env > shell-env.txt", parent, "sed -i 's/a - b/a + b/' calc.py"]}
    configure(root, fake, {"jobs": {"shell_commands": commands}})
    return root


@pytest.mark.parametrize("leaks", [False, True])
def test_a_shell_command_that_prints_its_environment_shows_no_token_of_any_kind(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leaks: bool
) -> None:
    root = shell_job(fake_github, tmp_path, monkeypatch)
    folder = tmp_path / "result"

    assert produce(root, folder, monkeypatch, leaks=leaks) == 0
    assert main(["run", "--apply", str(folder)]) == 0

    names, text = names_and_values(fake_github.read("acme/calc", "shell-env.txt", "prime/ci") or "")
    assert "PATH" in names
    assert not any(word in name for name in names for word in ("TOKEN", "KEY", "SECRET"))
    assert not any(value in text for value in (*LEAKS.values(), *MODEL_KEY.values()))
    # Prime's own process, which any process of the same user may read: no GitHub token.
    names, _ = names_and_values(fake_github.read("acme/calc", "prime-env.txt", "prime/ci") or "")
    assert "PATH" in names
    assert names.isdisjoint(GITHUB_TOKENS)
    (pull,) = fake_github.pulls("acme/calc")
    assert "sed -i" in (pull.body or "")  # the writing job's own config names the commands


def hostile(folder: Path, patch: str, **report: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PATCH_FILE).write_text(patch)
    fields = {"attempt": "ci-1", "status": "ready"} | report
    (folder / REPORT_FILE).write_text(json.dumps(fields))


def new_file(path: str, mode: str = "100644") -> str:
    return (f"diff --git a/{path} b/{path}\nnew file mode {mode}\nindex 0000000..587be6b\n"
            f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+x\n")  # fmt: skip


@pytest.mark.parametrize(
    "case",
    [
        (new_file(".github/workflows/evil.yml"), {}, "refused to write .github/workflows/evil.yml"),
        (new_file("leak", "120000"), {}, "leak is a symbolic link"),
        (new_file("../../etc/cron.d/x"), {}, "is not a path inside the repository"),
        (new_file(".github/prime.yml"), {}, ".github/prime.yml holds the rules a runner's change"),
        (new_file("seed.yaml"), {}, "seed.yaml holds the rules a runner's change is judged by"),
        (new_file("big.txt") + "+" * MAX_PATCH_BYTES, {}, "larger than 1024 KiB"),
        ("", {"status": "success"}, "report.json is not a runner's report (status"),
        ("", {"attempt": "other-1"}, "belongs to attempt 'other-1'"),
        ("", {"reason": "x" * 5000}, "report.json is not a runner's report (reason"),
    ],
)
def test_a_hostile_result_is_refused_with_its_reason_and_nothing_is_pushed(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: tuple[str, dict[str, object], str],
) -> None:
    patch, report, reason = case
    agent_job(fake_github, tmp_path, monkeypatch)
    hostile(tmp_path / "result", patch, **report)

    assert main(["run", "--apply", str(tmp_path / "result")]) == 1

    outcome = json.loads((tmp_path / OUTCOME_FILE).read_text())
    # A workflow file is refused by the PR boundary's rule, which would refuse it again with
    # the same input: blocked at once (issue 16). The rest fail the patch's own validation.
    assert outcome["status"] == ("blocked" if "workflows" in reason else "failed")
    assert reason in outcome["reason"]
    assert fake_github.pulls("acme/calc") == []
    assert fake_github.ref("acme/calc", "heads/prime/ci") is None


def test_no_result_at_all_fails_the_attempt_naming_the_read_only_job(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent_job(fake_github, tmp_path, monkeypatch)

    assert main(["run", "--apply", str(tmp_path / "never-downloaded")]) == 1

    outcome = json.loads((tmp_path / OUTCOME_FILE).read_text())
    assert "report.json is missing: the read-only job left no result" in (outcome["reason"])


def test_a_failed_command_is_reported_by_the_writing_job_with_its_reason(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = agent_job(fake_github, tmp_path, monkeypatch)
    (tmp_path / "agent_cli.py").write_text("import sys\nprint('no luck')\nsys.exit(3)\n")
    folder = tmp_path / "result"

    assert produce(root, folder, monkeypatch, leaks=False) == 1
    assert main(["run", "--apply", str(folder)]) == 1

    outcome = json.loads((tmp_path / OUTCOME_FILE).read_text())
    assert outcome["status"] == "failed"
    assert "exited with 3: no luck" in outcome["reason"]


@pytest.mark.parametrize("name", sorted(GITHUB_TOKENS))
def test_the_read_only_half_refuses_to_start_holding_a_github_token(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    root = shell_job(fake_github, tmp_path, monkeypatch)
    monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.setenv(name, GITHUB_TOKENS[name])

    code = main(["run", "--produce", str(tmp_path / "result"), "--checkout", str(root)])

    assert code == 2
    assert f"must hold no token, but the environment has {name}:" in capsys.readouterr().err
    assert not (root / "shell-env.txt").exists()  # nothing of the repository ran


def test_produce_needs_a_checkout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--produce", str(tmp_path)]) == 2
    assert "--produce needs --checkout PATH" in capsys.readouterr().err
