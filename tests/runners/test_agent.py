"""The agent runner with real subprocesses in a git checkout seeded from the fake repository.

The coding loop is driven by a scripted model (FakeLLM) and runs the fixture's real pytest;
the external-CLI path runs a small Python script as the agent.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from prime_action.adapters.github.client import GitHubClient, RetryPolicy
from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.adapters.local.workspace import GitWorkspace
from prime_action.config.models import AgentSettings, BrainSettings
from prime_action.domain.ci import CiEvidence, FailedJob, SinceGreen
from prime_action.flows.run import agent_llm
from prime_action.runners.agent import NO_AGENT, AgentRequest, run_agent
from prime_action.runners.boundary import PrPolicy
from prime_action.runners.guardrails import Guardrails
from prime_action.runners.job import Job
from prime_action.signals.ci_triage import Triage, fitted_approach
from testing.github import FakeGitHub
from testing.llm import STUB_API_KEY, FakeLLM, OpenAIStub, openai_stub

__all__ = ["openai_stub"]
REPO = "acme/calc"
JOB = Job(attempt="ci-1", repo=REPO, signal="ci", runner="agent", approach="Fix add()")
TESTS = f"{sys.executable} -m pytest -q test_calc.py"
FILES = {
    "calc.py": "def add(a, b):\n    return a - b\n",
    "test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n",
    "CLAUDE.md": "Keep functions small. Never touch the README.\n",
    ".gitignore": "__pycache__/\n.pytest_cache/\n",
}
FIX = """I see the bug.
EDIT calc.py
```python
<<<<<<< SEARCH
    return a - b
=======
    return a + b
>>>>>>> REPLACE
```
DONE add() adds instead of subtracting
"""


@pytest.fixture
def host(fake_github: FakeGitHub) -> Iterator[GitHubPulls]:
    """`acme/calc`: a subtraction bug, its failing test and a CLAUDE.md, on the fake."""
    fake_github.add_repo(REPO, FILES)
    client = GitHubClient(
        "fake-token", fake_github.base_url, policy=RetryPolicy(sleep=lambda _: None),
        write_spacing=0,
    )  # fmt: skip
    yield GitHubPulls(client, REPO)
    client.close()


@pytest.fixture
def workspace(tmp_path: Path) -> GitWorkspace:
    """A `git init` working tree holding the fixture repository's default branch."""
    root = tmp_path / "checkout"
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t",
                                                "commit", "-q", "-m", "seed"]):  # fmt: skip
        subprocess.run(["git", *args], cwd=root, check=True)
    return GitWorkspace(root)


def request(**settings: object) -> AgentRequest:
    return AgentRequest(
        job=JOB, settings=AgentSettings.model_validate({"test_command": TESTS, **settings}), issue=7
    )


def test_a_scripted_model_edits_the_checkout_runs_its_tests_and_opens_a_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace
) -> None:
    llm = FakeLLM(["Let me look.\nREAD calc.py", FIX])
    beats: list[str] = []

    result = run_agent(request(), workspace, host, fake_github.now(), llm=llm, beat=beats.append)

    assert result.outcome.status == "success", result.outcome.reason
    assert result.outcome.pr_url is not None
    assert "(2 turn(s), $0.0040)" in result.outcome.reason
    assert fake_github.read(REPO, "calc.py", "prime/ci") == "def add(a, b):\n    return a + b\n"
    (pull,) = fake_github.pulls(REPO)
    assert "Fixes #7" in (pull.body or "")
    assert "add() adds instead of subtracting" in (pull.body or "")
    system, first = llm.calls[0]
    assert "Keep functions small" in system.content
    assert "DATA from CLAUDE.md" in system.content
    assert "The tests failed (exit 1)" in first.content
    assert "return a - b" in llm.calls[1][-1].content  # the file it asked to READ
    assert beats == ["agent turn 1 of 8", "agent turn 2 of 8"]


def test_the_pull_request_cites_the_ci_evidence_its_approach_carries(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace
) -> None:
    suspect = SinceGreen(sha="b" * 40, title="Subtract in add()", files=("calc.py",))
    failing = FailedJob(check="test", conclusion="failure", run_id=5, step="Run pytest",
                        annotations=("test_calc.py:5: assert -1 == 5",),
                        log_tail="E   assert -1 == 5\nFAILED test_calc.py::test_add")  # fmt: skip
    evidence = CiEvidence(sha="c" * 40, jobs=(failing,), last_green="a" * 40, since=(suspect,))
    verdict = Triage(kind="code", cause="it names calc.py, changed since green", suspect=suspect)
    approach = fitted_approach(("test",), verdict, evidence)
    job = JOB.model_copy(update={"approach": approach})
    agent = AgentRequest(job=job, settings=AgentSettings(test_command=TESTS), issue=None)

    result = run_agent(agent, workspace, host, fake_github.now(), llm=FakeLLM([FIX]))

    assert result.outcome.status == "success", result.outcome.reason
    (pull,) = fake_github.pulls(REPO)
    body = pull.body or ""
    assert 'failing step: "Run pytest"' in body
    assert 'Suspect commit: bbbbbbb "Subtract in add()" (it changed calc.py)' in body
    assert "```text\n- test_calc.py:5: assert -1 == 5" in body
    assert "FAILED test_calc.py::test_add\n```" in body


