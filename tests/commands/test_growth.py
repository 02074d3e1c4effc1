"""`prime growth --local`: the cycle report of a checkout after local wakes of a growth seed,
and the errors that name the missing file and the fix."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from prime_action.cli import main
from prime_action.commands.growth import render_text
from prime_action.domain.models import (
    GrowthCycle,
    GrowthReport,
    GrowthTicket,
    MergedPull,
    PrimeState,
)
from prime_action.growth.overview import GrowthOverview, overview
from prime_action.growth.seed import parse_seed
from tests.e2e.test_growth import SEED, TOKENIZER

# A budget, so the report shows the limits beside what was spent.
ENERGY = SEED + "energy: {cycle_hours: 12, max_cost_usd: 1.5, max_lines_changed: 400}\n"


def _wake(root: Path) -> None:
    assert main(["wake", "--local", str(root)]) == 0


def _close(root: Path, number: int) -> None:
    path = root / ".prime" / "issues" / f"{number}.json"
    issue = json.loads(path.read_text())
    path.write_text(json.dumps({**issue, "state": "closed"}))


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "README.md").write_text("# demo\n")
    (tmp_path / "seed.yaml").write_text(ENERGY)
    return tmp_path


def test_after_a_local_wake_the_report_shows_the_cycle_budget_and_each_epics_tickets(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _wake(checkout)
    capsys.readouterr()
    assert main(["growth", "--local", str(checkout)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Growth of demo: 0/3 tasks done"
    assert lines[2].startswith("Cycle since ")
    assert lines[2].endswith("Z)")
    assert "(12 h, until " in lines[2]
    assert lines[3:8] == [
        "  tickets opened  2",
        "  PRs merged      0",
        "  lines changed   0 of 400 (seed.yaml energy.max_lines_changed)",
        "  LLM spend       $0.00 of $1.50 (seed.yaml energy.max_cost_usd)",
        "  tickets open    2 of 2",
    ]
    assert lines[9:] == [
        "Epic parser: Parser (priority 1, 0/2 done)",
        "  open     tokenizer: Tokenizer, ticket #1",
        "  waiting  parse: Parse, waits for tokenizer",
        "",
        "Epic export: Export (priority 2, 0/1 done)",
        "  open     csv: CSV, ticket #2",
    ]


def test_a_closed_ticket_is_done_and_the_task_that_waited_for_it_gets_its_ticket(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _wake(checkout)
    _close(checkout, 1)
    _wake(checkout)
    capsys.readouterr()
    assert main(["growth", "--local", str(checkout)]) == 0
    out = capsys.readouterr().out
    assert "Growth of demo: 1/3 tasks done\n" in out
    assert "  tickets opened  3\n" in out
    assert "  closed   tokenizer: Tokenizer, ticket #1\n" in out
    assert "  open     parse: Parse, ticket #3\n" in out


def test_the_json_report_is_the_shipped_growth_schema(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _wake(checkout)
    capsys.readouterr()
    assert main(["growth", "--local", str(checkout), "--json"]) == 0
    report = GrowthOverview.model_validate_json(capsys.readouterr().out)
    assert report.cycle is not None
    assert (report.cycle.tickets_in_flight, report.cycle.max_cost_usd) == (2, 1.5)
    assert [t.status for e in report.epics for t in e.tasks] == ["open", "waiting", "open"]


def test_a_seed_added_after_the_last_wake_has_no_growth_cycle_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README.md").write_text("# demo\n")
    _wake(tmp_path)
    (tmp_path / "seed.yaml").write_text(SEED)
    capsys.readouterr()
    assert main(["growth", "--local", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "No growth cycle yet: the next wake with this seed.yaml starts one" in out
    assert "  ready    tokenizer: Tokenizer\n" in out
    assert "  ready    csv: CSV\n" in out


def test_without_a_seed_the_error_names_the_file_and_how_to_write_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _wake(tmp_path)
    capsys.readouterr()
    assert main(["growth", "--local", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'seed.yaml'}: no seed" in err
    assert f"`prime init {tmp_path} --seed`" in err


def test_without_a_wake_the_error_names_the_state_file_and_the_wake_to_run(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["growth", "--local", str(checkout)]) == 2
    err = capsys.readouterr().err
    assert f"{checkout / '.prime' / 'state.json'}: no Prime state here" in err
    assert f"run `prime wake --local {checkout}` first" in err


def test_a_broken_seed_is_an_error_naming_its_line(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _wake(checkout)
    (checkout / "seed.yaml").write_text(SEED.replace("priority: 1", "priority: 9"))
    capsys.readouterr()
    assert main(["growth", "--local", str(checkout)]) == 2
    err = capsys.readouterr().err
    assert f"{checkout / 'seed.yaml'}:13: key 'growth_objectives.epics.0.priority'" in err


def test_without_a_checkout_or_token_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert main(["growth"]) == 2
    assert "GITHUB_TOKEN" in capsys.readouterr().err


def test_the_text_names_a_merged_prs_rounds_the_hold_and_adopted_tickets_apart() -> None:
    now = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
    report = GrowthReport(
        cycles=(
            GrowthCycle(
                started=now - timedelta(hours=30), tickets_opened=1, reverted=("growth.x.y",),
                merged=(MergedPull(pull=9, signal=TOKENIZER, at=now, rounds=1, lines=12),),
                held="energy: 12 of 10 lines changed this cycle (energy.max_lines_changed)",
            ),
        ),
        tickets=(
            GrowthTicket(signal=TOKENIZER, issue=4, state="closed"),
            GrowthTicket(signal="growth.manual.7", issue=7, state="open", pull=12),
        ),
    )  # fmt: skip
    text = render_text(overview(parse_seed(ENERGY), PrimeState(growth=report), now))
    assert ", over: the next wake starts a new one)\n" in text
    assert "  PRs merged      1 (1 reverted since)\n" in text
    assert "  held: energy: 12 of 10 lines changed this cycle (energy.max_lines_changed)\n" in text
    assert (
        "  merged   tokenizer: Tokenizer, ticket #4, PR #9 merged after 1 review round, 12 lines\n"
        in text
    )
    assert text.endswith("\nAdopted tickets\n  review   growth.manual.7, ticket #7, PR #12 open\n")
