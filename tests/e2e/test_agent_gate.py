"""No dead loops (issue 16): without an agent, agent work waits on the dashboard, never runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from prime_action.cli import main
from prime_action.domain.markers import DASHBOARD, signal_marker
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from tests.e2e.test_data_plane import ORG, REPOS, DataPlane, sheet

SOLO = "acme/solo"
FORBID_SECURITY_MD = "guardrails:\n  forbidden_paths: [SECURITY.md]\n"
CHANGELOG_SIGNAL = (
    "custom_signals:\n  - name: changelog\n    glob: CHANGELOG.md\n    check: contains\n"
    '    pattern: Unreleased\n    fix: {path: CHANGELOG.md, content: "## Unreleased\\n"}\n'
)
CI = (
    "name: CI\non: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n"
)


def fresh_install(fake: FakeGitHub, tmp_path: Path) -> None:
    """A repository with what `prime init` writes, untouched: the default config."""
    root = tmp_path / "checkout"
    root.mkdir()
    assert main(["init", str(root), "--repo", SOLO, "--ref", "a" * 40]) == 0
    files = {
        str(path.relative_to(root)): path.read_text() for path in root.rglob("*") if path.is_file()
    }
    assert ".github/prime.yml" in files
    fake.add_repo(SOLO, {"README.md": "# solo\n", "package.json": '{"name": "s"}\n',
                         ".github/workflows/ci.yml": CI, **files})  # fmt: skip


def test_a_fresh_standalone_install_dispatches_no_agent_job_and_lists_what_needs_one(
    plane: DataPlane,
    fake_github: FakeGitHub,
    tmp_path: Path,
) -> None:
    fresh_install(fake_github, tmp_path)
    # CI failing on main: the heaviest signal, and only an agent can fix it.
    fake_github.set_ci(SOLO, "failure", failing=["test"])
    ran = 0
    for _ in range(3):  # wake, run what was dispatched, fold the results in; three rounds
        assert plane.wake(SOLO, "workflow_dispatch")[0] == 0
        for index in range(ran, len(fake_github.dispatches)):
            plane.runner(index, repo=SOLO)
        ran = len(fake_github.dispatches)
        for result in fake_github.repository_dispatches:
            plane.job_result(SOLO, result.client_payload)
    runners = [d.inputs["runner"] for d in fake_github.dispatches]
    assert runners  # the fileops work went ahead
    assert "agent" not in runners
    assert all(a.runner != "agent" for a in plane.ledger(SOLO))
    dashboard = next(i for i in fake_github.issues(SOLO) if DASHBOARD in (i.body or ""))
    section = (dashboard.body or "").split("## Needs an agent\n", 1)[1].split("\n## ", 1)[0]
    assert "agent: {command: [claude, -p]}" in section
    assert "- **ci**: failing on" in section
    plan = (dashboard.body or "").split("## Plan\n", 1)[1].split("\n## ", 1)[0]
    assert "prime:run=ci" not in plan
    # No tracking issue was opened for work Prime will not do.
    assert not [i for i in fake_github.issues(SOLO) if "prime:signal=ci" in (i.body or "")]


@pytest.mark.parametrize(
    ("signal", "files", "reason"),
    [
        # A custom signal whose fix creates a file that exists (without the text it wants).
        ("changelog", {".github/prime.yml": CHANGELOG_SIGNAL, "CHANGELOG.md": "# Changes\n"},
         "nothing to change while the signal fails"),
        ("security-policy", {".github/prime.yml": FORBID_SECURITY_MD},
         "SECURITY.md matches guardrails.forbidden_paths"),
    ],
    ids=["nothing-to-change", "refused-path"],
)  # fmt: skip
def test_a_deterministic_failure_is_attempted_once_and_escalated_once(
    plane: DataPlane,
    fake_github: FakeGitHub,
    signal: str,
    files: dict[str, str],
    reason: str,
) -> None:
    repo = REPOS[0]
    fake_github.add_repo(ORG, {RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=False)})
    fake_github.add_repo(repo, {"README.md": "# app\n", "package.json": "{}\n", **files})
    number = fake_github.add_issue(
        repo, f"Prime: {signal}", f"{signal_marker(signal)}\nfailing", labels=["automated"],
        user="github-actions[bot]",
    )  # fmt: skip
    # No cooldown: every dispatcher cycle may run the item again, as cooldowns pass in time.
    fake_github.push(ORG, {"run-sheet.json": sheet((repo,), signal, cooldown_hours=0)})

    ran = 0
    for _ in range(4):
        assert plane.dispatch() == 0
        for index in range(ran, len(fake_github.dispatches)):
            plane.runner(index)
        ran = len(fake_github.dispatches)

    (attempt,) = plane.ledger()  # 0 attempts repeat it
    assert attempt.status == "blocked"
    assert reason in attempt.reason
    assert [r.client_payload["status"] for r in fake_github.repository_dispatches] == ["blocked"]
    (issue,) = [i for i in fake_github.issues(repo) if i.number == number]
    assert issue.labels.count("needs-human") == 1
    assert fake_github.pulls(repo) == []
    (comment,) = fake_github.comments(repo, number)
    assert "would repeat with the same input" in comment.body
    assert "three times" not in comment.body