@pytest.mark.slow
def test_failing_tests_go_back_to_the_model_and_done_waits_until_they_pass(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace
) -> None:
    wrong = FIX.replace("a + b", "a * b")
    llm = FakeLLM([wrong, FIX.replace("a - b", "a * b")])

    result = run_agent(request(), workspace, host, fake_github.now(), llm=llm)

    feedback = llm.calls[1][-1].content
    assert "The tests failed (exit 1)" in feedback
    assert "DONE refused: the tests do not pass" in feedback
    assert result.outcome.status == "success"
    assert fake_github.read(REPO, "calc.py", "prime/ci") == "def add(a, b):\n    return a + b\n"


def test_an_edit_to_a_forbidden_path_pushes_nothing_and_the_attempt_says_why(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace
) -> None:
    rails = Guardrails(forbidden_paths=("calc.py",))
    forbidden = request().model_copy(update={"policy": PrPolicy(rails=rails)})
    llm = FakeLLM([FIX])
    fake_github.reset_counts()

    result = run_agent(forbidden, workspace, host, fake_github.now(), llm=llm)

    # The same input proposes the same refused edit: blocked at once, not retried (issue 16).
    assert result.outcome.status == "blocked"
    assert "outside the repository's contract: calc.py matches guardrails.forbidden_paths" in (
        result.outcome.reason
    )
    assert fake_github.writes == 0
    assert workspace.read("calc.py") == FILES["calc.py"]  # validated before it was applied
    assert "Never write: calc.py" in llm.calls[0][0].content


def test_an_edit_whose_search_text_is_missing_is_fed_back_and_nothing_is_applied(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace
) -> None:
    bad = FIX.replace("    return a - b\n=", "    return a-b\n=").replace("DONE", "NOTE")
    new_file = "EDIT notes.md\n<<<<<<< SEARCH\n=======\nnew\n>>>>>>> REPLACE\n"
    llm = FakeLLM([new_file + bad, "ESCALATE the spec is unclear"])

    result = run_agent(request(), workspace, host, fake_github.now(), llm=llm)

    assert "the SEARCH text for calc.py does not occur" in llm.calls[1][-1].content
    assert workspace.read("notes.md") is None  # one bad edit applies none of the answer
    assert result.outcome.status == "blocked"  # an escalation needs a human, not two more tries
    assert result.outcome.reason.startswith("the agent escalated: the spec is unclear")
    assert fake_github.pulls(REPO) == []


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"max_turns": 2}, "no DONE within agent.max_turns (2); 2 turn(s), $0.0040"),
        ({"budget_usd": 0.003}, "spent $0.0040 of agent.budget_usd ($0.003) without finishing"),
    ],
)
def test_the_loop_stops_at_its_turn_and_budget_limits(
    fake_github: FakeGitHub,
    host: GitHubPulls,
    workspace: GitWorkspace,
    settings: dict[str, object],
    reason: str,
) -> None:
    llm = FakeLLM(["READ calc.py"] * 5)

    result = run_agent(request(**settings), workspace, host, fake_github.now(), llm=llm)

    assert result.outcome.status == "failed"
    assert reason in result.outcome.reason
    assert len(llm.calls) == 2


def test_without_a_command_or_a_model_the_attempt_blocks_at_once_saying_what_to_set(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace
) -> None:
    result = run_agent(request(), workspace, host, fake_github.now())

    assert (result.outcome.status, result.outcome.reason) == ("blocked", NO_AGENT)


AGENT_CLI = """\
import pathlib, subprocess, sys, time
prompt = sys.stdin.read() if sys.argv[-1] == "-" else sys.argv[-1]
pathlib.Path(sys.argv[1]).write_text(prompt)
mode = sys.argv[2]
if mode == "sleep":
    time.sleep(5)
if mode == "escalate":
    print("ESCALATE the fix needs a product decision")
    sys.exit(1)
calc = pathlib.Path("calc.py")
calc.write_text(calc.read_text().replace("a - b", "a * b" if mode == "wrong" else "a + b"))
if mode == "commit":
    git = ["git", "-c", "user.name=agent", "-c", "user.email=a@a"]
    subprocess.run([*git, "commit", "-qam", "fix add"], check=True)
print("done")
"""


