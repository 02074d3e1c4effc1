"""The merge gate's verdicts, the maintainer's moves and the implementer's signals, as tables."""

from __future__ import annotations

import pytest

from prime_action.config.models import GuardrailSettings
from prime_action.domain.ports import TrackedIssue
from prime_action.growth.implement import NOTHING, contract_rails, task_signals
from prime_action.growth.maintainer import decide
from prime_action.growth.merge_gate import Evidence, Verdict, coverage_percent, judge
from prime_action.growth.review import FileChange
from prime_action.growth.seed import AutomationContract, MergePolicy, parse_seed
from tests.growth.seeds import VALID

SEED = parse_seed(VALID)
GOOD = FileChange(path="src/app/core/tokens.py", content="x = 1\n")


def evidence(**changes: object) -> Evidence:
    return Evidence.model_validate({"changes": (GOOD,), "checks": {"CI": "success"}, **changes})


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ({}, "pass"),
        ({"checks": {"CI": None}}, "pending"),
        ({"checks": {}}, "pending"),
        ({"checks": {"CI": "failure"}}, "rework"),
        ({"checks": {"CI": "failure"}, "rounds": 1}, "rework"),
        ({"checks": {"CI": "failure"}, "rounds": 2}, "needs-human"),
        ({"coverage_head": 79.0}, "rework"),
        ({"coverage_head": 85.0, "coverage_base": 90.0}, "rework"),
        ({"coverage_head": 90.0, "coverage_base": 85.0}, "pass"),
    ],
)
def test_the_gate_passes_waits_sends_back_or_gives_up_on_the_third_failure(
    given: dict[str, object], status: str
) -> None:
    assert judge(SEED, evidence(**given)).status == status


def test_a_broken_constraint_is_a_finding_with_its_path_and_line() -> None:
    long = "def f():\n" + "    x = 1\n" * 30
    change = FileChange.model_validate(
        {"path": "src/app/core/f.py", "content": long,
         "added": [{"number": n, "text": t} for n, t in enumerate(long.splitlines(), 1)]}
    )  # fmt: skip
    verdict = judge(SEED, evidence(changes=(change,)))
    assert verdict.status == "rework"
    assert verdict.round == 1
    assert verdict.findings[0].startswith("src/app/core/f.py:1: function f is 31 lines")


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ('<coverage line-rate="0.8312" branch-rate="0"></coverage>', 83.12),
        ('{"totals": {"percent_covered": 91.5}}', 91.5),
        ("77.5%\n", 77.5),
        ("not a report", None),
        (None, None),
    ],
)
def test_coverage_is_read_from_cobertura_coverage_json_or_a_bare_percentage(
    text: str | None, percent: float | None
) -> None:
    assert coverage_percent(text) == percent


@pytest.mark.parametrize(
    ("mode", "status", "requested", "kind", "reviewers"),
    [
        ("auto", "pass", (), "merge", ()),
        ("auto", "rework", (), "wait", ()),
        ("auto", "pending", (), "wait", ()),
        ("human", "pass", (), "ask", ("alice", "bob")),
        ("human", "pass", ("Alice",), "ask", ("bob",)),
        ("human", "pass", ("alice", "bob"), "wait", ()),
    ],
)
def test_the_maintainer_merges_only_green_auto_prs_and_asks_each_reviewer_once(
    mode: str, status: str, requested: tuple[str, ...], kind: str, reviewers: tuple[str, ...]
) -> None:
    policy = MergePolicy.model_validate({"mode": mode, "reviewers": ["alice", "bob"]})
    move = decide(Verdict.model_validate({"status": status}), policy, requested)
    assert (move.kind, move.reviewers) == (kind, reviewers)


def ticket(number: int, signal: str, *labels: str, state: str = "open") -> TrackedIssue:
    return TrackedIssue.model_validate(
        {"number": number, "signal": signal, "title": "t", "state": state, "labels": labels}
    )


def test_open_tickets_become_agent_signals_and_a_needs_human_or_closed_one_does_not() -> None:
    issues = (
        ticket(3, "growth.parser.tokenizer", "automated", "ai-task"),
        ticket(4, "growth.export.csv", "ai-task", "needs-human"),
        ticket(5, "growth.parser.parse", "ai-task", state="closed"),
        ticket(6, "growth.gone.task", "ai-task"),
        ticket(7, "ci", "automated"),
    )
    signals = task_signals(SEED, issues, "needs-human")
    assert [s.name for s in signals] == ["growth.parser.tokenizer"]
    fix = signals[0].fix
    assert fix is not None
    assert fix.runner == "agent"
    assert fix.approach.startswith("Ticket #3: Tokenizer")
    assert "Write only under src/**, tests/**" in fix.approach


@pytest.mark.parametrize(
    ("config", "contract", "write", "forbidden"),
    [
        ({}, {"write_paths": ["src/**"]}, ("src/**",), (".github/workflows/**", "seed.yaml")),
        ({"write_paths": ["docs/**"], "forbidden_paths": ["x"]}, {"write_paths": ["src/**"]},
         ("src/**",), ("x", ".github/workflows/**", "seed.yaml")),
        ({}, {}, (NOTHING,), (".github/workflows/**", "seed.yaml")),
    ],
)  # fmt: skip
def test_the_seed_contract_sets_the_runners_write_paths_and_adds_its_disallowed_writes(
    config: dict[str, object], contract: dict[str, object], write: tuple[str, ...],
    forbidden: tuple[str, ...],
) -> None:  # fmt: skip
    rails = contract_rails(
        GuardrailSettings.model_validate(config), AutomationContract.model_validate(contract)
    )
    assert (rails.write_paths, rails.forbidden_paths) == (write, forbidden)
