"""Ranking: severity x user priority x age x recent failures; CI failing on main first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from prime_action.config.org import OrgConfig
from prime_action.domain.models import Attempt, PrimeState, RunnerType, RunSheetItem
from prime_action.domain.values import Frozen
from prime_action.org.filters import opted_in
from prime_action.org.model import NeedsHuman, OrgState, Ranked, RepoFacts
from prime_action.org.priorities import factor, points

FAILURE_WINDOW = timedelta(days=7)
MAX_AGE_DAYS = 30
FAILED = frozenset({"failed", "timeout"})
# CI failing on the default branch blocks every other automation: always ranked first.
FIRST = frozenset({"ci"})
# A repository maintainer's priority change on a plan item (conversation, `/prime priority`)
# weighs it up or down against the other repositories' work too.
PRIORITY_FACTOR = {"up": 2.0, "down": 0.5}


class Candidate(Frozen):
    """A piece of work before ranking."""

    repo: str
    signal: str
    runner: RunnerType
    reason: str
    approach: str
    weight: float
    fingerprint: str = ""
    added_at: datetime | None = None


def _managed(facts: RepoFacts) -> Iterator[Candidate | NeedsHuman]:
    state = facts.state
    if state is None:
        return
    if state.status == "paused":
        yield NeedsHuman(repo=facts.repo, signal="*", reason="paused by a maintainer")
        return
    for signal in sorted({*state.blocked, *state.refused}):
        why = (
            "blocked: the same attempt would fail again"
            if signal in state.blocked
            else "fix declined"
        )
        yield NeedsHuman(repo=facts.repo, signal=signal, reason=why)
    held = {*state.blocked, *state.refused, *state.skipped}
    for item in state.plan:
        if item.signal not in held:
            yield Candidate(
                repo=facts.repo,
                signal=item.signal,
                runner=item.runner,
                reason=item.reason,
                approach=item.approach,
                weight=item.weight * PRIORITY_FACTOR.get(item.priority or "", 1.0),
                fingerprint=item.fingerprint,
                added_at=item.added_at,
            )
    yield from _queued(facts.repo, state, held)


def _queued(repo: str, state: PrimeState, held: set[str]) -> Iterator[Candidate]:
    """Jobs the Repo Prime submitted for the org's dispatcher (org mode): work it wants now.

    They left its plan when submitted; without them here the org would not run them until
    the repository forgot them (jobs.in_flight_timeout_hours). So do jobs rebuilt from an
    in-progress label (a wake that failed before its state save, re-run): the dispatcher's
    ledger check keeps one that already runs from running twice.
    """
    signals = {s.name: s for s in state.signals}
    for job in state.in_flight:
        signal = signals.get(job.signal)
        if not job.placeholder or job.signal in held or signal is None:
            continue
        yield Candidate(
            repo=repo,
            signal=job.signal,
            runner=job.runner,
            reason=signal.detail,
            approach=signal.fix.approach if signal.fix else "",
            weight=signal.weight,
            fingerprint=job.fingerprint,
            added_at=job.submitted_at,
        )


def _remote(facts: RepoFacts) -> Iterator[Candidate]:
    for signal in facts.signals:
        if signal.fixable and signal.fix is not None:
            yield Candidate(
                repo=facts.repo,
                signal=signal.name,
                runner=signal.fix.runner,
                reason=signal.detail,
                approach=signal.fix.approach,
                weight=signal.weight,
                fingerprint=signal.fingerprint,
            )


def candidates(
    repos: tuple[RepoFacts, ...], config: OrgConfig, home: str = ""
) -> Iterator[Candidate | NeedsHuman]:
    """Work each readable repository offers: its Repo Prime's plan, or the fixable signals of
    one that `dispatch_unmanaged` opts in; never the org repository's own (`home`)."""
    for facts in repos:
        if facts.error is not None or facts.repo.lower() == home.lower():
            continue
        if facts.managed:
            yield from _approved(_managed(facts), facts, config)
        elif opted_in(facts.repo, config) and not config.require_approval:
            yield from _remote(facts)


def _approved(
    found: Iterator[Candidate | NeedsHuman], facts: RepoFacts, config: OrgConfig
) -> Iterator[Candidate | NeedsHuman]:
    """In the org's approval mode, only work a maintainer approved on the repository's
    dashboard, on the evidence it was approved for."""
    approved = facts.state.approved if facts.state is not None else {}
    for item in found:
        if (
            not config.require_approval
            or isinstance(item, NeedsHuman)
            or approved.get(item.signal) == item.fingerprint
        ):
            yield item


