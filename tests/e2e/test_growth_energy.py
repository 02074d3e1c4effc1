"""Growth mode's report and energy budget end to end over the fake GitHub: a merge by the gate
is recorded in state and on the dashboard; past the cycle's lines budget no ticket is opened
or dispatched, and the dashboard says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.domain.markers import find_signal
from prime_action.runners.boundary import branch_name
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, Actions, dashboards, prime_state
from tests.e2e.test_growth import CONFIG, SEED, SHORT, TOKENIZER, agent, client
from tests.e2e.test_growth_agent import about

__all__ = ["client"]  # the fixture, shared with the growth loop's e2e

# One ticket at a time, and a cycle's budget of 2 changed lines (the merged PR has 2).
ENERGY = SEED + "energy: {max_tickets_in_flight: 1, max_lines_changed: 2}\n"


def _ai_tasks(fake: FakeGitHub) -> dict[str, str]:
    return {str(find_signal(i.body)): i.state for i in fake.issues(REPO) if "ai-task" in i.labels}


def test_a_merge_is_reported_and_the_spent_lines_budget_holds_growth_with_its_reason(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    client: GitHubClient,
) -> None:
    workflow = render_runner_workflow(standalone=True)
    files = {
        **FILES,
        "seed.yaml": ENERGY,
        ".github/prime.yml": CONFIG,
        RUNNER_WORKFLOW_PATH: workflow,
    }
    fake_github.add_repo(REPO, files)
    actions = Actions(fake_github, tmp_path, monkeypatch)
    actions.run("workflow_dispatch")
    assert _ai_tasks(fake_github) == {TOKENIZER: "open"}  # max_tickets_in_flight: 1
    cycle = prime_state(fake_github).growth.cycles[-1]
    assert cycle.tickets_opened == 1

    ticket = next(i.number for i in fake_github.issues(REPO) if "ai-task" in i.labels)
    pull = agent(client, TOKENIZER, {"src/core/tokens.py": SHORT}, ticket)
    head = fake_github.ref(REPO, f"heads/{branch_name(TOKENIZER)}")
    assert head is not None
    fake_github.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    code, summary = actions.run("check_suite.completed", about(pull, head))
    assert code == 0
    assert f"merged PR #{pull}" in summary

    cycle = prime_state(fake_github).growth.cycles[-1]
    assert [(m.pull, m.signal, m.rounds, m.lines) for m in cycle.merged] == [
        (pull, TOKENIZER, 0, 2)
    ]
    assert cycle.held.startswith("energy: 2 of 2 lines changed this cycle")
    # The tokenizer's ticket closed, but the budget is spent: the next ticket waits.
    assert _ai_tasks(fake_github) == {TOKENIZER: "closed"}
    before = len(fake_github.dispatches)
    actions.run("workflow_dispatch")
    assert _ai_tasks(fake_github) == {TOKENIZER: "closed"}
    growth = [d for d in fake_github.dispatches[before:] if d.inputs["signal"].startswith("growth")]
    assert growth == []
    assert len(prime_state(fake_github).growth.cycles[-1].merged) == 1  # counted once

    body = dashboards(fake_github)[0].body or ""
    assert "## Growth" in body
    assert "**Held:** energy: 2 of 2 lines changed this cycle" in body
    assert f"| 1 | 1 | #{pull}: 0 | 0 | - | 2 |" in body
    assert "xychart-beta" in body
    assert "  bar [1]" in body
    assert fake_github.take_violations() == []
