"""Growth mode end to end over the fake GitHub: architect -> implementer -> reviewer/tester ->
maintainer, and the next ticket.

The agent runner itself is stood in for: each dispatched `agent` job is answered by a fixed
edit pushed through the real PR boundary (`propose`) with the guardrails the runner reads
(`GitHubPulls.config()`, which applies the seed's automation contract).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from prime_action.adapters.github.client import GitHubClient, RetryPolicy
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.config.models import RepoConfig
from prime_action.dispatch.ledger import OPEN, latest
from prime_action.dispatch.outcomes import Outcome, record_outcome
from prime_action.domain.clock import SystemClock
from prime_action.domain.markers import find_signal
from prime_action.domain.models import Attempt
from prime_action.flows.pulls import gate_pull
from prime_action.runners.boundary import BoundaryError, PrPolicy, branch_name, propose
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from tests.e2e.harness import AGENT_CONFIG, FILES, REPO, Actions

# The wake runs on the system clock (the Actions harness), so the gate and reports do too.
CLOCK = SystemClock()
TOKENIZER, PARSE, CSV = "growth.parser.tokenizer", "growth.parser.parse", "growth.export.csv"
SEED = """\
version: 1
project: {name: demo}
domain: {problem_statement: Parse invoices.}
architecture:
  modules:
    - {name: core, paths: [src/core/], responsibility: Pure logic.}
    - {name: adapters, paths: [src/adapters/], responsibility: I/O.}
quality_gates: {required_checks: [CI]}
growth_objectives:
  epics:
    - id: parser
      title: Parser
      priority: 1
      tasks:
        - {id: tokenizer, title: Tokenizer, acceptance: [tokens]}
        - {id: parse, title: Parse, acceptance: [parses], depends_on: [tokenizer]}
    - id: export
      title: Export
      priority: 2
      tasks:
        - {id: csv, title: CSV, acceptance: [csv]}
constraints: {max_function_lines: 5, forbidden_imports: [{from: core, to: adapters}]}
automation_contract:
  write_paths: ["src/**"]
  max_open_tasks: 2
  max_review_rounds: 3
  merge_policy: {mode: auto}
