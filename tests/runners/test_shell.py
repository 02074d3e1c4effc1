"""The shell runner with real subprocesses in a git checkout seeded from the fake repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.adapters.local.workspace import GitWorkspace
from prime_action.runners.boundary import PrPolicy
from prime_action.runners.guardrails import Guardrails
from prime_action.runners.job import Job
from prime_action.runners.result import NOTHING_TO_CHANGE
from prime_action.runners.shell import Request, run_shell
from testing.github import FakeGitHub
from tests.runners.conftest import REPO

JOB = Job(attempt="lint-1", repo=REPO, signal="lint", runner="shell", approach="Format")


def checkout(fake: FakeGitHub, root: Path) -> GitWorkspace:
    """A `git init` working tree holding the fake repository's default branch."""
    repo = fake.repos[REPO]
    for path, entry in repo.git.files_at(repo.head()).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(repo.git.read(repo.head() or "", path) or b"")
        assert entry.type == "blob"
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t",
                                                "commit", "-q", "-m", "seed"]):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True)
    return GitWorkspace(root)


def test_the_commands_change_the_checkout_and_the_diff_becomes_one_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls, tmp_path: Path
) -> None:
    commands = (
        "sed -i 's/hi/hello/' src/app.py",
        "mkdir -p docs && printf 'notes\\n' > docs/NOTES.md",
    )
    request = Request(job=JOB, commands=commands, timeout=10, issue=7)

    result = run_shell(request, checkout(fake_github, tmp_path), host, fake_github.now())

    assert result.outcome.status == "success"
    assert result.outcome.pr_url is not None
    assert fake_github.read(REPO, "src/app.py", "prime/lint") == "print('hello')\n"
    assert fake_github.read(REPO, "docs/NOTES.md", "prime/lint") == "notes\n"
    (pull,) = fake_github.pulls(REPO)
    assert "Fixes #7" in (pull.body or "")
    assert "sed -i" in (pull.body or "")


def test_commands_that_change_nothing_block_once_without_a_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls, tmp_path: Path
) -> None:
    request = Request(job=JOB, commands=("true",), timeout=10)

    result = run_shell(request, checkout(fake_github, tmp_path), host, fake_github.now())

    # Not a success to retry at every cooldown (issue 16): the same commands change nothing.
    assert (result.outcome.status, result.outcome.pr_url) == ("blocked", None)
    assert result.outcome.reason.startswith(NOTHING_TO_CHANGE)
    assert fake_github.pulls(REPO) == []


def test_a_signal_without_shell_commands_blocks_at_once_naming_the_setting(
    fake_github: FakeGitHub, host: GitHubPulls, tmp_path: Path
) -> None:
    request = Request(job=JOB, commands=(), timeout=10)

    result = run_shell(request, checkout(fake_github, tmp_path), host, fake_github.now())

    assert result.outcome.status == "blocked"
    assert "set jobs.shell_commands" in result.outcome.reason


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("sleep 5", "`sleep 5` did not finish within 0.5 s (jobs.shell_timeout_seconds)"),
        ("echo broken >&2; exit 3", "exited with 3: broken"),
    ],
)
def test_a_command_that_fails_or_times_out_ends_the_attempt_with_the_reason(
    fake_github: FakeGitHub, host: GitHubPulls, tmp_path: Path, command: str, reason: str
) -> None:
    request = Request(job=JOB, commands=(command, "touch never"), timeout=0.5)

    result = run_shell(request, checkout(fake_github, tmp_path), host, fake_github.now())

    assert result.outcome.status == "failed"
    assert reason in result.outcome.reason
    assert not (tmp_path / "never").exists()


def test_a_change_to_a_forbidden_path_is_not_pushed(
    fake_github: FakeGitHub, host: GitHubPulls, tmp_path: Path
) -> None:
    policy = PrPolicy(rails=Guardrails(forbidden_paths=("src/*",)))
    request = Request(job=JOB, commands=("echo x >> src/app.py",), timeout=10, policy=policy)
    fake_github.reset_counts()

    result = run_shell(request, checkout(fake_github, tmp_path), host, fake_github.now())

    assert result.outcome.status == "blocked"  # refused again on the same input
    assert "src/app.py matches guardrails.forbidden_paths" in result.outcome.reason
    assert fake_github.writes == 0


def test_a_deleted_file_is_reported_not_silently_dropped(
    fake_github: FakeGitHub, host: GitHubPulls, tmp_path: Path
) -> None:
    request = Request(job=JOB, commands=("rm README.md",), timeout=10)

    result = run_shell(request, checkout(fake_github, tmp_path), host, fake_github.now())

    assert result.outcome.status == "failed"
    assert "deleted README.md" in result.outcome.reason
