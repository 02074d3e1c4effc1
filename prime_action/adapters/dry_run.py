"""Dry run (the action's `dry-run` input): the wake reads and decides, every write is only noted."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from prime_action.domain.models import DecisionRecord, PrimeState, RunnerType
from prime_action.domain.ports import (
    DashboardCopy,
    DashboardStore,
    IssueStore,
    StateStore,
    StoredState,
    TrackedIssue,
)
from prime_action.repo.cycle import WakePorts

# The number a dry run gives an issue it did not create.
NOT_CREATED = 0


@dataclass
class WriteLog:
    """The writes a dry run was asked for, in order, as one line each."""

    lines: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        """Remember one write that was not made."""
        self.lines.append(line)


@dataclass
class _State:
    inner: StateStore
    log: WriteLog

    def load(self) -> StoredState:
        return self.inner.load()

    def decisions(self) -> tuple[DecisionRecord, ...]:
        return self.inner.decisions()

    def save(self, state: PrimeState, record: DecisionRecord | None, expected: str | None) -> str:
        self.log.note(f"write state.json (next wake {state.next_wake_at}) and the decision log")
        return expected or "dry-run"


@dataclass
class _Issues:
    inner: IssueStore
    dashboard: DashboardStore | None
    log: WriteLog

    def tracking_issues(self) -> list[TrackedIssue]:
        return self.inner.tracking_issues()

    def open_issue(self, signal: str, title: str, body: str, labels: tuple[str, ...]) -> int:
        del body, labels
        self.log.note(f"open (or reopen) the issue for {signal}: {title}")
        return NOT_CREATED

    def comment(self, number: int, body: str, marker: str) -> None:
        del body, marker
        self.log.note(f"comment on #{number}")

    def close_issue(self, number: int, comment: str) -> None:
        del comment
        self.log.note(f"close #{number}")

    def set_labels(self, number: int, add: tuple[str, ...], remove: tuple[str, ...]) -> None:
        self.log.note(f"label #{number}: +{','.join(add)} -{','.join(remove)}")

    def read_dashboard(self, number: int | None) -> DashboardCopy | None:
        return self.dashboard.read_dashboard(number) if self.dashboard else None

    def write_dashboard(self, number: int | None, body: str) -> int:
        del body
        self.log.note(f"update the dashboard #{number}" if number else "create the dashboard")
        return number or NOT_CREATED


@dataclass
class _Jobs:
    log: WriteLog

    def submit(self, signal: str, runner: RunnerType, approach: str, fingerprint: str) -> str:
        del approach, fingerprint
        self.log.note(f"submit a {runner} job for {signal}")
        return f"dry-run-{signal}"


def dry_run(ports: WakePorts, log: WriteLog) -> WakePorts:
    """The same ports, reading as before, noting every write in `log` instead of making it.

    Args:
        ports: the real ports.
        log: where the skipped writes are noted.

    Returns:
        Ports for a wake that changes nothing on GitHub.
    """
    issues = _Issues(ports.issues, ports.dashboard, log)
    return replace(
        ports,
        state=_State(ports.state, log),
        issues=issues,
        jobs=_Jobs(log),
        dashboard=issues if ports.dashboard is not None else None,
    )


__all__ = ["NOT_CREATED", "WriteLog", "dry_run"]