"""
# Room for the repository's other fixes too, so the tickets' jobs start in the same wake.
CONFIG = "jobs:\n  max_in_flight: 20\n" + AGENT_CONFIG
LONG = "def tokens(text):\n" + "".join(f"    x{n} = {n}\n" for n in range(8)) + "    return text\n"
SHORT = "def tokens(text):\n    return text.split()\n"


@pytest.fixture
def client(fake_github: FakeGitHub) -> Iterator[GitHubClient]:
    """A client of the fake with no retry sleeps and no write spacing."""
    made = GitHubClient(
        "fake-token", fake_github.base_url, policy=RetryPolicy(sleep=lambda _: None),
        write_spacing=0,
    )  # fmt: skip
    yield made
    made.close()


def tickets(fake: FakeGitHub) -> dict[str, tuple[int, str, list[str]]]:
    """signal -> (number, state, labels) of the ai-task tickets."""
    return {
        str(find_signal(i.body)): (i.number, i.state, i.labels)
        for i in fake.issues(REPO)
        if "ai-task" in i.labels
    }


def agent(client: GitHubClient, signal: str, files: dict[str, str], ticket: int) -> int:
    """The agent runner's stand-in: a fixed edit through the PR boundary; the PR's number."""
    host = GitHubPulls(client, REPO)
    policy = PrPolicy(rails=host.config().guardrails)
    body = f"<!-- prime:run={signal} -->\nFixes #{ticket}\n"
    proposal = propose(host, signal, files, title=f"ai-task #{ticket}", body=body, now=CLOCK.now(),
                       policy=policy, labels=("automated",))  # fmt: skip
    assert proposal.pull is not None
    report(client, signal, proposal.pull.url)
    return proposal.pull.number


def report(client: GitHubClient, signal: str, url: str) -> None:
    """What `prime report` does after the runner: the open attempt concludes with the PR."""

    def done(attempts: tuple[Attempt, ...]) -> tuple[Attempt, ...]:
        last = latest(attempts, REPO, signal)
        if last is None or last.status not in OPEN:
            return attempts
        outcome = Outcome(attempt=last.id, status="success", reason="PR opened", pr_url=url)
        return record_outcome(attempts, outcome, CLOCK.now())

    GitHubLedger(client, REPO).change(done)


def gate(client: GitHubClient, number: int) -> str:
    """Run the reviewer/tester gate and the maintainer on a PR; the line it reports."""
    config = RepoConfig.model_validate({"jobs": {"max_in_flight": 20}})
    return gate_pull(client, REPO, number, config=config, ref="main", now=CLOCK.now()).line


def test_the_growth_loop_reworks_merges_follows_on_and_gives_up_after_three_failures(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: GitHubClient
) -> None:
    files = {
        **FILES,
        "seed.yaml": SEED,
        RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True),
        ".github/prime.yml": CONFIG,
    }
    fake_github.add_repo(REPO, files)
    actions = Actions(fake_github, tmp_path, monkeypatch)
    # Architect: two tickets, the limit; the next wake plans them as agent jobs and dispatches.
    assert actions.run("workflow_dispatch")[0] == 0
    opened = tickets(fake_github)
    assert set(opened) == {TOKENIZER, CSV}
    assert actions.run("workflow_dispatch")[0] == 0
    jobs = {
        d.inputs["signal"]: d.inputs
        for d in fake_github.dispatches
        if d.inputs["signal"].startswith("growth.")
    }
    assert set(jobs) == {TOKENIZER, CSV}
    assert {j["runner"] for j in jobs.values()} == {"agent"}
    assert f"Ticket #{opened[TOKENIZER][0]}" in jobs[TOKENIZER]["approach"]
    assert "Write only under src/**" in jobs[TOKENIZER]["approach"]

    # A change outside the seed's write paths is never pushed.
    with pytest.raises(BoundaryError, match=r"outside guardrails\.write_paths"):
        agent(client, TOKENIZER, {"README.md": "# hacked\n"}, opened[TOKENIZER][0])
    assert fake_github.ref(REPO, f"heads/{branch_name(TOKENIZER)}") is None

    # Implementer opens a PR that breaks max_function_lines; the reviewer sends it back.
    ticket = opened[TOKENIZER][0]
    pull = agent(client, TOKENIZER, {"src/core/tokens.py": LONG}, ticket)
    fake_github.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    before = len(fake_github.dispatches)
    assert "sent back (round 1)" in gate(client, pull)
    rework = fake_github.dispatches[before:]
    assert [(d.inputs["signal"], d.inputs["ref"]) for d in rework] == [
        (TOKENIZER, branch_name(TOKENIZER))  # the agent builds on the PR's branch
    ]
    assert "max_function_lines" in rework[0].inputs["approach"]
    followups = [c for c in fake_github.comments(REPO, pull) if "/prime rework" in c.body]
    assert len(followups) == 1
    assert "function tokens is 10 lines" in followups[0].body
    assert "at this head already" in gate(client, pull)  # a head is sent back only once
    assert len(fake_github.dispatches) == before + 1

    # Reworked on the same branch; green; the maintainer merges and the ticket closes.
    assert agent(client, TOKENIZER, {"src/core/tokens.py": SHORT}, ticket) == pull
    fake_github.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    assert gate(client, pull) == f"merged PR #{pull} for ticket #{ticket}"
    assert fake_github.read(REPO, "src/core/tokens.py") == SHORT
    assert tickets(fake_github)[TOKENIZER][1] == "closed"

    # The next ticket follows.
    actions.run("workflow_dispatch")
    assert tickets(fake_github)[PARSE][1] == "open"

    # A PR whose checks fail three times ends needs-human, and is no longer agent work.
    csv = tickets(fake_github)[CSV][0]
    failing = None
    for attempt in range(3):
        text = f"def rows():\n    return {attempt}\n"
        failing = agent(client, CSV, {"src/adapters/csv.py": text}, csv)
        fake_github.set_ci(REPO, "failure", checks=["CI"], ref=branch_name(CSV))
        gate(client, failing)
    assert failing is not None
    number, state, labels = tickets(fake_github)[CSV]
    assert (number, state) == (csv, "open")
    assert "needs-human" in labels
    rounds = [c for c in fake_github.comments(REPO, failing) if "/prime rework" in c.body]
    assert len(rounds) == 3
    assert "labelled `needs-human`" in rounds[-1].body
    assert not any(p.pull and p.pull.merged for p in fake_github.pulls(REPO) if p.number == failing)
    assert fake_github.take_violations() == []
