"""The architect inside the wake: tickets written up to the limit, once, and the next follows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from prime_action.commands.wake import wake_local
from prime_action.domain.markers import find_signal
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, Actions
from tests.growth.seeds import VALID

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
TOKENIZER, PARSE, CSV = "growth.parser.tokenizer", "growth.parser.parse", "growth.export.csv"


def local_tickets(root: Path) -> dict[str, dict[str, object]]:
    """Marker -> issue record of every ai-task ticket in the local memory."""
    found = {}
    for path in sorted((root / ".prime" / "issues").glob("*.json")):
        issue = json.loads(path.read_text(encoding="utf-8"))
        if "ai-task" in issue["labels"]:
            found[find_signal(issue["body"]) or ""] = issue
    return found


def close_local(root: Path, number: int) -> None:
    path = root / ".prime" / "issues" / f"{number}.json"
    issue = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**issue, "state": "closed"}), encoding="utf-8")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "seed.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "README.md").write_text("# x\n", encoding="utf-8")
    return tmp_path


def test_a_local_wake_opens_tickets_up_to_the_limit_and_a_rerun_opens_none(
    checkout: Path,
) -> None:
    report = wake_local(checkout, NOW)
    growth = next(s for s in report.signals if s.name == "growth")
    assert growth.status == "failing"
    assert set(local_tickets(checkout)) == {TOKENIZER, CSV}
    assert any(line.startswith("opened ai-task issue #") for line in report.executed)
    again = wake_local(checkout, NOW + timedelta(hours=1))
    assert set(local_tickets(checkout)) == {TOKENIZER, CSV}
    assert not any("ai-task" in line for line in again.executed)
    assert next(s for s in again.signals if s.name == "growth").status == "ok"


def test_closing_a_ticket_lets_the_next_task_follow_and_never_reopens_the_closed_one(
    checkout: Path,
) -> None:
    wake_local(checkout, NOW)
    tickets = local_tickets(checkout)
    close_local(checkout, int(str(tickets[TOKENIZER]["number"])))
    wake_local(checkout, NOW + timedelta(hours=1))
    after = local_tickets(checkout)
    assert set(after) == {TOKENIZER, CSV, PARSE}
    assert after[TOKENIZER]["state"] == "closed"
    assert sum(t["state"] == "open" for t in after.values()) == 2


@pytest.mark.parametrize(
    "change", [{"status": "paused"}, {"skipped": ["growth"]}], ids=["paused", "growth-skipped"]
)
def test_a_paused_prime_or_a_skipped_growth_signal_writes_no_ticket(
    checkout: Path, change: dict[str, object]
) -> None:
    wake_local(checkout, NOW)  # creates the state
    state_path = checkout / ".prime" / "state.json"
    state = json.loads(state_path.read_text(encoding="utf-8"))
    for ticket in local_tickets(checkout).values():
        close_local(checkout, int(str(ticket["number"])))
    state_path.write_text(json.dumps({**state, **change}), encoding="utf-8")
    before = set(local_tickets(checkout))
    wake_local(checkout, NOW + timedelta(hours=1))
    assert set(local_tickets(checkout)) == before


def test_without_a_seed_no_ticket_is_written(tmp_path: Path) -> None:
    report = wake_local(tmp_path, NOW)
    assert next(s for s in report.signals if s.name == "growth").status == "skipped"
    assert local_tickets(tmp_path) == {}


def test_on_github_the_architect_opens_labelled_tickets_once(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(REPO, {**FILES, "seed.yaml": VALID})
    actions = Actions(fake_github, tmp_path, monkeypatch)
    code, summary = actions.run("workflow_dispatch")
    assert code == 0
    assert "| failing | growth | medium | 2 ticket(s) to write for epic parser" in summary
    tickets = {find_signal(i.body): i for i in fake_github.issues(REPO) if "ai-task" in i.labels}
    assert set(tickets) == {TOKENIZER, CSV}
    assert tickets[TOKENIZER].title == "A streaming parser: Tokenizer"
    assert "automated" in tickets[TOKENIZER].labels
    assert "opened ai-task issue" in actions.outputs()
    count = len(fake_github.issues(REPO))
    actions.run("workflow_dispatch")
    assert len(fake_github.issues(REPO)) == count
    tickets[TOKENIZER].state = "closed"  # a maintainer closes the finished ticket
    actions.run("workflow_dispatch")
    opened = {find_signal(i.body) for i in fake_github.issues(REPO) if i.state == "open"}
    assert {TOKENIZER, CSV, PARSE} & opened == {CSV, PARSE}
    assert fake_github.take_violations() == []


def test_a_dry_run_on_github_writes_no_ticket(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(REPO, {**FILES, "seed.yaml": VALID})
    actions = Actions(fake_github, tmp_path, monkeypatch)
    code, summary = actions.run("workflow_dispatch", inputs={"PRIME_DRY_RUN": "true"})
    assert code == 0
    assert f"- open (or reopen) the issue for {TOKENIZER}: A streaming parser: Tokenizer" in summary
    assert not [i for i in fake_github.issues(REPO) if "ai-task" in i.labels]
    assert fake_github.writes == 0
