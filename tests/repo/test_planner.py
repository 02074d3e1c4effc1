"""The wake as a pure plan: what a wake read and its decision in, ordered effects out (no fakes)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.brain.policy import enforce
from prime_action.brain.rules import RulesBrain
from prime_action.config.models import RepoConfig
from prime_action.domain.models import (
    Decision,
    FlagOrg,
    InFlight,
    PrimeState,
    SignalResult,
)
from prime_action.domain.ports import StoredState
from prime_action.growth.adopt import Candidate
from prime_action.growth.seed import parse_seed
from prime_action.growth.step import GrowthInputs
from prime_action.repo.effects import (
    Adopt,
    Close,
    ClosePull,
    Flag,
    OpenIssue,
    Outcome,
    Reply,
    SaveState,
    SetLabels,
    Submit,
    WriteDashboard,
    dry_run_lines,
    settle,
)
from prime_action.repo.hygiene import PrimePull
from prime_action.repo.planner import WakePlan, jobs_to_name, plan_wake, replan
from prime_action.repo.seeing import WakeInputs, WakeRequest, picture
from tests.growth.seeds import VALID
from tests.values import NOW, issue, signal

ASK = FlagOrg(signal="ci", reason="the same lint failure is in every repository")
WAIT = Decision(summary="nothing to do")
LATER = NOW + timedelta(hours=3)
ORG_LINK = {"org_link": True}
BLOCKED_LICENSE = PrimeState(blocked={"license": "fp-license"})
FOLLOWED = RepoConfig.model_validate({"jobs": {"tracking_issues": "always"}})


def _inputs(
    signals: tuple[SignalResult, ...],
    state: PrimeState | None = None,
    request: WakeRequest | None = None,
    **extra: object,
) -> WakeInputs:
    values: dict[str, object] = {
        "stored": StoredState(state=state, version="v1" if state else None),
        "signals": signals,
        "issues": (),
        "request": request or WakeRequest(reason="manual"),
        "config": RepoConfig(),
        "now": NOW,
        "identity": "id",
        **extra,
    }
    return WakeInputs.model_validate(values)


def _plan(inputs: WakeInputs, decision: Decision | None = None) -> WakePlan:
    seen = picture(inputs)
    decided = enforce(decision or RulesBrain().decide(seen), seen)
    attempts = {name: f"attempt-{name}" for name, _ in jobs_to_name(decided, seen)}
    return plan_wake(inputs, decided, attempts)


def _job(name: str) -> InFlight:
    return InFlight(signal=name, runner="fileops", attempt_id=f"a-{name}",
                    fingerprint=f"fp-{name}", submitted_at=NOW)  # fmt: skip


GROWING = GrowthInputs(seed=parse_seed(VALID))
GROWTH_FAILING = signal("growth", fix=None)
PAUSED = PrimeState(status="paused")
TRACKED_LICENSE = (issue(3, "license", labels=("automated", "in-progress")),)
SKIP = WakeRequest(reason="command", commands=(("skip", ("license",)),), issue=3, comment=5001)


@pytest.mark.parametrize(
    ("inputs", "decision", "kinds"),
    [
        pytest.param(
            _inputs((signal("license"), signal("codeowners"), signal("ci", "ok"))),
            None,
            ["submit", "submit", "save-state"],
            id="first wake with two failing signals submits two jobs and opens no issue",
        ),
        pytest.param(
            _inputs((signal("license"), signal("codeowners")), config=FOLLOWED),
            None,
            ["open-issue", "submit", "set-labels"] * 2 + ["save-state"],
            id="with tracking_issues always it opens an issue per job and labels it, no comment",
        ),
        pytest.param(
            _inputs((signal("license", severity="high"),), BLOCKED_LICENSE),
            None,
            ["open-issue", "set-labels", "save-state"],
            id="a blocked high signal with no issue gets one, labelled needs-human",
        ),
        pytest.param(
            _inputs(
                (signal("license", "ok"),),
                PrimeState(in_flight=(_job("license"),)),
                issues=TRACKED_LICENSE,
            ),
            None,
            # The closed issue's in-progress label is taken off a second time, as before.
            ["set-labels", "close", "set-labels", "save-state"],
            id="a recovered signal's issue loses in-progress and is closed",
        ),
        pytest.param(
            _inputs(
                (signal("license"),),
                PrimeState(in_flight=(_job("license"),)),
                request=SKIP,
                issues=TRACKED_LICENSE,
            ),
            WAIT,
            ["save-state", "reply"],
            id="a trusted skip updates the state and replies once",
        ),
        pytest.param(
            _inputs((signal("ci", "ok"),), PrimeState(), **ORG_LINK),
            Decision(summary="ask", actions=(ASK, ASK)),
            ["flag", "save-state"],
            id="flag-org twice sends one flag",
        ),
        pytest.param(
            _inputs((signal("ci", "ok"),), PrimeState()),
            Decision(summary="ask", actions=(ASK,)),
            ["save-state"],
            id="flag-org without an org link sends nothing",
        ),
        pytest.param(
            _inputs((GROWTH_FAILING,), PrimeState(), growth=GROWING),
            WAIT,
            ["open-issue", "open-issue", "save-state"],
            id="a failing growth signal with a seed opens its tickets",
        ),
        pytest.param(
            _inputs((GROWTH_FAILING,), PAUSED, growth=GROWING),
            WAIT,
            ["save-state"],
            id="a paused Prime opens no growth ticket",
        ),
        pytest.param(
            _inputs((GROWTH_FAILING,), PrimeState()),
            WAIT,
            ["save-state"],
            id="without a seed growth opens nothing",
        ),
    ],
)
def test_plan_effects_come_in_the_order_the_wake_writes_them(
    inputs: WakeInputs, decision: Decision | None, kinds: list[str]
) -> None:
    assert [e.kind for e in _plan(inputs, decision).effects] == kinds


def test_later_effects_name_an_issue_opened_now_by_its_signal_until_settled() -> None:
    plan = _plan(_inputs((signal("license"),), config=FOLLOWED))
    opened, submit, labels, save = plan.effects
    assert isinstance(opened, OpenIssue)
    assert isinstance(submit, Submit)
    assert submit.attempt == "attempt-license"
    assert isinstance(labels, SetLabels)
    assert (labels.issue, labels.signal, labels.add) == (None, "license", ("in-progress",))
    assert settle(labels, Outcome()) is None  # not opened (a dry run): no target
    settled = settle(labels, Outcome(opened={"license": 12}))
    assert isinstance(settled, SetLabels)
    assert settled.issue == 12
    assert isinstance(save, SaveState)
    assert [j.attempt_id for j in save.state.in_flight] == ["attempt-license"]


def test_a_skip_reply_is_rendered_in_the_plan_and_the_state_remembers_the_skip() -> None:
    plan = _plan(_inputs((signal("license"),), PrimeState(), request=SKIP), WAIT)
    reply = plan.effects[-1]
    assert isinstance(reply, Reply)
    assert (reply.issue, reply.marker) == (3, "<!-- prime:comment=reply-5001 -->")
    assert "Prime will leave **license** alone." in reply.body
    assert "license" in plan.state.skipped


def test_flag_org_without_an_org_link_is_a_note_and_not_remembered() -> None:
    plan = _plan(
        _inputs((signal("ci", "ok"),), PrimeState()), Decision(summary="a", actions=(ASK,))
    )
    assert plan.notes == (f"flag-org not sent (no jobs.org_repo, or no org-token): {ASK.reason}",)
    assert plan.state.flagged == ()


def test_a_flag_already_remembered_is_not_sent_again() -> None:
    first = _plan(_inputs((signal("ci", "ok"),), PrimeState(), **ORG_LINK),
                  Decision(summary="a", actions=(ASK,)))  # fmt: skip
    again = _plan(_inputs((signal("ci", "ok"),), first.state, **ORG_LINK),
                  Decision(summary="a", actions=(ASK,)))  # fmt: skip
    assert [e for e in first.effects if isinstance(e, Flag)] == [
        Flag(signal="ci", reason=ASK.reason)
    ]
    assert not [e for e in again.effects if isinstance(e, Flag)]


def test_an_unchanged_wake_plans_a_save_that_is_not_needed_and_a_dry_run_lists_none() -> None:
    first = _plan(_inputs((signal("ci", "ok"),)))
    later = _plan(_inputs((signal("ci", "ok"),), first.state))
    (save,) = later.effects
    assert isinstance(save, SaveState)
    assert not save.needed
    assert dry_run_lines(later.effects) == ()


def test_a_dry_run_lists_one_line_per_planned_write() -> None:
    plan = _plan(_inputs((signal("license"),), dashboard=True, config=FOLLOWED))
    assert dry_run_lines(plan.effects) == (
        "open (or reopen) the issue for license: Prime: license: license detail",
        "submit a fileops job for license (attempt attempt-license)",
        "label the issue opened for license: +in-progress -",
        "create the dashboard",
        f"write state.json (next wake {plan.state.next_wake_at}) and the decision log",
    )


def test_a_replan_after_a_lost_race_keeps_the_jobs_and_writes_only_dashboard_and_state() -> None:
    inputs = _inputs((signal("license"),), dashboard=True)
    first = _plan(inputs)
    rival = PrimeState(skipped=("rival",))
    winner = inputs.model_copy(update={"stored": StoredState(state=rival, version="v2")})
    again = replan(winner, first, {"license": 4})
    assert [type(e) for e in again.effects] == [WriteDashboard, SaveState]
    assert again.state.skipped == ("rival",)
    assert [j.signal for j in again.state.in_flight] == ["license"]
    save = again.effects[-1]
    assert isinstance(save, SaveState)
    assert save.expected == "v2"


def test_a_recovered_signal_closes_the_tracked_issue_by_number() -> None:
    plan = _plan(_inputs((signal("license", "ok"),), PrimeState(), issues=TRACKED_LICENSE))
    close = next(e for e in plan.effects if isinstance(e, Close))
    assert close.issue == 3
    assert close.note.startswith("---\n**Closed by Prime on ")
    assert "license is ok again" in close.note


def test_in_progress_comes_off_an_open_issue_whose_job_is_no_longer_in_flight() -> None:
    working = issue(4, "codeowners", labels=("automated", "in-progress"))
    inputs = _inputs((signal("license"), signal("codeowners")),
                     PrimeState(in_flight=(_job("license"),)),
                     issues=(*TRACKED_LICENSE, working))  # fmt: skip
    plan = _plan(inputs, WAIT)
    assert plan.effects[0] == SetLabels(issue=4, remove=("in-progress",))


def test_a_trusted_persons_task_ticket_is_adopted_before_any_other_write() -> None:
    mine = Candidate(number=7, title="Unicode tokens", body="Please.", labels=("ai-task",),
                     state="open", association="OWNER")  # fmt: skip
    stranger = mine.model_copy(update={"number": 8, "association": "NONE"})
    growth = GROWING.model_copy(update={"candidates": (mine, stranger)})
    plan = _plan(_inputs((GROWTH_FAILING,), PrimeState(), growth=growth), WAIT)
    adopt = plan.effects[0]
    assert isinstance(adopt, Adopt)
    assert (adopt.number, adopt.labels) == (7, ("ai-task", "automated"))
    assert "<!-- prime:signal=" in adopt.body
    assert not [e for e in plan.effects[1:] if isinstance(e, Adopt)]
    assert "growth.manual.7" in {s.name for s in plan.signals}  # its work is a signal now


def test_a_wake_closing_a_stale_pr_cools_its_signal_down_and_a_replan_keeps_it() -> None:
    idle = PrimePull(
        number=9, branch="prime/license", base="main", signals=("license",),
        created_at=NOW - timedelta(days=40), updated_at=NOW - timedelta(days=31),
    )  # fmt: skip
    inputs = _inputs((signal("license"),), PrimeState(), pulls=(idle,))
    first = _plan(inputs)
    assert any(isinstance(e, ClosePull) and e.why == "stale" for e in first.effects)
    assert first.state.cooldown_until["license"] == NOW + timedelta(days=30)
    winner = inputs.model_copy(update={"stored": StoredState(state=PrimeState(), version="v2")})
    again = replan(winner, first, {})
    assert again.state.cooldown_until["license"] == NOW + timedelta(days=30)


def test_the_brain_submits_no_job_for_the_signal_whose_stale_pr_this_wake_closes() -> None:
    idle = PrimePull(
        number=9, branch="prime/license", base="main", signals=("license",),
        created_at=NOW - timedelta(days=40), updated_at=NOW - timedelta(days=31),
    )  # fmt: skip
    busy = _plan(_inputs((signal("license"),), PrimeState()))
    assert busy.state.in_flight
    quiet = _plan(_inputs((signal("license"),), PrimeState(), pulls=(idle,)))
    assert not quiet.state.in_flight


def test_the_growth_report_keeps_each_ticket_with_its_open_pr_and_new_ones_get_their_number() -> (
    None
):
    tokenizer = issue(4, "growth.parser.tokenizer", labels=("automated", "ai-task"))
    pull = PrimePull(
        number=9, branch="prime/growth.parser.tokenizer", base="main",
        signals=("growth.parser.tokenizer",), created_at=NOW, updated_at=NOW,
    )  # fmt: skip
    inputs = _inputs((GROWTH_FAILING,), PrimeState(), growth=GROWING, issues=(tokenizer,),
                     pulls=(pull,))  # fmt: skip
    save = _plan(inputs, WAIT).effects[-1]
    assert isinstance(save, SaveState)

    def tickets(state: PrimeState) -> list[tuple[str, int, int | None]]:
        return [(t.signal, t.issue, t.pull) for t in state.growth.tickets]

    # The CSV ticket is opened in this wake: its number is known once the executor opened it.
    assert tickets(save.state) == [
        ("growth.export.csv", 0, None),
        ("growth.parser.tokenizer", 4, 9),
    ]
    settled = settle(save, Outcome(opened={"growth.export.csv": 12}))
    assert isinstance(settled, SaveState)
    assert tickets(settled.state) == [
        ("growth.export.csv", 12, None),
        ("growth.parser.tokenizer", 4, 9),
    ]
    failed = settle(save, Outcome())  # its opening failed: the next wake lists the issues again
    assert isinstance(failed, SaveState)
    assert tickets(failed.state) == [("growth.parser.tokenizer", 4, 9)]
