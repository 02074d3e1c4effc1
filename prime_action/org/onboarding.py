"""Onboarding an organisation: which repositories get a PR adding Prime, and what became of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from prime_action.config.org import OnboardingSettings
from prime_action.domain.values import Frozen
from prime_action.org.filters import matches
from prime_action.org.model import Onboarding, OrgState
from prime_action.signals.workflows import Workflow, parse_workflow
from prime_action.workflows import DEFAULT_CI_WORKFLOWS

BRANCH = "prime/onboarding"
PRIME_WORKFLOW = ".github/workflows/prime.yml"


class Candidate(Frozen):
    """A repository of the owner as the listing shows it."""

    repo: str
    archived: bool = False
    fork: bool = False
    empty: bool = False  # no default branch: nothing to propose against
    # It runs Prime already: its workflow is on the default branch, or it has Prime's memory.
    has_prime: bool = False


class OnboardingPlan(Frozen):
    """The repositories to propose Prime to now, and every other one with why not."""

    propose: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()


def _reason(candidate: Candidate, settings: OnboardingSettings, home: str) -> str | None:
    """Why a repository gets no onboarding PR from its listing and the config, or None."""
    opt_in, opt_out = settings.mode == "opt-in", settings.mode == "opt-out"
    rules = (
        (candidate.repo.lower() == home.lower(), "the org repository"),
        (candidate.archived, "archived"),
        (candidate.fork, "a fork"),
        (candidate.empty, "empty (no default branch)"),
        (candidate.has_prime, "has Prime already"),
        (opt_in and not matches(candidate.repo, settings.repos), "not opted in (onboarding.repos)"),
        (opt_out and matches(candidate.repo, settings.exclude), "opted out (onboarding.exclude)"),
    )
    return next((reason for applies, reason in rules if applies), None)


def plan_onboarding(
    candidates: Sequence[Candidate], settings: OnboardingSettings, state: OrgState, home: str
) -> OnboardingPlan:
    """Choose the repositories that get an onboarding PR in this run.

    Args:
        candidates: every repository of the owner, archived and forks included.
        settings: the org config's `onboarding` section.
        state: Org Prime's memory, with the onboarding PRs opened so far.
        home: the org repository, never onboarded itself.

    Returns:
        At most `max_prs_per_run` repositories to propose to, by name; the others with why
        not (an earlier PR, open or closed, always means never again).
    """
    earlier = {o.repo.lower(): o for o in state.onboarding}
    propose: list[str] = []
    skipped: list[tuple[str, str]] = []
    for candidate in sorted(candidates, key=lambda c: c.repo.lower()):
        reason = _reason(candidate, settings, home)
        done = earlier.get(candidate.repo.lower())
        if reason is None and done is not None:
            reason = f"onboarding PR #{done.number} {_said[done.status]}"
        if reason is None and len(propose) >= settings.max_prs_per_run:
            reason = f"over {settings.max_prs_per_run} PRs a run: the next run"
        if reason is None:
            propose.append(candidate.repo)
        else:
            skipped.append((candidate.repo, reason))
    return OnboardingPlan(propose=tuple(propose), skipped=tuple(skipped))


_said = {"open": "is open", "merged": "was merged", "declined": "was closed: a no"}

PullState = Literal["open", "merged", "declined"]


def recorded(state: OrgState, found: Onboarding) -> OrgState:
    """The state with one repository's onboarding PR recorded (replacing an earlier record)."""
    others = tuple(o for o in state.onboarding if o.repo.lower() != found.repo.lower())
    ordered = sorted((*others, found), key=lambda o: o.repo.lower())
    return state.model_copy(update={"onboarding": tuple(ordered)})


def refreshed(state: OrgState, outcomes: Mapping[str, PullState], now: datetime) -> OrgState:
    """The state with the open PRs' outcomes (merged, or closed unmerged) as GitHub says."""
    for record in state.onboarding:
        status = outcomes.get(record.repo)
        if record.status == "open" and status is not None and status != "open":
            state = recorded(state, record.model_copy(update={"status": status, "at": now}))
    return state


def ci_workflow_names(files: Mapping[str, str]) -> tuple[str, ...]:
    """The names of the workflows that run on pushes or pull requests (a repository's CI).

    Prime's own workflows are left out; one without `name:` is named by its path, as GitHub
    names it. None found: DEFAULT_CI_WORKFLOWS.
    """
    names = []
    for path, text in sorted(files.items()):
        if path.rsplit("/", 1)[-1].startswith("prime"):
            continue
        parsed = parse_workflow(path, text)
        if isinstance(parsed, Workflow) and _on_code(parsed.top.get("on")):
            names.append(str(parsed.top.get("name") or path))
    return tuple(names) or DEFAULT_CI_WORKFLOWS


def _on_code(triggers: object) -> bool:
    """Whether `on:` includes push or pull_request (a string, a list or a mapping)."""
    names = [triggers] if isinstance(triggers, str) else triggers
    if not isinstance(names, list | dict):
        return False
    return bool({"push", "pull_request"} & {n for n in names if isinstance(n, str)})
