"""Carry out a validated decision through the ports; every write is idempotent by marker."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from prime_action.config.models import RepoConfig
from prime_action.domain.markers import comment_marker, data_marker, signal_marker
from prime_action.domain.models import (
    Action,
    CloseIssue,
    CommentIssue,
    CreateIssue,
    FlagOrg,
    InFlight,
    Label,
    PrimeState,
    SignalResult,
    SubmitJob,
)
from prime_action.domain.ports import IssueStore, JobQueue, OrgLink, TrackedIssue
from prime_action.repo.think import record_job
from prime_action.templating import render

# Flag keys remembered in state: enough to never repeat a recent one, bounded in size.
MAX_FLAGS = 50


@dataclass
class Actor:
    """Executes actions for one wake and collects what it did."""

    issues: IssueStore
    jobs: JobQueue
    config: RepoConfig
    signals: dict[str, SignalResult]
    tracked: list[TrackedIssue]
    now: datetime
    done: list[str] = field(default_factory=list)
    submitted: list[InFlight] = field(default_factory=list)
    # The way to Org Prime; None when the repository has none configured.
    org: OrgLink | None = None
    flagged: list[str] = field(default_factory=list)

    def _number(self, issue: int | None, signal: str | None) -> int | None:
        if issue is not None:
            return issue
        found = [i for i in self.tracked if i.signal == signal and i.state == "open"]
        return found[0].number if found else None

    def create(self, action: CreateIssue) -> None:
        signal = self.signals[action.signal]
        body = render(
            "issues/tracking.md.j2",
            marker=signal_marker(signal.name),
            data=data_marker({"signal": signal.name, "fingerprint": signal.fingerprint}),
            signal=signal,
        )
        labels = (self.config.labels.automated,)
        number = self.issues.open_issue(signal.name, action.title, body, labels)
        self.opened(number, signal.name, action.title, fingerprint=signal.fingerprint)
        self.done.append(f"opened issue #{number} for {signal.name}")

    def opened(
        self,
        number: int,
        signal: str,
        title: str,
        *,
        labels: tuple[str, ...] = (),
        fingerprint: str = "",
    ) -> None:
        """Remember an issue this wake opened (or reopened), so later actions find it."""
        self.tracked = [i for i in self.tracked if i.signal != signal]
        self.tracked.append(
            TrackedIssue(
                number=number,
                signal=signal,
                title=title,
                state="open",
                labels=labels,
                fingerprint=fingerprint,
            )
        )

    def submit(self, action: SubmitJob, state: PrimeState) -> PrimeState:
        fingerprint = self.signals[action.signal].fingerprint
        attempt = self.jobs.submit(action.signal, action.runner, action.approach, fingerprint)
        number = self._number(None, action.signal)
        if number is not None:
            marker = comment_marker(f"job-{attempt}")
            body = render(
                "comments/job-submitted.md.j2",
                marker=marker,
                runner=action.runner,
                attempt_id=attempt,
                approach=action.approach,
            )
            self.issues.comment(number, body, marker)
            self.issues.set_labels(number, (self.config.labels.in_progress,), ())
        self.done.append(f"submitted {action.runner} job {attempt} for {action.signal}")
        job = InFlight(
            signal=action.signal,
            runner=action.runner,
            attempt_id=attempt,
            fingerprint=fingerprint,
            submitted_at=self.now,
        )
        self.submitted.append(job)
        return record_job(state, job)

    def close(self, action: CloseIssue) -> None:
        number = self._number(action.issue, action.signal)
        if number is None:
            return
        marker = comment_marker(f"closed-{number}-{self.now:%Y%m%d%H%M}")
        body = render(
            "comments/recovered.md.j2",
            marker=marker,
            signal=action.signal or "",
            reason=action.reason,
        )
        # A closed issue saying "in-progress" would be a lie (a job may have ended unreported).
        self.issues.set_labels(number, (), (self.config.labels.in_progress,))
        self.issues.close_issue(number, body)
        self.done.append(f"closed issue #{number}: {action.reason}")

    def comment(self, action: CommentIssue) -> None:
        number = self._number(action.issue, action.signal)
        if number is None:
            return
        key = hashlib.sha256(action.body.encode()).hexdigest()[:12]
        marker = comment_marker(f"note-{key}")
        self.issues.comment(number, f"{marker}\n{action.body}", marker)
        self.done.append(f"commented on #{number}")

    def label(self, action: Label) -> None:
        number = self._number(action.issue, action.signal)
        if number is None:
            return
        self.issues.set_labels(number, action.add, action.remove)
        self.done.append(f"labelled #{number}: +{','.join(action.add)} -{','.join(action.remove)}")

    def run(self, actions: tuple[Action, ...], state: PrimeState) -> PrimeState:
        """Execute actions in order; return the state with submitted jobs recorded."""
        for action in actions:
            if isinstance(action, CreateIssue):
                self.create(action)
            elif isinstance(action, SubmitJob):
                state = self.submit(action, state)
            elif isinstance(action, CloseIssue):
                self.close(action)
            elif isinstance(action, CommentIssue):
                self.comment(action)
            elif isinstance(action, Label):
                self.label(action)
            elif isinstance(action, FlagOrg):
                state = self.flag(action, state)
        return state

    def settle_labels(self, state: PrimeState) -> None:
        """Take `in-progress` off open issues whose signal has no job in flight any more.

        The label follows the memory: a job can end without a report that reaches its issue
        (a PR closed unmerged, an expired job, or an organisation's run of a job this
        repository also submitted), and only the repository's Prime knows it ended.
        """
        label = self.config.labels.in_progress
        flying = {job.signal for job in state.in_flight}
        for issue in self.tracked:
            if issue.state == "open" and issue.signal not in flying and label in issue.labels:
                self.issues.set_labels(issue.number, (), (label,))

    def flag(self, action: FlagOrg, state: PrimeState) -> PrimeState:
        """Ask Org Prime for help, once per (signal, reason)."""
        if self.org is None:
            self.done.append(
                f"flag-org not sent (no jobs.org_repo, or no org-token): {action.reason}"
            )
            return state
        text = f"{action.signal or ''}\n{action.reason}"
        key = hashlib.sha256(text.encode()).hexdigest()[:12]
        if key in state.flagged:
            return state
        self.org.flag(action.signal, action.reason)
        self.done.append(f"flagged to Org Prime: {action.reason}")
        self.flagged.append(key)
        return remember_flags(state, (key,))


def remember_flags(state: PrimeState, keys: tuple[str, ...]) -> PrimeState:
    """Note flags as sent, keeping the newest MAX_FLAGS keys."""
    new = tuple(key for key in keys if key not in state.flagged)
    if not new:
        return state
    return state.model_copy(update={"flagged": (*state.flagged, *new)[-MAX_FLAGS:]})
