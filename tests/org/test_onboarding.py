"""Which repositories `prime onboard` proposes Prime to (pure: listing, config, memory in)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from prime_action.config.org import OnboardingSettings
from prime_action.org.model import Onboarding, OrgState
from prime_action.org.onboarding import (
    Candidate,
    ci_workflow_names,
    plan_onboarding,
    recorded,
    refreshed,
)

NOW = datetime(2026, 3, 20, tzinfo=UTC)
HOME = "acme/prime-org"
OPT_OUT = OnboardingSettings(mode="opt-out", exclude=("legacy-*",))


def plan(candidates: list[Candidate], settings: OnboardingSettings, state: OrgState = OrgState()):  # type: ignore[no-untyped-def]  # noqa: B008
    return plan_onboarding(candidates, settings, state, HOME)


@pytest.mark.parametrize(
    ("candidate", "settings", "reason"),
    [
        (Candidate(repo=HOME), OPT_OUT, "the org repository"),
        (Candidate(repo="acme/a", archived=True), OPT_OUT, "archived"),
        (Candidate(repo="acme/a", fork=True), OPT_OUT, "a fork"),
        (Candidate(repo="acme/a", empty=True), OPT_OUT, "empty (no default branch)"),
        (Candidate(repo="acme/a", has_prime=True), OPT_OUT, "has Prime already"),
        (Candidate(repo="acme/legacy-x"), OPT_OUT, "opted out (onboarding.exclude)"),
        (Candidate(repo="acme/a"), OnboardingSettings(), "not opted in (onboarding.repos)"),
        (Candidate(repo="acme/a", archived=True), OnboardingSettings(repos=("a",)), "archived"),
    ],
)
def test_a_repository_is_skipped_for_its_first_reason(
    candidate: Candidate, settings: OnboardingSettings, reason: str
) -> None:
    assert plan([candidate], settings).skipped == ((candidate.repo, reason),)


def test_opted_in_repositories_are_proposed_by_name_or_full_name() -> None:
    settings = OnboardingSettings(repos=("api", "acme/web-*"))
    found = plan(
        [Candidate(repo="acme/api"), Candidate(repo="acme/web-1"), Candidate(repo="acme/x")],
        settings,
    )

    assert found.propose == ("acme/api", "acme/web-1")


@pytest.mark.parametrize(
    ("status", "said"),
    [("open", "is open"), ("declined", "was closed: a no"), ("merged", "was merged")],
)
def test_an_earlier_onboarding_pr_in_any_state_means_never_again(status: str, said: str) -> None:
    state = OrgState(onboarding=(Onboarding(repo="acme/a", number=7, status=status, at=NOW),))  # type: ignore[arg-type]

    assert plan([Candidate(repo="acme/a")], OPT_OUT, state).skipped == (
        ("acme/a", f"onboarding PR #7 {said}"),
    )


def test_more_than_max_prs_per_run_wait_for_the_next_run() -> None:
    settings = OnboardingSettings(mode="opt-out", max_prs_per_run=2)
    found = plan([Candidate(repo=f"acme/r{i}") for i in range(4)], settings)

    assert found.propose == ("acme/r0", "acme/r1")
    assert [reason for _, reason in found.skipped] == ["over 2 PRs a run: the next run"] * 2


def test_outcomes_turn_open_records_into_merged_or_declined_once() -> None:
    state = recorded(OrgState(), Onboarding(repo="acme/a", number=1, at=NOW))
    state = recorded(state, Onboarding(repo="acme/b", number=2, at=NOW))

    later = refreshed(state, {"acme/a": "declined", "acme/b": "open"}, NOW)

    assert [(o.repo, o.status) for o in later.onboarding] == [
        ("acme/a", "declined"),
        ("acme/b", "open"),
    ]


JOB = "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"


def test_ci_names_come_from_push_and_pull_request_workflows_only() -> None:
    files = {
        ".github/workflows/ci.yml": "name: Tests\non: [push]\n" + JOB,
        ".github/workflows/lint.yml": "on:\n  pull_request:\n" + JOB,
        ".github/workflows/release.yml": "name: Release\non: release\n" + JOB,
        ".github/workflows/prime.yml": "name: Prime\non: push\n" + JOB,
    }
    assert ci_workflow_names(files) == ("Tests", ".github/workflows/lint.yml")
    assert ci_workflow_names({}) == ("CI",)
