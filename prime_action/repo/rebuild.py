"""Rebuild the working memory from the tracking issues when the state branch is lost (DESIGN §4)."""

from __future__ import annotations

from datetime import datetime

from prime_action.config.models import LabelSettings
from prime_action.domain.models import REBUILT_ATTEMPT, InFlight, PrimeState, SignalResult
from prime_action.domain.ports import TrackedIssue


def rebuild_state(
    issues: tuple[TrackedIssue, ...],
    signals: tuple[SignalResult, ...],
    labels: LabelSettings,
    now: datetime,
) -> PrimeState:
    """The state that the tracking issues' markers and labels still tell.

    An open issue labelled needs-human is blocked on its fingerprint; an open issue labelled
    in-progress has a job in flight (kept until the job reports or times out, so the rebuilt
    Prime does not submit it twice). Refusals (issues a person closed as not planned) need no
    rebuilding: every wake derives them from the issues (`memory_update.prepare`). The plan
    and the decision history start afresh.

    Args:
        issues: Prime's tracking issues, open and closed.
        signals: this wake's signals.
        labels: the label names in use.
        now: the current moment (when the rebuilt jobs count as submitted).

    Returns:
        The rebuilt state, marked `rebuilt` so the dashboard says so.
    """
    by_name = {s.name: s for s in signals}
    opened = [i for i in issues if i.state == "open"]
    blocked = {
        i.signal: i.fingerprint for i in opened if labels.needs_human in i.labels and i.fingerprint
    }
    in_flight = tuple(
        InFlight(
            signal=signal.name,
            runner=signal.fix.runner,
            # One id per job: the dispatcher tells jobs apart by their ids.
            attempt_id=f"{REBUILT_ATTEMPT}-{signal.name}",
            fingerprint=signal.fingerprint,
            submitted_at=now,
        )
        for i in opened
        if labels.in_progress in i.labels
        for signal in [by_name.get(i.signal)]
        if signal is not None and signal.status == "failing" and signal.fix is not None
    )
    return PrimeState(blocked=blocked, in_flight=in_flight, rebuilt=True)