def not_dispatched(
    repos: tuple[RepoFacts, ...], config: OrgConfig, home: str = ""
) -> tuple[str, ...]:
    """Repositories without a Repo Prime, not opted in, whose fixable signals wait (sorted)."""
    return tuple(
        sorted(
            facts.repo
            for facts in repos
            if facts.error is None
            and not facts.managed
            and facts.repo.lower() != home.lower()
            and not opted_in(facts.repo, config)
            and any(True for _ in _remote(facts))
        )
    )


def _latest(ledger: tuple[Attempt, ...]) -> dict[tuple[str, str], Attempt]:
    latest: dict[tuple[str, str], Attempt] = {}
    for attempt in sorted(ledger, key=lambda a: (a.updated_at, a.id)):
        latest[(attempt.repo, attempt.signal)] = attempt
    return latest


def _failures(ledger: tuple[Attempt, ...], now: datetime) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for attempt in ledger:
        if attempt.status in FAILED and now - attempt.updated_at <= FAILURE_WINDOW:
            key = (attempt.repo, attempt.signal)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _blocked(candidate: Candidate, latest: dict[tuple[str, str], Attempt]) -> bool:
    """The ledger's last attempt was blocked on the evidence the signal still shows."""
    last = latest.get((candidate.repo, candidate.signal))
    return (
        last is not None
        and last.status == "blocked"
        and (not last.fingerprint or last.fingerprint == candidate.fingerprint)
    )


def score(candidate: Candidate, prio: float, age_days: int, failures: int) -> float:
    """The score: severity weight x user priority x age (up to x2 at 30 days) / failures."""
    age = 1.0 + min(max(age_days, 0), MAX_AGE_DAYS) / MAX_AGE_DAYS
    return candidate.weight * factor(prio) * age / (1 + failures)


def rank(
    repos: tuple[RepoFacts, ...],
    *,
    config: OrgConfig,
    state: OrgState,
    ledger: tuple[Attempt, ...],
    previous: tuple[RunSheetItem, ...],
    now: datetime,
    home: str = "",
) -> Ranked:
    """Rank every candidate of the readable repositories into the run sheet.

    Args:
        repos: the repositories looked after (filters applied).
        config: the org config (`priorities`, `cooldown_hours`).
        state: the org state (priorities set by commands).
        ledger: the dispatcher's attempts (recent failures, blocked items).
        previous: the run sheet committed last time: an item keeps its `added_at`.
        now: the current moment.
        home: the org repository (OWNER/NAME), never dispatched into.

    Returns:
        Items ranked 1..n (ties broken by repository and signal, so the order is stable),
        and what waits for a human instead.
    """
    since = {(i.repo, i.signal): i.added_at for i in previous}
    latest, failures = _latest(ledger), _failures(ledger, now)
    scored: list[tuple[tuple[int, float, str, str], Candidate, datetime]] = []
    waiting: list[NeedsHuman] = []
    for found in candidates(repos, config, home):
        if isinstance(found, NeedsHuman):
            waiting.append(found)
            continue
        if _blocked(found, latest):
            waiting.append(
                NeedsHuman(repo=found.repo, signal=found.signal, reason="blocked in the ledger")
            )
            continue
        key = (found.repo, found.signal)
        added = since.get(key) or found.added_at or now
        value = score(found, points(config, state, *key), (now - added).days, failures.get(key, 0))
        order = (0 if found.signal in FIRST else 1, -round(value, 6), found.repo, found.signal)
        scored.append((order, found, added))
    scored.sort(key=lambda entry: entry[0])
    items = tuple(_item(n, c, added, config) for n, (_, c, added) in enumerate(scored, start=1))
    return Ranked(items=items, needs_human=tuple(sorted(waiting, key=lambda w: (w.repo, w.signal))))


def _item(rank_: int, found: Candidate, added: datetime, config: OrgConfig) -> RunSheetItem:
    return RunSheetItem.model_validate(
        {
            "rank": rank_,
            "repo": found.repo,
            "signal": found.signal,
            "runner": found.runner,
            "reason": found.reason,
            "approach": found.approach,
            "cooldown_hours": config.cooldown_hours,
            "added_at": added,
            "fingerprint": found.fingerprint,
        }
    )
