"""Ranking the org's work: CI first, score order, stable ties, humans' holds respected."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.config.org import OrgConfig
from prime_action.domain.conversation import Direction
from prime_action.domain.models import ORG_QUEUED, REBUILT_ATTEMPT, Attempt, InFlight, RunSheetItem
from prime_action.org.model import OrgState, PriorityEntry, Ranked, RepoFacts
from prime_action.org.ranking import Candidate, rank, score
from prime_action.org.runsheet import contiguous
from tests.org.factories import NOW, managed, remote, signal

STATE = OrgState()
# Remote repositories opted in: these tests rank what they offer (the default offers nothing).
CONFIG = OrgConfig(dispatch_unmanaged=("*",))


def _rank(
    *repos: RepoFacts,
    state: OrgState = STATE,
    ledger: tuple[Attempt, ...] = (),
    previous: tuple[RunSheetItem, ...] = (),
) -> Ranked:
    return rank(repos, config=CONFIG, state=state, ledger=ledger, previous=previous, now=NOW)


def order(ranked) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(i.repo, i.signal) for i in ranked.items]


def test_ci_failing_on_main_comes_first_whatever_the_weights() -> None:
    ranked = _rank(
        remote("acme/a", signal("dependabot", weight=50)), remote("acme/b", signal("ci", weight=1))
    )
    assert order(ranked) == [("acme/b", "ci"), ("acme/a", "dependabot")]
    assert contiguous(ranked.items)


def test_equal_scores_are_ordered_by_repository_then_signal() -> None:
    ranked = _rank(
        remote("acme/b", signal("license")), remote("acme/a", signal("readme"), signal("license"))
    )
    assert order(ranked) == [("acme/a", "license"), ("acme/a", "readme"), ("acme/b", "license")]


def test_a_user_priority_lifts_a_repository() -> None:
    state = OrgState(priorities={"repo:acme/b": PriorityEntry(weight=10)})
    ranked = _rank(
        remote("acme/a", signal("license", weight=5)),
        remote("acme/b", signal("license", weight=3)),
        state=state,
    )
    assert order(ranked)[0] == ("acme/b", "license")


def test_recent_failures_push_an_item_down() -> None:
    failed = Attempt(
        id="1",
        repo="acme/a",
        signal="license",
        runner="fileops",
        status="failed",
        created_at=NOW - timedelta(days=1),
        updated_at=NOW - timedelta(days=1),
    )
    ranked = _rank(
        remote("acme/a", signal("license")), remote("acme/b", signal("license")), ledger=(failed,)
    )
    assert order(ranked) == [("acme/b", "license"), ("acme/a", "license")]


def test_an_item_blocked_in_the_ledger_waits_for_a_human_until_its_fingerprint_changes() -> None:
    blocked = Attempt(
        id="1",
        repo="acme/a",
        signal="license",
        runner="fileops",
        status="blocked",
        fingerprint="fp-license",
        created_at=NOW,
        updated_at=NOW,
    )
    ranked = _rank(remote("acme/a", signal("license")), ledger=(blocked,))
    assert ranked.items == ()
    assert [(n.repo, n.signal) for n in ranked.needs_human] == [("acme/a", "license")]
    moved = _rank(remote("acme/a", signal("license", fingerprint="new")), ledger=(blocked,))
    assert order(moved) == [("acme/a", "license")]


def test_a_maintainers_priority_on_a_plan_item_weighs_it_against_other_repositories() -> None:
    def prioritised(repo: str, direction: Direction) -> RepoFacts:
        facts = managed(repo, ("license", 5.0))
        assert facts.state is not None
        item = facts.state.plan[0].model_copy(update={"priority": direction})
        return facts.model_copy(update={"state": facts.state.model_copy(update={"plan": (item,)})})

    plain = managed("acme/b", ("license", 7.5))
    assert order(_rank(prioritised("acme/a", "up"), plain))[0] == ("acme/a", "license")
    assert order(_rank(prioritised("acme/a", "down"), managed("acme/b", ("license", 3.0))))[0] == (
        "acme/b",
        "license",
    )


def test_a_managed_repository_offers_its_plan_minus_what_a_human_holds() -> None:
    facts = managed("acme/api", ("dependabot", 7.5), ("license", 2.5), blocked={"license": "fp"})
    ranked = _rank(facts)
    assert order(ranked) == [("acme/api", "dependabot")]
    assert ranked.items[0].runner == "agent"
    assert [n.signal for n in ranked.needs_human] == ["license"]


def _job(signal_name: str, attempt_id: str) -> InFlight:
    return InFlight(signal=signal_name, runner="fileops", attempt_id=attempt_id, submitted_at=NOW)


def test_jobs_a_repository_queued_for_the_org_are_ranked_but_its_own_are_not() -> None:
    facts = managed(
        "acme/api",
        ("dependabot", 7.5),
        in_flight=(_job("license", f"{ORG_QUEUED}abc"), _job("gitignore", "standalone-1")),
        signals=(signal("dependabot", weight=7.5), signal("license"), signal("gitignore")),
    )
    ranked = _rank(facts)
    assert order(ranked) == [("acme/api", "dependabot"), ("acme/api", "license")]
    license_item = ranked.items[1]
    assert (license_item.approach, license_item.reason) == ("add license", "license is failing")


def test_a_job_rebuilt_from_its_in_progress_label_is_ranked_like_a_queued_one() -> None:
    # A wake submitted it, labelled its issue in-progress and failed before saving state; the
    # re-run rebuilt the job from the label. Unranked, it would wait for the in-flight timeout
    # while the org ran the repository's other items past its tracking issues.
    facts = managed(
        "acme/api",
        in_flight=(_job("license", REBUILT_ATTEMPT),),
        signals=(signal("license"),),
    )
    assert order(_rank(facts)) == [("acme/api", "license")]


def test_a_paused_repository_schedules_nothing() -> None:
    ranked = _rank(managed("acme/api", ("dependabot", 7.5), status="paused"))
    assert ranked.items == ()
    assert ranked.needs_human[0].reason == "paused by a maintainer"


def test_an_unreadable_repository_contributes_nothing() -> None:
    assert _rank(remote("acme/a", signal("license"), error="404")).items == ()


def test_an_item_keeps_its_added_at_from_the_previous_run_sheet_and_ages() -> None:
    earlier = NOW - timedelta(days=15)
    previous = (
        RunSheetItem(
            rank=1,
            repo="acme/a",
            signal="license",
            runner="fileops",
            reason="r",
            approach="a",
            cooldown_hours=72,
            added_at=earlier,
        ),
    )
    ranked = _rank(
        remote("acme/a", signal("license")), remote("acme/b", signal("license")), previous=previous
    )
    assert order(ranked)[0] == ("acme/a", "license")
    assert ranked.items[0].added_at == earlier
    assert ranked.items[1].added_at == NOW


def test_by_default_only_what_a_repo_prime_planned_is_ranked() -> None:
    repos = (remote("acme/a", signal("license")), managed("acme/b", ("readme", 5.0)))
    ranked = rank(repos, config=OrgConfig(), state=STATE, ledger=(), previous=(), now=NOW)
    assert order(ranked) == [("acme/b", "readme")]


@pytest.mark.parametrize(
    ("patterns", "ranked"),
    [(("acme/a",), True), (("A",), True), (("acme/*",), True), (("b", "acme/c*"), False)],
)
def test_dispatch_unmanaged_opts_a_remote_repository_in_by_glob(
    patterns: tuple[str, ...], ranked: bool
) -> None:
    config = OrgConfig(dispatch_unmanaged=patterns)
    found = rank(
        (remote("acme/a", signal("license")),),
        config=config, state=STATE, ledger=(), previous=(), now=NOW,
    )  # fmt: skip
    assert bool(found.items) is ranked


def test_the_org_repository_is_never_ranked_even_opted_in_or_managed() -> None:
    repos = (
        remote("acme/prime-org", signal("license")),
        managed("acme/Prime-Org", ("readme", 5.0)),
        remote("acme/api", signal("license")),
    )
    ranked = rank(
        repos, config=CONFIG, state=STATE, ledger=(), previous=(), now=NOW, home="acme/prime-org"
    )
    assert order(ranked) == [("acme/api", "license")]


def test_in_the_orgs_approval_mode_only_approved_work_is_ranked() -> None:
    approved = managed("acme/api", ("ci", 7.0), ("license", 5.0), approved={"ci": "fp-ci"})
    stale = managed("acme/web", ("readme", 5.0), approved={"readme": "an-older-fingerprint"})
    repos = (approved, stale, remote("acme/cli", signal("license")))
    config = CONFIG.model_copy(update={"require_approval": True})
    ranked = rank(repos, config=config, state=STATE, ledger=(), previous=(), now=NOW)
    assert order(ranked) == [("acme/api", "ci")]


def test_score_multiplies_weight_priority_age_and_divides_by_failures() -> None:
    found = Candidate(
        repo="acme/a", signal="license", runner="fileops", reason="", approach="", weight=4
    )
    assert score(found, 0, 0, 0) == 4
    assert score(found, 10, 30, 1) == 4 * 2 * 2 / 2
    assert score(found, 0, 400, 0) == 8
