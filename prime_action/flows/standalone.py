"""Standalone mode (DESIGN §6): a repository's own wake dispatches its jobs into itself."""

from __future__ import annotations

from datetime import datetime

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import WorkflowLauncher
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.config.models import RepoConfig
from prime_action.dispatch.cycle import DispatchReport, run_cycle
from prime_action.dispatch.ledger import find
from prime_action.dispatch.rules import expire, next_attempt_id
from prime_action.dispatch.sheet import standalone_items, standalone_settings
from prime_action.domain.models import Attempt, PrimeState, RunnerType


class StandaloneJobs:
    """The job queue of a standalone wake: each job is named from the ledger and waits in state.

    `dispatch_standalone` starts the waiting jobs after the wake has saved its state, so the
    repository's in-flight jobs are the queue and the ledger says which of them started. The
    id follows from the ledger (one read, on the first job), so a rerun names a job alike.
    """

    def __init__(self, ledger: GitHubLedger, repo: str) -> None:
        self._ledger = ledger
        self._repo = repo
        self._attempts: tuple[Attempt, ...] | None = None

    def submit(self, signal: str, runner: RunnerType, approach: str, fingerprint: str) -> str:
        """Name the attempt; nothing is written until the dispatcher records it."""
        del runner, approach, fingerprint
        if self._attempts is None:
            self._attempts = self._ledger.load()
        return next_attempt_id(self._attempts, self._repo, signal)


def dispatch_standalone(
    client: GitHubClient,
    repo: str,
    ref: str,
    *,
    state: PrimeState | None,
    config: RepoConfig,
    now: datetime,
) -> DispatchReport | None:
    """Run the dispatcher over the repository's own in-flight jobs (standalone mode only).

    Costs one read when every job has started already and nothing timed out.

    Returns:
        The cycle's report, or None when there was nothing to do.
    """
    if config.jobs.mode != "standalone" or state is None or not state.in_flight:
        return None
    ledger = GitHubLedger(client, repo)
    attempts = ledger.load()
    # A rebuilt job is running already (its issue says in-progress): never dispatched again.
    waiting = [
        job
        for job in state.in_flight
        if not job.placeholder and find(attempts, job.attempt_id) is None
    ]
    stale = expire(attempts, now, config.jobs.in_flight_timeout_hours) != attempts
    if not waiting and not stale:
        return None
    items, ids = standalone_items(repo, state, config)
    launcher = WorkflowLauncher(client, repo, ref, spacing=0.0)
    if waiting and not launcher.available():
        return None  # no runner workflow (prime init writes one): the jobs wait in state
    return run_cycle(ledger, launcher, items, standalone_settings(config), now, ids=ids)
