"""The PR poll's pure core: which Prime PRs a wake judges, merges or waits on, and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from prime_action.config.models import RepoConfig
from prime_action.domain.models import PrimeState, PullWait
from prime_action.repo.pr_poll import (
    Guard,
    HeadChecks,
    PolledPull,
    PullNews,
    automerge_move,
    opted_in,
    owners_by_path,
    plan_poll,
    with_poll,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GREEN = HeadChecks(total=2, passed=("build", "test"))
RUNNING = HeadChecks(total=2, running=1)
RED = HeadChecks(total=2, failed=("test",))


def pull(**fields: object) -> PolledPull:
    """A fileops PR for editorconfig opened an hour ago, its checks green."""
    values: dict[str, object] = {
        "number": 7, "head": "a" * 40, "base": "main", "title": "Add .editorconfig",
        "signals": ("editorconfig",), "runner": "fileops", "created_at": NOW - timedelta(hours=1),
        "checks": GREEN,
    }  # fmt: skip
    return PolledPull.model_validate(values | fields)


def plan(*pulls: PolledPull, judged: dict[str, str] | None = None, native: bool = False,
         automerge: tuple[str, ...] = ("fileops",)):  # type: ignore[no-untyped-def]  # fmt: skip
    return plan_poll(pulls, judged=judged or {}, automerge=automerge, native=native, now=NOW)


@pytest.mark.parametrize(
    ("fields", "automerge", "expected"),
    [
        ({}, ("fileops",), True),
        ({}, ("editorconfig",), True),
        ({"signals": ("editorconfig", "license")}, ("editorconfig",), False),
        ({}, (), False),
        ({"runner": "agent", "signals": ("ci",)}, ("ci",), False),
        ({"runner": "agent", "signals": ("ci",)}, ("agent",), True),
        ({"growth": True, "runner": "agent"}, ("agent",), False),
    ],
    ids=["runner", "signal", "not-every-signal", "off", "agent-by-signal", "agent-listed",
         "growth-has-its-gate"],
)  # fmt: skip
def test_automerge_covers_a_pr_by_its_runner_or_every_signal_and_agent_only_when_listed(
    fields: dict[str, object], automerge: tuple[str, ...], expected: bool
) -> None:
    assert opted_in(pull(**fields), automerge) is expected


def test_a_growth_pr_is_judged_once_per_head_when_its_checks_finished() -> None:
    growth = pull(growth=True, runner="agent", signals=("growth.a.b",))
    (step,) = plan(growth).steps
    assert (step.kind, step.number) == ("gate", 7)
    assert plan(growth, judged={"7": "a" * 40}).steps == ()
    assert plan(growth, judged={"7": "b" * 40}).steps == (step,)


def test_a_growth_pr_with_running_checks_waits_and_brings_the_next_wake_soon() -> None:
    found = plan(pull(growth=True, runner="agent", checks=RUNNING))
    assert found.steps == ()
    assert found.pending
    assert found.waits == (PullWait(number=7, kind="waiting", why="1 of 2 checks still running"),)


def test_an_opted_in_pr_is_merged_on_green_and_waits_while_checks_run() -> None:
    assert [s.kind for s in plan(pull()).steps] == ["automerge"]
    waiting = plan(pull(checks=RUNNING))
    assert waiting.steps == ()
    assert waiting.pending
    # With GitHub's auto-merge allowed it is enabled at once; on already: its guard is
    # checked again for a new head only.
    assert [s.kind for s in plan(pull(checks=RUNNING), native=True).steps] == ["automerge"]
    on = pull(checks=RUNNING, auto_merge=True)
    assert plan(on, native=True, judged={"7": "a" * 40}).steps == ()
    assert [s.kind for s in plan(on, native=True, judged={"7": "b" * 40}).steps] == ["automerge"]


def test_failed_checks_are_said_and_never_merged() -> None:
    found = plan(pull(checks=RED))
    assert found.steps == ()
    assert found.waits == (PullWait(number=7, kind="refused", why="checks failed: test"),)
    assert not found.pending


def test_a_pr_without_any_check_is_named_after_the_grace_period_only() -> None:
    young = pull(checks=HeadChecks(), created_at=NOW - timedelta(minutes=5))
    assert plan(young).waits[0].kind == "waiting"
    assert plan(young).pending
    old = pull(checks=HeadChecks(), created_at=NOW - timedelta(hours=2))
    found = plan(old, automerge=())
    assert [w.kind for w in found.waits] == ["no-checks"]
    assert found.steps == ()
    assert not found.pending


def test_no_prime_pr_plans_nothing() -> None:
    assert plan() == plan_poll((), judged={}, automerge=(), native=False, now=NOW)
    assert plan().steps == plan().waits == ()


@pytest.mark.parametrize(
    ("guard", "checks", "native", "kind", "why"),
    [
        (Guard(paths=(".editorconfig",)), GREEN, False, "merge", "every check passed"),
        (Guard(paths=(".editorconfig",)), RUNNING, True, "enable", "auto-merge"),
        (Guard(paths=(".editorconfig",)), RUNNING, False, "wait", "still running"),
        (Guard(paths=(".editorconfig",)), GREEN, True, "merge", "every check passed"),
        (Guard(paths=(".editorconfig",), required=("test",)), GREEN, False, "merge", "passed"),
        (Guard(paths=(".editorconfig",), required=("lint",)), GREEN, False, "wait", "lint"),
        (Guard(paths=(".github/workflows/ci.yml",)), GREEN, False, "refuse", "workflows"),
        (Guard(paths=(".editorconfig",), foreign_commits=1), GREEN, True, "refuse", "1 commit"),
        (Guard(paths=("a.md",), owners={"a.md": ("alice",)}), GREEN, False, "refuse", "@alice"),
        (Guard(paths=("a.md",), owners={"a.md": ("alice",)}, approvals=("Alice",)), GREEN,
         False, "merge", "every check passed"),
        (Guard(paths=("a.md",), owners={"a.md": ("acme/docs",)}, approvals=("bob",)), GREEN,
         False, "merge", "every check passed"),
        (Guard(paths=("a.md", "b.md"), owners={"a.md": ("alice",), "b.md": ("carol",)},
               approvals=("alice",)), GREEN, False, "refuse", "@carol"),
    ],
    ids=["green", "native", "running", "native-but-green", "required-passed", "required-missing",
         "workflows", "foreign-commit", "owner-missing", "owner-approved", "team-any-approval",
         "every-path-needs-its-owner"],
)  # fmt: skip
def test_automerge_merges_only_what_its_guard_allows(
    guard: Guard, checks: HeadChecks, native: bool, kind: str, why: str
) -> None:
    move = automerge_move(pull(checks=checks), guard, native=native)
    assert move.kind == kind
    assert why in move.why


def test_a_new_head_under_github_s_auto_merge_is_guarded_again() -> None:
    on = pull(checks=RUNNING, auto_merge=True)
    assert automerge_move(on, Guard(paths=(".editorconfig",)), native=True).kind == "wait"
    bad = Guard(paths=(".github/workflows/x.yml",))
    assert automerge_move(on, bad, native=True).kind == "refuse"


def test_owners_by_path_follow_the_last_matching_codeowners_line() -> None:
    text = "* @alice\ndocs/ @acme/docs\ndocs/free.md\n"
    paths = ("src/a.py", "docs/b.md", "docs/free.md")
    assert owners_by_path(text, paths) == {"src/a.py": ("alice",), "docs/b.md": ("acme/docs",)}
    assert owners_by_path(None, paths) == {}


def test_the_poll_news_end_merged_jobs_keep_open_heads_and_bring_the_wake_soon() -> None:
    config = RepoConfig()
    state = PrimeState(
        next_wake_at=NOW + timedelta(hours=6),
        cooldown_until={"editorconfig": NOW + timedelta(days=3)},
        judged_heads={"3": "c" * 40},
    )
    news = PullNews(pending=True, judged={"3": "c" * 40, "7": "a" * 40}, open=(7,),
                    merged=("editorconfig",))  # fmt: skip
    after = with_poll(state, news, config, NOW)
    assert after.next_wake_at == NOW + timedelta(hours=config.wake.pending_hours)
    assert after.judged_heads == {"7": "a" * 40}
    assert after.cooldown_until == {}
    assert with_poll(state, None, config, NOW) == state
    calm = with_poll(state, PullNews(), config, NOW)
    assert calm.next_wake_at == state.next_wake_at
