"""`prime growth --repo` over the fake GitHub: the cycle report read from seed.yaml and the
`prime-state` branch after real wakes, a gate merge and an open PR, in two requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.runners.boundary import branch_name
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, Actions, prime_state
from tests.e2e.test_growth import CONFIG, CSV, SEED, SHORT, TOKENIZER, agent, client, tickets
from tests.e2e.test_growth_agent import about

__all__ = ["client"]  # the fixture, shared with the growth loop's e2e

REPORT = ("growth", "--repo", REPO)


@pytest.fixture
def grown(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: GitHubClient
) -> tuple[Actions, int, int]:
    """Two tickets; the tokenizer's PR merged by the gate, the CSV's PR open and seen by a
    wake: (the Actions harness, the merged PR, the open PR)."""
    files = {**FILES, "seed.yaml": SEED, ".github/prime.yml": CONFIG,
             RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True)}  # fmt: skip
    fake_github.add_repo(REPO, files)
    actions = Actions(fake_github, tmp_path, monkeypatch)
    assert actions.run("workflow_dispatch")[0] == 0
    opened = tickets(fake_github)
    merged = agent(client, TOKENIZER, {"src/core/tokens.py": SHORT}, opened[TOKENIZER][0])
    head = fake_github.ref(REPO, f"heads/{branch_name(TOKENIZER)}")
    assert head is not None
    fake_github.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    assert actions.run("check_suite.completed", about(merged, head))[0] == 0
    csv = agent(client, CSV, {"src/adapters/csv.py": "def write():\n    return ''\n"},
                opened[CSV][0])  # fmt: skip
    assert actions.run("workflow_dispatch")[0] == 0
    return actions, merged, csv


def test_the_report_shows_epics_tickets_prs_rounds_and_the_cycle_in_two_requests(
    grown: tuple[Actions, int, int], fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    actions, merged, csv = grown
    numbers = {signal: number for signal, (number, _, _) in tickets(fake_github).items()}
    capsys.readouterr()
    assert actions.run("workflow_dispatch", argv=REPORT)[0] == 0
    out = capsys.readouterr().out
    assert len(fake_github.requests) == 2  # seed.yaml, then state.json on prime-state
    assert fake_github.writes == 0
    assert "Growth of demo: 1/3 tasks done" in out
    assert "  PRs merged      1\n" in out
    assert "  lines changed   2 (no limit: seed.yaml energy.max_lines_changed)\n" in out
    assert "  tickets open    2 of 2\n" in out
    assert "Epic parser: Parser (priority 1, 1/2 done; this cycle 1 merged, 2 lines)\n" in out
    assert (
        f"  merged   tokenizer: Tokenizer, ticket #{numbers[TOKENIZER]}, PR #{merged} merged "
        "after 0 review rounds, 2 lines\n"
    ) in out
    assert f"  open     parse: Parse, ticket #{numbers['growth.parser.parse']}\n" in out
    assert f"  review   csv: CSV, ticket #{numbers[CSV]}, PR #{csv} open\n" in out
    assert fake_github.take_violations() == []


def test_the_json_report_names_the_same_tickets_and_prs(
    grown: tuple[Actions, int, int], fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    actions, merged, csv = grown
    capsys.readouterr()
    assert actions.run("workflow_dispatch", argv=(*REPORT, "--json"))[0] == 0
    report = json.loads(capsys.readouterr().out)
    tasks = {t["signal"]: t for e in report["epics"] for t in e["tasks"]}
    assert (tasks[TOKENIZER]["status"], tasks[TOKENIZER]["pull"]) == ("merged", merged)
    assert (tasks[CSV]["status"], tasks[CSV]["pull"]) == ("review", csv)
    assert report["cycle"]["merged"] == 1
    assert prime_state(fake_github).growth.tickets  # what the report read


def test_a_repository_without_a_seed_is_an_error_naming_the_file_after_one_request(
    repo_actions: Actions, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert repo_actions.run("workflow_dispatch", argv=REPORT)[0] == 2
    err = capsys.readouterr().err
    assert f"{REPO}:seed.yaml: no seed" in err
    assert "prime init . --seed" in err
    assert len(fake_github.requests) == 1


def test_a_seed_without_prime_state_is_an_error_naming_the_branch_file(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    fake_github.add_repo(REPO, {**FILES, "seed.yaml": SEED})
    actions = Actions(fake_github, tmp_path, monkeypatch)
    assert actions.run("workflow_dispatch", argv=REPORT)[0] == 2
    err = capsys.readouterr().err
    assert f"{REPO}@prime-state:state.json: no Prime state here" in err
    assert len(fake_github.requests) == 2
