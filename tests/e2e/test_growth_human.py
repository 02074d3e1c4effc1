"""Growth mode end to end over the fake GitHub: an `ai-task` issue a trusted person opens is
adopted (Prime's marker `growth.manual.<number>`) and planned for the agent runner; an
untrusted author's is never adopted."""

from __future__ import annotations

from pathlib import Path

import pytest

from prime_action.domain.markers import find_signal
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from testing.state import Issue
from tests.e2e.harness import FILES, REPO, Actions
from tests.e2e.test_growth import CONFIG, SEED

HUMAN = """\
The tokenizer drops unicode spaces.

## Scope
- `src/core/tokens.py`

Acceptance:
- tokens() splits on every unicode space
- a test covers U+00A0
"""


def _issue(fake: FakeGitHub, number: int) -> Issue:
    return next(i for i in fake.issues(REPO) if i.number == number)


def _repo(fake: FakeGitHub, seed: str = SEED) -> None:
    workflow = render_runner_workflow(standalone=True)
    files = {
        **FILES,
        "seed.yaml": seed,
        ".github/prime.yml": CONFIG,
        RUNNER_WORKFLOW_PATH: workflow,
    }
    fake.add_repo(REPO, files)


def _opened(number: int) -> dict[str, object]:
    """`issues: opened` of issue `number`, sent by a person."""
    return {"issue.number": number, "sender.login": "octocat", "issue.body": HUMAN,
            "repository.full_name": REPO, "repository.default_branch": "main"}  # fmt: skip


def test_a_trusted_persons_ai_task_is_adopted_once_and_dispatched_with_its_scope(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(fake_github)
    human = fake_github.add_issue(REPO, "Unicode tokens", HUMAN, labels=["ai-task"])
    stranger = fake_github.add_issue(REPO, "Mine mine", "Scope:\n- .github/workflows/x.yml\n",
                                     labels=["ai-task"], user="mallory",
                                     author_association="NONE")  # fmt: skip
    actions = Actions(fake_github, tmp_path, monkeypatch)
    assert actions.run("issues.opened", _opened(human))[0] == 0
    adopt = [r for r in fake_github.log if r.method == "PATCH" and "labels" in (r.body or {})]
    assert [(r.path, sorted(r.body["labels"])) for r in adopt] == [
        (f"/repos/{REPO}/issues/{human}", ["ai-task", "automated"])  # one write: body and labels
    ]

    issue = _issue(fake_github, human)
    assert find_signal(issue.body) == f"growth.manual.{human}"
    assert (issue.body or "").startswith(HUMAN.rstrip())  # the person's text is kept
    assert {"ai-task", "automated"} <= set(issue.labels)
    assert find_signal(_issue(fake_github, stranger).body) is None
    assert "automated" not in _issue(fake_github, stranger).labels
    # The human ticket counts against max_open_tasks (2): the architect opens one of its own.
    assert sum("ai-task" in i.labels for i in fake_github.issues(REPO)) == 3

    actions.run("workflow_dispatch")
    jobs = {d.inputs["signal"]: d.inputs for d in fake_github.dispatches}
    job = jobs[f"growth.manual.{human}"]
    assert job["runner"] == "agent"
    assert f"Ticket #{human} (opened by a maintainer): Unicode tokens" in job["approach"]
    assert "Scope: src/core/tokens.py." in job["approach"]
    assert "tokens() splits on every unicode space; a test covers U+00A0" in job["approach"]
    assert not any(str(stranger) in s for s in jobs)

    # Reruns adopt nothing twice: the body is written once.
    body = _issue(fake_github, human).body
    fake_github.reset_counts()
    actions.run("issues.opened", _opened(human))
    assert _issue(fake_github, human).body == body
    assert ("PATCH", f"/repos/{REPO}/issues/{human}") not in fake_github.requests
    assert fake_github.take_violations() == []


def test_a_human_ticket_without_scope_gets_the_seeds_write_paths(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(fake_github)
    human = fake_github.add_issue(REPO, "Faster parser", "Make it faster.", labels=["ai-task"])
    actions = Actions(fake_github, tmp_path, monkeypatch)
    actions.run("workflow_dispatch")
    actions.run("workflow_dispatch")
    job = next(d.inputs for d in fake_github.dispatches
               if d.inputs["signal"] == f"growth.manual.{human}")  # fmt: skip
    assert f"Acceptance: what issue #{human} asks for." in job["approach"]
    assert "Scope:" not in job["approach"]
    assert "Write only under src/**" in job["approach"]


def test_without_a_seed_ai_task_issues_are_not_listed_or_adopted(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(REPO, FILES)
    human = fake_github.add_issue(REPO, "Unicode tokens", HUMAN, labels=["ai-task"])
    actions = Actions(fake_github, tmp_path, monkeypatch)
    actions.run("issues.opened", _opened(human))
    assert find_signal(_issue(fake_github, human).body) is None
    assert not [r for r in fake_github.log if r.query.get("labels") == ["ai-task"]]


def test_a_dry_run_notes_the_adoption_and_writes_nothing(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(fake_github)
    human = fake_github.add_issue(REPO, "Unicode tokens", HUMAN, labels=["ai-task"])
    actions = Actions(fake_github, tmp_path, monkeypatch)
    code, summary = actions.run("issues.opened", _opened(human), inputs={"PRIME_DRY_RUN": "true"})
    assert code == 0
    assert f"adopt #{human}" in summary
    assert find_signal(_issue(fake_github, human).body) is None