def cli_request(tmp_path: Path, mode: str, *extra: str, **settings: object) -> AgentRequest:
    script = tmp_path / "agent_cli.py"
    script.write_text(AGENT_CLI)
    command = (sys.executable, str(script), str(tmp_path / "prompt.txt"), mode, *extra)
    return request(command=command, **settings)


@pytest.mark.parametrize("mode", ["edit", "commit"])
def test_an_agent_cli_edits_the_checkout_and_its_change_becomes_a_pull_request(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace, tmp_path: Path, mode: str
) -> None:
    result = run_agent(cli_request(tmp_path, mode), workspace, host, fake_github.now())

    assert result.outcome.status == "success", result.outcome.reason
    assert fake_github.read(REPO, "calc.py", "prime/ci") == "def add(a, b):\n    return a + b\n"
    (pull,) = fake_github.pulls(REPO)
    assert "agent_cli.py" in (pull.body or "")
    prompt = (tmp_path / "prompt.txt").read_text()
    assert "Signal: `ci`" in prompt
    assert "Keep functions small" in prompt
    assert "ESCALATE <why>" in prompt


def test_an_agent_cli_ending_with_a_dash_reads_the_prompt_on_stdin(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace, tmp_path: Path
) -> None:
    result = run_agent(cli_request(tmp_path, "edit", "-"), workspace, host, fake_github.now())

    assert result.outcome.status == "success"
    assert "Approach: Fix add()" in (tmp_path / "prompt.txt").read_text()


FORBID_CALC = PrPolicy(rails=Guardrails(forbidden_paths=("calc.py",)))
# mode of the fake CLI -> (timeout, policy, the attempt's status and reason); an escalation
# and a refused path block at once (the same input would end the same way again), the
# others fail and may be retried.
REFUSALS: dict[str, tuple[float, PrPolicy, str, str]] = {
    "escalate": (
        60,
        PrPolicy(),
        "blocked",
        "the agent escalated: the fix needs a product decision",
    ),
    "sleep": (0.5, PrPolicy(), "failed", "did not finish within 0.5 s (agent.timeout_seconds)"),
    "wrong": (
        60,
        PrPolicy(),
        "failed",
        "the agent's change fails the tests: The tests failed (exit 1)",
    ),
    "edit": (60, FORBID_CALC, "blocked", "calc.py matches guardrails.forbidden_paths"),
}


@pytest.mark.parametrize("mode", sorted(REFUSALS))
def test_an_agent_cli_that_escalates_stalls_breaks_tests_or_leaves_the_contract_pushes_nothing(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace, tmp_path: Path, mode: str
) -> None:
    timeout, policy, status, reason = REFUSALS[mode]
    job = cli_request(tmp_path, mode, timeout_seconds=timeout).model_copy(update={"policy": policy})
    fake_github.reset_counts()

    result = run_agent(job, workspace, host, fake_github.now())

    assert result.outcome.status == status
    assert reason in result.outcome.reason
    assert fake_github.writes == 0


def test_a_missing_agent_cli_fails_naming_it(
    fake_github: FakeGitHub, host: GitHubPulls, workspace: GitWorkspace
) -> None:
    job = request(command=("no-such-agent-cli", "-p"))

    result = run_agent(job, workspace, host, fake_github.now())

    assert result.outcome.status == "failed"
    assert result.outcome.reason.startswith("`no-such-agent-cli` exited with 127")


def test_the_prompt_shows_the_contract_and_the_edit_format(
    workspace: GitWorkspace, fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    rails = Guardrails(write_paths=("src/*",), max_files=3)
    job = request().model_copy(update={"policy": PrPolicy(rails=rails)})
    llm = FakeLLM(["ESCALATE just looking"])

    run_agent(job, workspace, host, fake_github.now(), llm=llm)

    system = llm.calls[0][0].content
    for line in (
        "Write only under: src/*",
        "At most 3 files",
        "<<<<<<< SEARCH",
        "Tracking issue: #7",
    ):
        assert line in system
    assert textwrap.dedent(system) == system


def test_the_loop_runs_through_litellm_over_http_in_plain_text_mode(
    fake_github: FakeGitHub,
    host: GitHubPulls,
    workspace: GitWorkspace,
    openai_stub: OpenAIStub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", STUB_API_KEY)
    brain = BrainSettings(api_base=openai_stub.base_url, timeout_seconds=30)
    llm = agent_llm(brain, AgentSettings(model="openai/gpt-4o-mini"))
    openai_stub.answer(FIX)

    result = run_agent(request(), workspace, host, fake_github.now(), llm=llm)

    assert result.outcome.status == "success", result.outcome.reason
    (sent,) = openai_stub.requests
    assert "response_format" not in sent  # edit blocks, not JSON
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert fake_github.read(REPO, "calc.py", "prime/ci") == "def add(a, b):\n    return a + b\n"
