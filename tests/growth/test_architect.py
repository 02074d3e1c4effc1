"""The architect: which tickets come next, never past the limit, each written once."""

from __future__ import annotations

import pytest

from prime_action.domain.markers import find_data, find_signal
from prime_action.domain.ports import TrackedIssue
from prime_action.growth.architect import next_tickets, progress, verdict
from prime_action.growth.seed import parse_seed
from tests.growth.seeds import VALID

SEED = parse_seed(VALID)  # parser (priority 1): tokenizer, parse after tokenizer; export: csv


def issue(number: int, key: str, state: str = "open", task: bool = True) -> TrackedIssue:
    labels = ("automated", "ai-task") if task else ("automated",)
    return TrackedIssue(
        number=number,
        signal=key,
        title=key,
        state="open" if state == "open" else "closed",
        labels=labels,
    )


TOKENIZER = "growth.parser.tokenizer"
PARSE = "growth.parser.parse"
CSV = "growth.export.csv"


def keys(issues: tuple[TrackedIssue, ...], limit: int = 2) -> list[str]:
    seed = SEED.model_copy(
        update={
            "automation_contract": SEED.automation_contract.model_copy(
                update={"max_open_tasks": limit}
            )
        }
    )
    return [t.key for t in next_tickets(seed, issues, "automated")]


@pytest.mark.parametrize(
    ("issues", "limit", "expected"),
    [
        ((), 2, [TOKENIZER, CSV]),
        ((), 1, [TOKENIZER]),
        ((), 5, [TOKENIZER, CSV]),
        ((issue(1, TOKENIZER),), 2, [CSV]),
        ((issue(1, TOKENIZER), issue(2, CSV)), 2, []),
        ((issue(1, TOKENIZER, "closed"),), 1, [PARSE]),
        ((issue(1, TOKENIZER, "closed"), issue(2, CSV)), 2, [PARSE]),
        ((issue(1, TOKENIZER, "closed"), issue(2, PARSE, "closed"), issue(3, CSV)), 2, []),
        ((issue(9, "ci", task=False), issue(8, "growth.other.x")), 2, [TOKENIZER]),
    ],
    ids=[
        "fresh-seed-fills-the-limit",
        "limit-one",
        "fewer-ready-than-room",
        "open-ticket-is-not-rewritten",
        "at-the-limit",
        "dependency-done-unblocks-the-next",
        "next-ticket-follows-a-close",
        "all-ticketed",
        "other-open-ai-task-issues-count-too",
    ],
)
def test_next_tickets_follow_priority_and_dependencies_within_the_limit(
    issues: tuple[TrackedIssue, ...], limit: int, expected: list[str]
) -> None:
    assert keys(issues, limit) == expected


def test_a_closed_ticket_is_never_written_again() -> None:
    everything = (issue(1, TOKENIZER, "closed"), issue(2, PARSE, "closed"), issue(3, CSV, "closed"))
    assert keys(everything) == []
    assert verdict(SEED, everything)[0] == "ok"


def test_the_ticket_carries_marker_label_title_scope_acceptance_and_epic_link() -> None:
    (first, _) = next_tickets(SEED, (), "automated")
    assert find_signal(first.body) == TOKENIZER
    assert find_data(first.body) == {"signal": TOKENIZER, "epic": "parser", "task": "tokenizer"}
    assert first.labels == ("automated", "ai-task")
    assert first.title == "A streaming parser: Tokenizer"
    assert "**Epic:** #7 A streaming parser" in first.body
    assert "- `src/app/core/tokens.py`" in first.body
    assert "- [ ] Every token kind has a test" in first.body
    assert "Write only under: `src/**`, `tests/**`" in first.body


def test_a_dependent_ticket_names_what_it_builds_on() -> None:
    (ticket,) = next_tickets(SEED, (issue(1, TOKENIZER, "closed"), issue(2, CSV)), "automated")
    assert "Builds on the closed tickets of: `parser.tokenizer`." in ticket.body
    assert "**Epic:** #7" in ticket.body


@pytest.mark.parametrize(
    ("issues", "status", "detail"),
    [
        ((), "failing", "2 ticket(s) to write for epic parser (0/3 tasks done, 0/2 tickets open)"),
        ((issue(1, TOKENIZER), issue(2, CSV)), "ok", "waiting for open tickets to close"),
        ((issue(1, TOKENIZER), issue(2, "x", task=True)), "ok", "at the ticket limit"),
        (
            (issue(1, TOKENIZER, "closed"), issue(2, PARSE, "closed"), issue(3, CSV, "closed")),
            "ok",
            "every epic in seed.yaml is done (3/3 tasks done",
        ),
    ],
    ids=["room-and-ready", "all-ready-ticketed", "limit-reached", "roadmap-done"],
)
def test_the_verdict_fails_only_while_a_task_is_ready_and_there_is_room(
    issues: tuple[TrackedIssue, ...], status: str, detail: str
) -> None:
    got_status, got_detail, _ = verdict(SEED, issues)
    assert got_status == status
    assert detail in got_detail


def test_progress_counts_done_tasks_and_unfinished_epics() -> None:
    p = progress(SEED, (issue(1, TOKENIZER, "closed"), issue(2, CSV, "closed")))
    assert (p.done, p.tasks, p.open_tickets) == (2, 3, 0)
    assert p.unfinished_epics == ("parser",)
    assert p.ready == (("parser", "parse"),)
