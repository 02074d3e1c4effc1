"""The PR poll: what a wake does with Prime's open PRs when no PR or CI event ever comes.

Pure: the shell reads each Prime PR's head checks as values and gets back the PRs to judge
(growth gate) or to merge (automerge), the dashboard's lines on what waits and why, and
whether the wake must come back soon. PRs opened with GITHUB_TOKEN start no workflow, so in
a standalone install only this poll ever sees their checks finish.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import Field

from prime_action.config.models import RepoConfig
from prime_action.domain.models import PrimeState, PullWait, RunnerType
from prime_action.domain.values import Frozen
from prime_action.growth.merge_gate import code_owners

# A head with no check run and no status this long after the PR opened gets none: no
# workflow started for it.
NO_CHECKS_GRACE = timedelta(minutes=30)
WORKFLOWS = ".github/workflows/"
GREEN = frozenset({"success", "neutral", "skipped"})
AUTO_ON = "GitHub's auto-merge merges it when checks pass"


class HeadChecks(Frozen):
    """A PR head's check runs and commit statuses, counted."""

    total: int = 0
    running: int = 0
    failed: tuple[str, ...] = ()
    # The names of the checks that passed.
    passed: tuple[str, ...] = ()

    @property
    def finished(self) -> bool:
        """At least one check, and every one of them done."""
        return self.total > 0 and self.running == 0

    @property
    def green(self) -> bool:
        """Every check done and passed (at least one)."""
        return self.finished and not self.failed


class PolledPull(Frozen):
    """One of Prime's open PRs as the poll reads it (the listing plus its head's checks)."""

    number: int
    head: str
    # The branch it merges into.
    base: str
    title: str
    signals: tuple[str, ...]
    runner: RunnerType
    # A growth ticket's PR (`prime/growth.*`): the growth gate judges it.
    growth: bool = False
    created_at: datetime
    # GitHub's native auto-merge is on already.
    auto_merge: bool = False
    node_id: str = ""
    checks: HeadChecks = HeadChecks()


class PollStep(Frozen):
    """One PR to act on: run the growth gate on its head, or decide its automerge."""

    kind: Literal["gate", "automerge"]
    number: int
    head: str

    def describe(self) -> str:
        """The step, in a dry run's words."""
        what = "run the growth gate on" if self.kind == "gate" else "automerge (when allowed)"
        return f"{what} PR #{self.number} at {self.head[:12]}"


class PollPlan(Frozen):
    """The poll's steps, the dashboard's lines, and whether a PR waits on its checks."""

    steps: tuple[PollStep, ...] = ()
    waits: tuple[PullWait, ...] = ()
    pending: bool = False
    # The repository allows GitHub's auto-merge.
    native: bool = False


class PullNews(Frozen):
    """What the wake's memory keeps from the poll."""

    waits: tuple[PullWait, ...] = ()
    # A Prime PR waits on checks (or on GitHub's auto-merge): the next wake comes soon.
    pending: bool = False
    # PR number -> head the growth gate judged; only the open PRs' are kept.
    judged: dict[str, str] = Field(default_factory=dict)
    open: tuple[int, ...] = ()
    # The signals of the PRs automerge merged: their jobs are over, their cooldowns end.
    merged: tuple[str, ...] = ()


class Guard(Frozen):
    """What automerge reads for a PR it may merge: the changed paths, owners, approvals."""

    paths: tuple[str, ...]
    # Each changed path's CODEOWNERS owners (no entry: the path has none).
    owners: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    approvals: tuple[str, ...] = ()
    # Branch protection's required checks on the base, when the token may read them.
    required: tuple[str, ...] = ()
    # Commits on the PR that Prime did not write: the opt-in covers Prime's change only.
    foreign_commits: int = 0


class Move(Frozen):
    """Automerge's answer for one PR."""

    kind: Literal["merge", "enable", "refuse", "wait"]
    why: str


def opted_in(pull: PolledPull, automerge: tuple[str, ...]) -> bool:
    """Whether `automerge:` covers the PR: its runner, or every one of its signals; the agent
    runner's PRs only when `agent` itself is listed."""
    if pull.growth or not automerge:
        return False
    if pull.runner == "agent":
        return "agent" in automerge
    named = bool(pull.signals) and set(pull.signals) <= set(automerge)
    return pull.runner in automerge or named


def plan_poll(
    pulls: tuple[PolledPull, ...],
    *,
    judged: dict[str, str],
    automerge: tuple[str, ...],
    native: bool,
    now: datetime,
) -> PollPlan:
    """What the wake does with Prime's open PRs, oldest first.

    Args:
        pulls: Prime's open PRs with their heads' checks.
        judged: PR number -> the head the growth gate judged already.
        automerge: the config's `automerge:` names.
        native: whether the repository allows GitHub's auto-merge.
        now: the current moment.

    Returns:
        The gate and automerge steps, a dashboard line per PR that waits, and whether one
        waits on checks.
    """
    steps: list[PollStep] = []
    waits: list[PullWait] = []
    pending = False
    for pull in sorted(pulls, key=lambda p: p.number):
        step, wait, waiting = _one(pull, judged=judged, automerge=automerge, native=native,
                                   now=now)  # fmt: skip
        steps += [step] if step else []
        waits += [wait] if wait else []
        pending = pending or waiting
    return PollPlan(steps=tuple(steps), waits=tuple(waits), pending=pending, native=native)


Outcome = tuple[PollStep | None, PullWait | None, bool]


