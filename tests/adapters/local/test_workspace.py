"""The runners' checkout: code the target repository controls runs without Prime's credentials."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from prime_action.adapters.local.workspace import GitWorkspace, scrubbed

SECRETS = {
    "GITHUB_TOKEN": "ghs_write",
    "GH_TOKEN": "ghp_user",
    "PRIME_ORG_TOKEN": "ghs_org",
    "ACTIONS_RUNTIME_TOKEN": "rt",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "oidc",
    "ACTIONS_ID_TOKEN_REQUEST_URL": "https://oidc.example",
    "INPUT_GITHUB-TOKEN": "ghs_input",
    "NPM_AUTH_TOKEN": "npm_x",
    "AWS_SECRET_ACCESS_KEY": "aws",
    "DB_PASSWORD": "pw",
    "SSH_AUTH_SOCK": "/run/user/1001/agent.sock",
    "GITHUB_ENV": "/runner/set_env",
    "GITHUB_PATH": "/runner/add_path",
}
KEPT = {"PATH": "/usr/bin:/bin", "HOME": "/home/runner", "GITHUB_REPOSITORY": "acme/api",
        "GIT_AUTHOR_NAME": "octocat", "CI": "true"}  # fmt: skip


def test_scrubbing_drops_every_credential_and_keeps_the_rest() -> None:
    assert scrubbed({**SECRETS, **KEPT}) == KEPT


def test_an_agent_keeps_its_model_key_and_never_a_github_token() -> None:
    environ = {**SECRETS, **KEPT, "ANTHROPIC_API_KEY": "sk-ant"}
    kept = scrubbed(environ, frozenset({"ANTHROPIC_API_KEY"}))
    assert kept == {**KEPT, "ANTHROPIC_API_KEY": "sk-ant"}


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitWorkspace:
    for name, value in {**SECRETS, "ANTHROPIC_API_KEY": "sk-ant"}.items():
        monkeypatch.setenv(name, value)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return GitWorkspace(tmp_path)


def test_a_configured_shell_command_sees_no_credential(workspace: GitWorkspace) -> None:
    result = workspace.run("env", timeout=30)
    names = {line.split("=", 1)[0] for line in result.output.splitlines()}
    assert result.code == 0
    assert "PATH" in names
    assert names.isdisjoint({*SECRETS, "ANTHROPIC_API_KEY"})


def test_an_agent_cli_sees_its_model_key_and_no_github_credential(
    workspace: GitWorkspace,
) -> None:
    script = "import os, sys; sys.stdout.write('\\n'.join(sorted(os.environ)))"
    result = workspace.execute((sys.executable, "-c", script), None, timeout=30)
    names = set(result.output.splitlines())
    assert "ANTHROPIC_API_KEY" in names
    assert names.isdisjoint(SECRETS)


def test_a_timeout_stops_the_command_and_every_process_it_started(
    workspace: GitWorkspace, tmp_path: Path
) -> None:
    marker = tmp_path / "still-running"
    # The shell starts a child that would write the marker after 2 s, then waits on it.
    command = f"(sleep 2; touch {marker}) & wait"
    result = workspace.run(command, timeout=0.5)
    time.sleep(2.5)
    assert result.timed_out
    assert not marker.exists()


def test_a_git_hook_the_command_configured_runs_without_credentials_in_prime_s_own_git(
    workspace: GitWorkspace, tmp_path: Path
) -> None:
    # A command may write .git/config; Prime's own `git status` then runs core.fsmonitor.
    result = workspace.run("git config core.fsmonitor 'env > .git/seen; false'", timeout=30)
    assert result.code == 0

    workspace.changes()

    seen = (tmp_path / ".git" / "seen").read_text()
    names = {line.split("=", 1)[0] for line in seen.splitlines()}
    assert "PATH" in names
    assert names.isdisjoint({*SECRETS, "ANTHROPIC_API_KEY"})


def test_the_patch_keeps_crlf_line_ends_and_shows_a_symlink_as_git_sees_it(
    workspace: GitWorkspace, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_bytes(b"one\r\n")
    workspace.run("git add a.txt && git -c user.name=t -c user.email=t@t commit -qm a", 30)
    base = workspace.head()
    (tmp_path / "a.txt").write_bytes(b"one\r\ntwo\r\n")
    (tmp_path / "link").symlink_to("/etc/passwd")

    patch = workspace.patch(base, ("a.txt", "link"))

    assert "+two\r\n" in patch
    assert "new file mode 120000" in patch
    assert "root:" not in patch  # the link, not the file it points at
