"""Growth mode on GitHub, through the real agent runner: events wake the gate, the agent builds
on its PR's branch, a maintainer's follow-up message reaches it.

Every step is what Actions would run: `prime wake` for the event (workflow_dispatch,
check_suite, pull_request, issue_comment), `prime run --checkout` for a dispatched job in a
temporary git checkout of the branch the job names (its `ref` input), then `prime report`.
The agent's model is the OpenAI-compatible stub, reached through real litellm.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from prime_action.cli import main
from prime_action.domain.markers import find_signal
from prime_action.runners.boundary import branch_name
from prime_action.runners.edits import SEARCH
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from testing.llm import STUB_API_KEY, OpenAIStub, openai_stub
from tests.e2e.harness import FILES, REPO, Actions, actions_env
from tests.e2e.test_growth import LONG, SEED, SHORT, TOKENIZER

__all__ = ["openai_stub"]
TEST_FILE = "test_tokens.py"
TESTS = "from src.core.tokens import tokens\n\n\ndef test_tokens():\n    assert tokens('a b')\n"
LONG_EDIT = (
    f"EDIT src/core/tokens.py\n```python\n{SEARCH}\n=======\n{LONG}>>>>>>> REPLACE\n```\n"
    "DONE the tokenizer\n"
)
REWORK = (
    f"EDIT src/core/tokens.py\n```python\n{SEARCH}\n"
    + LONG.removeprefix("def tokens(text):\n")
    + "=======\n    return text.split()\n>>>>>>> REPLACE\n```\nDONE shorter\n"
)
PRIME_PR = "check_suite.pull_requests.0"


def config(stub: OpenAIStub) -> str:
    """The repository's config: the coding loop on the stub, the fixture's real tests."""
    tests = f"{sys.executable} -m pytest -q -p no:cacheprovider {TEST_FILE}"
    return json.dumps({
        "jobs": {"max_in_flight": 20},
        "brain": {"api_base": stub.base_url, "timeout_seconds": 30},
        "agent": {"model": "openai/gpt-4o-mini", "test_command": tests, "max_turns": 3},
    })  # fmt: skip


def checkout(fake: FakeGitHub, ref: str, root: Path) -> None:
    """What actions/checkout leaves: every file of `ref` in a fresh git working tree."""
    repo = fake.client().get_repo(REPO)
    head = fake.ref(REPO, f"heads/{ref}")
    assert head is not None
    for entry in repo.get_git_tree(head, recursive=True).tree:
        if entry.type == "blob":
            (root / entry.path).parent.mkdir(parents=True, exist_ok=True)
            (root / entry.path).write_text(fake.read(REPO, entry.path, ref) or "")
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t",
                                                "commit", "-q", "-m", "checkout"]):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True)


def run_job(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inputs: dict[str, Any]
) -> tuple[int, int]:
    """The runner workflow for one dispatch: its read-only job checks out the ref and runs
    `prime run --produce` with no token; its writing job runs `prime run --apply`, then
    `prime report` (templates/workflows/runner.yml.j2)."""
    where = tmp_path / f"job-{inputs['attempt']}"
    (where / "target").mkdir(parents=True)
    checkout(fake, inputs.get("ref") or "main", where / "target")
    event = where / "event.json"
    event.write_text(json.dumps({"inputs": inputs}))
    actions_env(monkeypatch, fake, where, repo=REPO, event_name="workflow_dispatch", event=event,
                RUNNER_TEMP=str(where), GITHUB_RUN_ID="77")  # fmt: skip
    with monkeypatch.context() as produce_job:
        produce_job.delenv("GITHUB_TOKEN")
        main(["run", "--produce", str(where / "result"), "--checkout", str(where / "target")])
    ran = main(["run", "--apply", str(where / "result")])
    return ran, main(["report"])


def dispatched(fake: FakeGitHub, signal: str) -> list[dict[str, Any]]:
    """The inputs of every dispatch of the runner workflow for `signal`, oldest first."""
    return [d.inputs for d in fake.dispatches if d.inputs["signal"] == signal]


def about(number: int, sha: str) -> dict[str, object]:
    """A check suite of this repository's Prime PR `number` (the example payload, retargeted)."""
    repo_url = f"https://api.github.com/repos/{REPO}"
    return {
        "repository.full_name": REPO,
        "repository.default_branch": "main",
        "check_suite.head_branch": branch_name(TOKENIZER),
        "check_suite.head_sha": sha,
        f"{PRIME_PR}.number": number,
        f"{PRIME_PR}.head.ref": branch_name(TOKENIZER),
        f"{PRIME_PR}.head.repo.url": repo_url,
        "sender.login": "ci-app[bot]",
        "sender.type": "Bot",
    }