def _one(
    pull: PolledPull, *, judged: dict[str, str], automerge: tuple[str, ...], native: bool,
    now: datetime,
) -> Outcome:  # fmt: skip
    """(step, dashboard line, waits on checks) for one PR."""
    fresh = judged.get(str(pull.number)) != pull.head
    if pull.checks.total == 0:
        return _no_checks(pull, mine=pull.growth or opted_in(pull, automerge), fresh=fresh, now=now)
    if pull.growth:
        return _growth(pull, fresh=fresh)
    if opted_in(pull, automerge):
        return _automerge(pull, native=native, fresh=fresh)
    return None, None, False


def _no_checks(pull: PolledPull, *, mine: bool, fresh: bool, now: datetime) -> Outcome:
    """Within the grace period a check may still come; after it, the dashboard says why none
    will, and the growth gate judges the head once (the seed decides what missing checks mean)."""
    if now - pull.created_at < NO_CHECKS_GRACE:
        return None, _wait(pull, "waiting", "no check has reported yet") if mine else None, mine
    gate = PollStep(kind="gate", number=pull.number, head=pull.head)
    step = gate if pull.growth and fresh else None
    return step, _wait(pull, "no-checks", "its head has no check run and no status"), False


def _growth(pull: PolledPull, *, fresh: bool) -> Outcome:
    if not pull.checks.finished:
        return None, _wait(pull, "waiting", _running(pull.checks)), True
    step = PollStep(kind="gate", number=pull.number, head=pull.head) if fresh else None
    return step, None, False


def _automerge(pull: PolledPull, *, native: bool, fresh: bool) -> Outcome:
    """GitHub's auto-merge on: its guard is checked again for each new head (a push after it
    was turned on could touch a workflow or an owned path)."""
    checks = pull.checks
    step = PollStep(kind="automerge", number=pull.number, head=pull.head)
    if pull.auto_merge:
        return step if fresh else None, _wait(pull, "waiting", AUTO_ON), True
    if checks.failed and checks.finished:
        return None, _wait(pull, "refused", f"checks failed: {', '.join(checks.failed)}"), False
    if checks.green or native:
        return PollStep(kind="automerge", number=pull.number, head=pull.head), None, True
    why = f"automerge after every check passes; {_running(checks)}"
    return None, _wait(pull, "waiting", why), True


def _running(checks: HeadChecks) -> str:
    return f"{checks.running} of {checks.total} checks still running"


def _wait(pull: PolledPull, kind: Literal["waiting", "refused", "no-checks"], why: str) -> PullWait:
    return PullWait(number=pull.number, kind=kind, why=why)


def automerge_move(pull: PolledPull, guard: Guard, *, native: bool) -> Move:
    """Merge, enable GitHub's auto-merge, refuse (with the dashboard's reason) or wait.

    Never a change under `.github/workflows/`, never a PR carrying a commit Prime did not
    write, never without the approval of an owner of every changed path that CODEOWNERS
    names; a team owner is satisfied by any approval (membership is not read).
    """
    refusal = _refusal(guard)
    if refusal is not None:
        return Move(kind="refuse", why=refusal)
    if pull.auto_merge:
        return Move(kind="wait", why=AUTO_ON)
    missing = [name for name in guard.required if name not in pull.checks.passed]
    if pull.checks.green and missing:
        return Move(kind="wait", why=f"required check {missing[0]} has not passed on this head")
    if pull.checks.green:
        return Move(kind="merge", why="every check passed")
    if native:
        return Move(kind="enable", why=AUTO_ON)
    return Move(kind="wait", why=_running(pull.checks))


def _refusal(guard: Guard) -> str | None:
    """Why automerge never merges this change: a workflow, or an owner who has not approved."""
    workflows = [p for p in guard.paths if p.startswith(WORKFLOWS)]
    if workflows:
        return f"it changes {workflows[0]}: a person merges workflows"
    if guard.foreign_commits:
        return (
            f"it carries {guard.foreign_commits} commit(s) Prime did not write: a person merges it"
        )
    missing = _unapproved(guard)
    if missing:
        return f"waits for an approval from CODEOWNERS {', '.join(f'@{o}' for o in missing)}"
    return None


def _unapproved(guard: Guard) -> tuple[str, ...]:
    """The owners of each changed path none of whose owners approved."""
    approved = {a.lower() for a in guard.approvals}
    missing: dict[str, None] = {}
    for path in guard.paths:
        owners = guard.owners.get(path, ())
        if owners and not any(o.lower() in approved or ("/" in o and approved) for o in owners):
            missing.update(dict.fromkeys(owners))
    return tuple(missing)


def owners_by_path(codeowners: str | None, paths: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each changed path's owners (`login`, `org/team`), as the growth gate reads CODEOWNERS."""
    found = {path: code_owners(codeowners, (path,)) for path in paths}
    return {path: owners for path, owners in found.items() if owners}


def with_poll(
    state: PrimeState, news: PullNews | None, config: RepoConfig, now: datetime
) -> PrimeState:
    """The state with the poll's lines and judged heads; a merged PR's jobs and cooldowns end
    (as a merge event ends them); while a Prime PR waits on checks, the next wake comes
    within `wake.pending_hours` (hibernation would leave it waiting for hours)."""
    if news is None:
        return state
    judged = {k: v for k, v in news.judged.items() if int(k) in news.open}
    in_flight = tuple(job for job in state.in_flight if job.signal not in news.merged)
    cooling = {k: v for k, v in state.cooldown_until.items() if k not in news.merged}
    update: dict[str, object] = {"pull_waits": news.waits, "judged_heads": judged,
                                 "in_flight": in_flight, "cooldown_until": cooling}  # fmt: skip
    soon = now + timedelta(hours=config.wake.pending_hours)
    if news.pending and (state.next_wake_at is None or state.next_wake_at > soon):
        update["next_wake_at"] = soon
    return state.model_copy(update=update)
