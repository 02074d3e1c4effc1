"""Growth mode inside a wake, as values: adoption, the refined signals, tickets and the report.

The eyes parse seed.yaml once and the shell lists the task-labelled issues once; the wake's
planner turns what these functions return into effects (adoptions, new tickets).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from prime_action.config.models import RepoConfig
from prime_action.domain.models import MergedPull, PrimeState, SignalResult
from prime_action.domain.ports import TrackedIssue
from prime_action.domain.values import Frozen
from prime_action.growth.adopt import Candidate, HumanTask, adopted_body, human_tasks, to_adopt
from prime_action.growth.adopt import tracked as adopted_issue
from prime_action.growth.architect import Ticket, next_tickets, verdict
from prime_action.growth.implement import task_signals
from prime_action.growth.report import held, recorded, roll, ticket_records
from prime_action.growth.seed import Seed
from prime_action.growth.signal import GROWTH
from prime_action.signals.base import result


class GrowthInputs(Frozen):
    """What a wake read for growth mode: the seed and the people's task tickets."""

    # seed.yaml, parsed once by the eyes (None: no seed, or an invalid one).
    seed: Seed | None = None
    # Every issue with the seed's task label (None: not listed, e.g. a local wake).
    candidates: tuple[Candidate, ...] | None = None
    # The PRs the growth gate merged just before this wake (for the report).
    merges: tuple[MergedPull, ...] = ()


class Adoption(Frozen):
    """The task tickets of trusted people that become Prime's, and every adopted ticket."""

    # With Prime's markers added to their bodies.
    adopt: tuple[Candidate, ...] = ()
    # Their issues as the wake tracks them from now on.
    issues: tuple[TrackedIssue, ...] = ()
    # Adopted tickets by key (now and earlier); None when nothing was listed.
    humans: dict[str, HumanTask] | None = None


def adoption(growth: GrowthInputs, config: RepoConfig) -> Adoption:
    """Which listed tickets to adopt (open, unmarked, by a trusted author)."""
    if growth.seed is None or growth.candidates is None:
        return Adoption()
    label = growth.seed.automation_contract.task_label
    fresh = to_adopt(growth.candidates, label, config.trust.associations)
    done = tuple(c.model_copy(update={"body": adopted_body(c)}) for c in fresh)
    return Adoption(
        adopt=done,
        issues=tuple(adopted_issue(c, config.labels.automated) for c in done),
        humans=human_tasks((*growth.candidates, *done)),
    )


def with_adopted(issues: tuple[TrackedIssue, ...], adopted: Adoption) -> tuple[TrackedIssue, ...]:
    """The issues plus the tickets adopted now (later wakes list them by their marker)."""
    known = {i.number for i in issues}
    return (*issues, *(i for i in adopted.issues if i.number not in known))


def hold(growth: GrowthInputs, state: PrimeState | None, now: datetime) -> str:
    """Why the energy budget holds growth this wake ("": it does not)."""
    if growth.seed is None or state is None:
        return ""
    report = roll(state.growth, now, growth.seed.energy, state.cost.usd_total)
    report = recorded(report, opened=0, merges=growth.merges, issues=(), reason="")
    return held(growth.seed.energy, report.cycles[-1])


def refine(
    signals: tuple[SignalResult, ...],
    issues: tuple[TrackedIssue, ...],
    *,
    seed: Seed | None,
    humans: dict[str, HumanTask] | None,
    needs_human: str,
    reason: str,
) -> tuple[SignalResult, ...]:
    """The signals with growth's verdict made from the issues (a skipped one stays so),
    plus one agent signal per open ticket; past the energy budget (`reason`), all skipped."""
    if seed is None:
        return signals
    refined = tuple(
        _refined(s, seed, issues) if s.name == GROWTH.name and s.status != "skipped" else s
        for s in signals
    )
    work = task_signals(seed, issues, needs_human, humans)
    return tuple(_held(s, reason) for s in (*refined, *work))


def _refined(signal: SignalResult, seed: Seed, issues: tuple[TrackedIssue, ...]) -> SignalResult:
    status, detail, evidence = verdict(seed, issues)
    fresh = result(GROWTH, status, detail, evidence)
    # Keep the config's severity and weight overrides.
    return signal.model_copy(
        update={"status": fresh.status, "detail": fresh.detail, "fingerprint": fresh.fingerprint}
    )


def _held(signal: SignalResult, reason: str) -> SignalResult:
    """Past the energy budget, growth's signals are skipped: no ticket, no dispatch."""
    if not reason or signal.status != "failing" or not signal.name.startswith("growth"):
        return signal
    return signal.model_copy(update={"status": "skipped", "detail": reason})


def tickets(
    seed: Seed | None,
    state: PrimeState,
    signals: tuple[SignalResult, ...],
    issues: tuple[TrackedIssue, ...],
    automated: str,
) -> tuple[Ticket, ...]:
    """The next tickets to open, unless growth is not failing, Prime is paused or growth skipped.

    Args:
        seed: the parsed seed.
        state: the prepared state (a pause, `/prime skip growth`).
        signals: the refined signals.
        issues: the issues as they are after this wake's other writes.
        automated: the label of Prime's issues.
    """
    growth = next((s for s in signals if s.name == GROWTH.name), None)
    if growth is None or growth.status != "failing" or seed is None:
        return ()
    if state.status == "paused" or GROWTH.name in state.skipped:
        return ()
    return next_tickets(seed, issues, automated)


def record(
    state: PrimeState,
    growth: GrowthInputs,
    now: datetime,
    *,
    opened: int,
    seen: tuple[TrackedIssue, ...],
    reason: str,
    tracked: tuple[TrackedIssue, ...] = (),
    pulls: Mapping[str, int] | None = None,
) -> PrimeState:
    """The state with this wake in its growth report (unchanged without a seed).

    `tracked` (the issues after this wake's writes) and `pulls` (signal -> Prime's open PR)
    give the report's tickets; a ticket opened now has number 0 until the executor settles it.
    """
    if growth.seed is None:
        return state
    report = roll(state.growth, now, growth.seed.energy, state.cost.usd_total)
    report = recorded(report, opened=opened, merges=growth.merges, issues=seen, reason=reason)
    report = report.model_copy(update={"tickets": ticket_records(tracked, pulls or {})})
    return state.model_copy(update={"growth": report})