@pytest.mark.slow
def test_one_ticket_through_the_real_agent_runner_driven_by_events_and_a_follow_up(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    openai_stub: OpenAIStub,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", STUB_API_KEY)
    files = {**FILES, "seed.yaml": SEED, TEST_FILE: TESTS, "src/core/__init__.py": "",
             "src/__init__.py": "", RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True),
             ".github/prime.yml": config(openai_stub)}  # fmt: skip
    fake_github.add_repo(REPO, files)
    actions = Actions(fake_github, tmp_path, monkeypatch)
    # The architect writes the tickets; the next wake dispatches them to the agent runner.
    actions.run("workflow_dispatch")
    actions.run("workflow_dispatch")
    (job,) = dispatched(fake_github, TOKENIZER)
    assert "ref" not in job  # a first attempt starts from the default branch

    # The agent (the stub's answer) writes a function longer than the seed allows; tests pass.
    openai_stub.answer(LONG_EDIT)
    assert run_job(fake_github, tmp_path, monkeypatch, job) == (0, 0)
    (pull,) = [
        p for p in fake_github.pulls(REPO) if p.pull and p.pull.head == branch_name(TOKENIZER)
    ]
    assert fake_github.read(REPO, "src/core/tokens.py", branch_name(TOKENIZER)) == LONG

    # CI reports on the PR's head: the check suite wakes the gate, which sends the PR back and
    # dispatches the agent again, on the PR's branch this time.
    head = fake_github.ref(REPO, f"heads/{branch_name(TOKENIZER)}") or ""
    fake_github.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    code, summary = actions.run("check_suite.completed", about(pull.number, head))
    assert code == 0
    assert f"PR #{pull.number} sent back (round 1)" in summary
    rework = dispatched(fake_github, TOKENIZER)[-1]
    assert rework["ref"] == branch_name(TOKENIZER)
    assert "max_function_lines" in rework["approach"]

    # The rework builds on the branch: its SEARCH finds the long body only there.
    openai_stub.answer(REWORK)
    assert run_job(fake_github, tmp_path, monkeypatch, rework) == (0, 0)
    assert fake_github.read(REPO, "src/core/tokens.py", branch_name(TOKENIZER)) == SHORT

    # A maintainer's message on the PR goes to the agent, on the branch, and is answered once.
    comment = {"comment.body": "/prime add a docstring to tokens()", "issue.number": pull.number,
               "issue.pull_request": {"url": "u"}, "repository.full_name": REPO,
               "repository.default_branch": "main"}  # fmt: skip
    before = len(fake_github.dispatches)
    code, summary = actions.run("issue_comment.created", comment)
    assert code == 0
    message = dispatched(fake_github, TOKENIZER)[-1]
    assert len(fake_github.dispatches) == before + 1
    assert message["ref"] == branch_name(TOKENIZER)
    assert "add a docstring to tokens()" in message["approach"]
    replies = [c for c in fake_github.comments(REPO, pull.number) if "handed this to" in c.body]
    assert len(replies) == 1
    actions.run("issue_comment.created", comment)  # the same event again: nothing new
    untrusted = {**comment, "comment.author_association": "NONE", "comment.id": 999}
    actions.run("issue_comment.created", untrusted)
    assert len(fake_github.dispatches) == before + 1
    assert (
        len([c for c in fake_github.comments(REPO, pull.number) if "handed this to" in c.body]) == 1
    )
    openai_stub.answer("ESCALATE the docstring is a matter of taste")
    assert run_job(fake_github, tmp_path, monkeypatch, message)[0] == 1  # nothing pushed

    # Green on the reworked head: the push (synchronize) wakes the gate, which merges, and the
    # wake goes on: the ticket is closed and the architect writes the next one.
    fake_github.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    moved = {"pull_request.number": pull.number, "pull_request.head.ref": branch_name(TOKENIZER),
             "pull_request.head.repo.full_name": REPO, "repository.full_name": REPO,
             "repository.default_branch": "main"}  # fmt: skip
    code, summary = actions.run("pull_request.synchronize", moved)
    assert code == 0
    assert f"merged PR #{pull.number}" in summary
    assert fake_github.read(REPO, "src/core/tokens.py") == SHORT
    ticket_states = {
        find_signal(i.body): i.state for i in fake_github.issues(REPO) if "ai-task" in i.labels
    }
    assert ticket_states[TOKENIZER] == "closed"
    assert ticket_states["growth.parser.parse"] == "open"
    assert fake_github.take_violations() == []


def test_without_a_seed_the_gate_writes_nothing_and_a_human_pr_takes_no_instruction(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(
        REPO, {**FILES, RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True)}
    )
    actions = Actions(fake_github, tmp_path, monkeypatch)
    actions.run("workflow_dispatch")
    fake_github.push(REPO, {"src/x.py": "x = 1\n"}, branch=branch_name(TOKENIZER),
                     message="prime: fix growth.parser.tokenizer")  # fmt: skip
    prime_pr = fake_github.add_pull(REPO, branch_name(TOKENIZER), title="Prime PR")
    fake_github.push(REPO, {"y.py": "y = 1\n"}, branch="feature")
    human_pr = fake_github.add_pull(REPO, "feature", title="A human's PR")
    dispatches = len(fake_github.dispatches)

    code, summary = actions.run("check_suite.completed", about(prime_pr, "0" * 40))
    assert code == 0
    assert "no seed.yaml" in summary
    assert fake_github.writes == 0

    comment = {"comment.body": "/prime rewrite it in Rust", "issue.number": human_pr,
               "issue.pull_request": {"url": "u"}, "repository.full_name": REPO,
               "repository.default_branch": "main"}  # fmt: skip
    code, summary = actions.run("issue_comment.created", comment)
    assert code == 0
    assert "not an open Prime PR" in summary
    assert fake_github.writes == 0
    assert len(fake_github.dispatches) == dispatches
