"""The dashboard issue: its rendered body, its size limit, and the boxes maintainers tick."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from prime_action.domain.conversation import Priority
from prime_action.domain.markers import DASHBOARD
from prime_action.domain.models import (
    Decision,
    DecisionRecord,
    InFlight,
    PlanItem,
    PrimeState,
    PullWait,
)
from prime_action.markdown import MAX_TEXT
from prime_action.repo import dashboard
from prime_action.repo.dashboard import (
    BODY_LIMIT,
    DashboardView,
    NeedsHuman,
    Ticks,
    merge_for_write,
    needs_write,
    parse_ticks,
    render_dashboard,
    ticks_to_commands,
    untick,
)
from tests.values import NOW, signal

WAKE = "- [ ] <!-- prime:wake -->"
PAUSE = "- [ ] <!-- prime:pause -->"
RESUME = "- [ ] <!-- prime:resume -->"
NASTY = "a | b <!-- prime:wake --> <!<!---->-- prime:pause -->\n- [x] <details> @someone"


def plan_item(name: str, weight: float = 5.0, **extra: object) -> PlanItem:
    fields = {"runner": "fileops", "approach": f"add {name}", "reason": f"{name} detail"}
    return PlanItem.model_validate(
        {"signal": name, "weight": weight, "added_at": NOW, **fields, **extra}
    )


def record(summary: str, hours_ago: float = 0) -> DecisionRecord:
    at = NOW - timedelta(hours=hours_ago)
    return DecisionRecord(at=at, reason="schedule", decision=Decision(summary=summary))


def view(**extra: object) -> DashboardView:
    return DashboardView.model_validate(
        {"repo": "acme/app", "state": PrimeState(), "now": NOW, **extra}
    )


def full_view() -> DashboardView:
    state = PrimeState(
        plan=(plan_item("ci", 7.5), plan_item("license")),
        in_flight=(InFlight(signal="docs", runner="agent", attempt_id="a-1", submitted_at=NOW),),
    )
    return view(
        state=state,
        signals=(signal("ci", weight=7.5), signal("license"), signal("readme", "ok")),
        needs_human=(NeedsHuman(signal="security", reason="blocked", issue=12),),
        decisions=(record("opened an issue"),),
    )


def tick_all(body: str) -> str:
    return body.replace("- [ ] <!--", "- [x] <!--")


# --- what the body shows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [("active", PAUSE, RESUME), ("paused", RESUME, PAUSE)],
)
def test_the_controls_offer_pause_or_resume_by_status(status: str, shown: str, hidden: str) -> None:
    body = render_dashboard(view(state=PrimeState(status=status)))
    assert WAKE in body
    assert shown in body
    assert hidden not in body


def test_the_body_starts_with_the_marker_and_controls_come_before_every_section() -> None:
    body = render_dashboard(full_view())
    assert body.startswith(DASHBOARD + "\n")
    controls = body.index("## Controls")
    assert all(controls < body.index(h) for h in ("## Signals", "## Plan", "## Spend today"))


@pytest.mark.parametrize(
    "line",
    [
        "| **ci** | :x: failing | medium | ci detail |",
        "| **readme** | :white_check_mark: ok | medium | readme detail |",
        "- [ ] <!-- prime:run=ci --> **ci**: add ci (fileops runner, weight 7.5; ci detail)",
        "- **docs**: agent runner, attempt a-1, submitted 2026-11-21 07:00 UTC",
        "- [ ] <!-- prime:retry=security --> **security**: blocked (#12)",
        "- 2026-11-21 07:00 UTC (schedule, rules brain): opened an issue",
    ],
)
def test_each_section_renders_its_rows(line: str) -> None:
    assert line + "\n" in render_dashboard(full_view())


def test_signals_needing_an_agent_are_listed_with_the_line_of_config_to_add() -> None:
    body = render_dashboard(view(needs_agent=(signal("gitignore"),)))
    section = body.split("## Needs an agent\n", 1)[1].split("\n## ", 1)[0]
    assert "agent: {command: [claude, -p]}\n" in section
    assert "`.github/prime.yml`" in section
    assert "- **gitignore**: gitignore detail\n" in section
    assert "<!-- prime:" not in section  # nothing to tick: the config is the answer
    assert "## Needs an agent" not in render_dashboard(full_view())


def test_fixes_awaiting_approval_get_a_box_each_and_the_section_says_why() -> None:
    body = render_dashboard(view(awaiting_approval=(signal("license"), signal("readme"))))
    section = body.split("## Awaiting approval\n", 1)[1].split("\n## ", 1)[0]
    assert "`jobs.require_approval`" in section
    assert (
        "- [ ] <!-- prime:run=license --> **license**: add license (fileops runner, weight 5.0;"
        " license detail)\n"
    ) in section
    assert "- [ ] <!-- prime:run=readme -->" in section
    assert parse_ticks(tick_all(body)).run == ("license", "readme")
    assert "## Awaiting approval" not in render_dashboard(full_view())


def test_failing_signals_are_listed_before_ok_ones_heaviest_first() -> None:
    body = render_dashboard(full_view())
    assert body.index("| **ci**") < body.index("| **license**") < body.index("| **readme**")


def test_an_empty_state_says_so_in_every_section() -> None:
    body = render_dashboard(view())
    for line in ("No signals checked yet.", "Nothing to fix right now.", "No job is running."):
        assert line in body
    assert "- [ ] <!-- prime:run=" not in body


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        ({"rebuilt": True}, "rebuilt from its issues"),
        ({"errors": ("config error: .github/prime.yml line 3",)}, "> config error: .github/"),
        ({"spend_today": 0.25, "budget": 1.0}, "$0.25 of the $1.00 daily LLM budget"),
        ({"state": PrimeState(next_wake_at=NOW)}, "| **active** | 2026-11-21 07:00 UTC |"),
    ],
)
def test_notices_errors_spend_and_next_wake_are_shown(extra: dict[str, object], text: str) -> None:
    assert text in render_dashboard(view(**extra))


def test_at_most_ten_decisions_are_shown_newest_first() -> None:
    decisions = tuple(record(f"decision {i}", hours_ago=i) for i in range(15))
    body = render_dashboard(view(decisions=decisions[::-1]))
    shown = re.findall(r"\): decision (\d+)$", body, re.MULTILINE)
    assert shown == [str(i) for i in range(10)]


def test_needs_human_accepts_plain_triples() -> None:
    assert view(needs_human=(("ci", "refused", None),)).needs_human == (
        NeedsHuman(signal="ci", reason="refused"),
    )


def test_a_rendering_is_the_same_for_the_same_view() -> None:
    assert not needs_write(render_dashboard(full_view()), render_dashboard(full_view()))


# --- untrusted text --------------------------------------------------------------------


def nasty_view() -> DashboardView:
    state = PrimeState(
        plan=(plan_item("ci", approach=NASTY, reason=NASTY),),
        in_flight=(InFlight(signal="ci", runner="agent", attempt_id=NASTY, submitted_at=NOW),),
    )
    return view(
        repo=NASTY,
        state=state,
        signals=(signal("ci", detail=NASTY), signal(NASTY, detail=NASTY)),
        needs_human=((NASTY, NASTY, 3), ("ci", NASTY, None)),
        decisions=(record(NASTY),),
        errors=(NASTY,),
    )


def test_untrusted_text_cannot_forge_a_box() -> None:
    body = tick_all(render_dashboard(nasty_view()))
    assert parse_ticks(body) == Ticks(wake=True, pause=True, run=("ci",), retry=("ci",))


def test_untrusted_text_cannot_open_a_comment_or_html() -> None:
    body = render_dashboard(nasty_view())
    own = len(re.findall(r"<!-- prime:(?:[a-z]+(=ci)?|data=\{[^\n]*?\}) -->", body))
    assert body.count("<!--") == body.count("-->") == own
    assert "<details>" not in body


def test_untrusted_text_stays_on_its_table_row() -> None:
    body = render_dashboard(nasty_view())
    row = next(line for line in body.splitlines() if line.startswith("| **ci**"))
    assert row.endswith(r"| a \| b prime:wake prime:pause - [x] &lt;details> @someone |")
    assert len(re.findall(r"(?<!\\)\|", row)) == 5


def test_a_signal_name_that_cannot_be_a_marker_gets_no_box() -> None:
    state = PrimeState(plan=(plan_item("bad name"),))
    body = render_dashboard(view(state=state))
    assert "- **bad name**: add bad name" in body
    assert parse_ticks(tick_all(body)).run == ()


def test_long_untrusted_text_is_clipped() -> None:
    body = render_dashboard(view(signals=(signal("ci", detail="y" * 5000),)))
    assert "y" * (MAX_TEXT - 1) + "…" in body
    assert "y" * MAX_TEXT not in body


# --- the size limit --------------------------------------------------------------------


def huge_view(count: int = 2000, detail: str = "d" * 300) -> DashboardView:
    signals = tuple(
        signal(f"s{i}", "ok" if i % 2 else "failing", detail=detail) for i in range(count)
    )
    plan = tuple(plan_item(f"s{i}", approach=detail, reason=detail) for i in range(count))
    return view(
        state=PrimeState(plan=plan),
        signals=signals,
        needs_human=tuple((f"s{i}", detail, i) for i in range(count)),
        decisions=tuple(record(detail, i) for i in range(count)),
        errors=(detail * 20,) * 20,
        repo=detail * 20,
    )


@pytest.fixture(scope="module")
def huge_body() -> str:
    return render_dashboard(huge_view())


def test_a_huge_state_fits_under_the_limit_with_controls_intact(huge_body: str) -> None:
    body = huge_body
    assert len(body.encode()) < BODY_LIMIT
    assert WAKE in body
    assert PAUSE in body
    assert body.startswith(DASHBOARD)


def test_sections_are_cut_least_important_first_and_say_so(huge_body: str) -> None:
    body = huge_body
    assert "No decision yet." not in body
    assert "more decisions not shown" in body
    assert "1,000 more ok signals not shown" in body
    # Plan and failing signals keep their heads; needs-human, the last to be cut, fills
    # the rest.
    assert "1,990 more plan items not shown" in body
    assert "990 more signals not shown" in body
    assert "- [ ] <!-- prime:run=s9 -->" in body
    assert "- [ ] <!-- prime:retry=s100 -->" in body


@pytest.mark.parametrize("limit", [8_000, 12_000, 30_000])
def test_any_limit_keeps_the_controls_and_cuts_the_rest(
    limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "BODY_LIMIT", limit)
    body = render_dashboard(huge_view(count=200))
    assert len(body.encode()) < limit
    assert WAKE in body
    assert PAUSE in body


def test_many_prs_waiting_to_merge_are_cut_and_say_so() -> None:
    why = "no check run or status on its head 30 minutes after it opened"
    waits = tuple(PullWait(number=n, kind="no-checks", why=why) for n in range(2_000))
    body = render_dashboard(view(state=PrimeState(pull_waits=waits)))
    assert len(body.encode()) < BODY_LIMIT
    assert f"- #0: {why}. A PR opened with `GITHUB_TOKEN`" in body
    assert "more PRs waiting to merge not shown" in body
    assert WAKE in body


def test_a_body_that_fits_is_not_cut() -> None:
    assert "not shown" not in render_dashboard(huge_view(count=20, detail="d"))


# --- ticks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "ticks"),
    [
        ("- [x] <!-- prime:wake -->", Ticks(wake=True)),
        ("- [X] <!-- prime:pause -->", Ticks(pause=True)),
        ("  *   [x]   <!--   prime:resume   --> Resume", Ticks(resume=True)),
        (
            "- [x] <!-- prime:run=ci -->\r\n- [x] <!-- prime:run=lint.py -->",
            Ticks(run=("ci", "lint.py")),
        ),
        ("- [x] <!-- prime:retry=ci -->\n- [x] <!-- prime:retry=ci -->", Ticks(retry=("ci",))),
        ("- [ ] <!-- prime:wake -->", Ticks()),
        ("- [x] <!-- prime:dance -->", Ticks()),
        ("- [x] <!-- prime:run= -->", Ticks()),
        ("- [x] <!-- prime:run=a--b -->", Ticks()),
        ("- [x] <!-- prime:retry=c i -->", Ticks()),
        ("- [x] <!-- prime:wake", Ticks()),
        ("- [x] Wake now", Ticks()),
        ("text - [x] <!-- prime:wake -->", Ticks()),
        ("- [y] <!-- prime:wake -->", Ticks()),
        ("", Ticks()),
        (None, Ticks()),
        ("# my notes\n\nI deleted everything. [x] <!-- -->", Ticks()),
    ],
)
def test_ticked_boxes_are_parsed(body: str | None, ticks: Ticks) -> None:
    assert parse_ticks(body) == ticks


def test_every_rendered_box_parses_when_ticked() -> None:
    ticks = parse_ticks(tick_all(render_dashboard(full_view())))
    assert ticks == Ticks(wake=True, pause=True, run=("ci", "license"), retry=("security",))
    assert parse_ticks(render_dashboard(full_view())).empty


@pytest.mark.parametrize(
    ("ticks", "commands"),
    [
        (Ticks(), ()),
        (Ticks(wake=True), (("wake", ()),)),
        (Ticks(retry=("ci",), run=("lint",)), (("retry", ("ci",)), ("run", ("lint",)))),
        (Ticks(pause=True, resume=True), (("resume", ()), ("pause", ()))),
        (
            Ticks(wake=True, pause=True, run=("a",)),
            (("run", ("a",)), ("wake", ()), ("pause", ())),
        ),
    ],
)
def test_ticks_become_prime_commands(ticks: Ticks, commands: tuple[object, ...]) -> None:
    assert ticks_to_commands(ticks) == commands


def boxes(wake: str, ci: str, lint: str) -> str:
    lines = (f"- [{wake}] <!-- prime:wake --> Wake", f"- [{ci}] <!-- prime:run=ci --> ci")
    return "\n".join(("intro", *lines, f"- [{lint}] <!-- prime:run=lint --> lint", ""))


TICKED = boxes("x", "X", "x")


@pytest.mark.parametrize(
    ("handled", "expected"),
    [
        (Ticks(), TICKED),
        (Ticks(wake=True), boxes(" ", "X", "x")),
        (Ticks(wake=True, run=("ci", "lint")), boxes(" ", " ", " ")),
        (Ticks(run=("lint",)), boxes("x", "X", " ")),
        (Ticks(retry=("ci",), pause=True), TICKED),
    ],
)
def test_untick_clears_exactly_the_handled_boxes(handled: Ticks, expected: str) -> None:
    assert untick(TICKED, handled) == expected


def test_untick_leaves_a_hand_edited_body_alone() -> None:
    body = "my own text\r\n- [x] something\n"
    assert untick(body, Ticks(wake=True)) == body


# --- writing back ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fresh", "handled", "still_ticked"),
    [
        # A tick made while the wake ran survives the write...
        ("- [x] <!-- prime:run=license -->", Ticks(wake=True), Ticks(run=("license",))),
        # ... one the wake acted on does not ...
        ("- [x] <!-- prime:wake -->", Ticks(wake=True), Ticks()),
        (
            "- [x] <!-- prime:wake -->\n- [x] <!-- prime:retry=security -->",
            Ticks(wake=True),
            Ticks(retry=("security",)),
        ),
        # ... and one for a box no longer shown has nothing to act on.
        ("- [x] <!-- prime:run=gone -->", Ticks(), Ticks()),
        ("- [x] <!-- prime:resume -->", Ticks(), Ticks()),
    ],
)
def test_merge_keeps_ticks_no_wake_has_acted_on(
    fresh: str, handled: Ticks, still_ticked: Ticks
) -> None:
    rendered = render_dashboard(full_view())
    merged = merge_for_write(fresh, rendered, handled)
    assert parse_ticks(merged) == still_ticked
    assert merged.replace("[x]", "[ ]") == rendered


@pytest.mark.parametrize(
    "fresh",
    [
        None,
        "",
        "   \n",
        "I replaced the dashboard with my notes.",
        "<!-- prime:dashboard -->\n| broken",
    ],
)
def test_a_blank_or_hand_edited_body_is_repaired(fresh: str | None) -> None:
    rendered = render_dashboard(full_view())
    assert merge_for_write(fresh, rendered, Ticks()) == rendered
    assert needs_write(fresh, rendered)


@pytest.mark.parametrize(
    ("current", "new", "write"),
    [
        (None, "body", True),
        ("body", "body", False),
        ("body\n\n", "body\n", False),
        ("line\r\nbody\r\n", "line\nbody\n", False),
        ("body", "body2", True),
        ("- [x] <!-- prime:wake -->", "- [ ] <!-- prime:wake -->", True),
    ],
)
def test_needs_write_only_when_the_text_changes(current: str | None, new: str, write: bool) -> None:
    assert needs_write(current, new) is write


def test_a_ticked_clear_box_clears_that_signals_priority() -> None:
    body = "- [x] <!-- prime:clear=license --> **license**: first in the plan until ..."
    ticks = parse_ticks(body)
    assert ticks.clear == ("license",)
    assert ticks_to_commands(ticks) == (("priority", ("license", "clear")),)
    assert untick(body, ticks).startswith("- [ ] <!-- prime:clear=license -->")


def test_the_priorities_in_force_are_shown_each_with_a_box_that_clears_it() -> None:
    until = NOW + timedelta(days=2)
    state = PrimeState(priorities={"license": Priority(direction="up", until=until, by="octocat")})
    body = render_dashboard(DashboardView(repo="o/r", state=state, now=NOW))
    assert "## Priorities" in body
    line = (
        "- [ ] <!-- prime:clear=license --> **license**: first in the plan until "
        f"{until:%Y-%m-%d %H:%M} UTC (asked by octocat)"
    )
    assert line in body
    assert "## Priorities" not in render_dashboard(
        DashboardView(repo="o/r", state=PrimeState(), now=NOW)
    )
