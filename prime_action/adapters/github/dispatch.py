"""Actions API for the data plane: dispatch runner workflows, cancel runs, send job results."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient, is_missing
from prime_action.domain.errors import GitHubError
from prime_action.domain.models import Attempt, RunSheetItem

RUNNER_WORKFLOW = "prime-run.yml"
JOB_RESULT = "prime-job-result"
# workflow_dispatch inputs are strings of limited size; an approach is prose, cut politely.
MAX_INPUT = 1000


def runner_inputs(attempt: Attempt, item: RunSheetItem) -> dict[str, str]:
    """The runner workflow's inputs (DESIGN §6): attempt id, repo, signal, runner, approach.

    An item with an extra `ref` (a rework or follow-up on a Prime PR's branch) passes it too;
    others leave it out, so a runner workflow written before the input existed still starts.
    """
    inputs = {
        "attempt": attempt.id,
        "repo": item.repo,
        "signal": item.signal,
        "runner": item.runner,
        "approach": item.approach[:MAX_INPUT],
    }
    ref = (item.model_extra or {}).get("ref")
    return inputs | ({"ref": ref} if isinstance(ref, str) and ref else {})


class WorkflowLauncher:
    """Starts the runner workflow of one repository (the org repo, or a standalone repo)."""

    def __init__(
        self,
        client: GitHubClient,
        repo: str,
        ref: str,
        *,
        workflow: str = RUNNER_WORKFLOW,
        spacing: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self._name = repo
        self._ref = ref
        self._workflow = workflow
        self._spacing = spacing
        self._sleep = sleep

    def launch(self, attempt: Attempt, item: RunSheetItem) -> int | None:
        """Dispatch the runner; GitHub answers with the new run's id (return_run_details)."""
        workflow = self._repo.get_workflow(self._workflow)
        run = self._client.write(
            f"dispatch {self._workflow} for {attempt.id}",
            lambda: workflow.create_dispatch(
                self._ref, runner_inputs(attempt, item), throw=True, return_run_details=True
            ),
        )
        return int(run.id) if run else None

    def started(self, attempt_ids: frozenset[str]) -> dict[str, int]:
        """Match recent runs to attempts by the `(attempt id)` their run-name ends with.

        One request: the newest page of the workflow's dispatched runs (named by its file).
        """

        def fetch() -> list[tuple[int, str]]:
            runs = self._repo.get_workflow(self._workflow).get_runs(event="workflow_dispatch")
            return [(int(run.id), run.display_title or "") for run in runs.get_page(0)]

        found: dict[str, int] = {}
        for run_id, title in self._client.read(f"list {self._workflow} runs", fetch):
            for attempt_id in attempt_ids:
                if title.endswith(f"({attempt_id})"):
                    found.setdefault(attempt_id, run_id)
        return found

    def available(self) -> bool:
        """Whether the runner workflow exists (one request); without it jobs wait."""
        try:
            self._client.read(
                f"read {self._workflow}", lambda: self._repo.get_workflow(self._workflow).path
            )
        except GitHubError as e:
            if is_missing(e):
                return False
            raise
        return True

    def pause(self) -> None:
        """Space dispatches out (content-creation limits; zero in tests)."""
        if self._spacing > 0:
            self._sleep(self._spacing)


def cancel_run(client: GitHubClient, repo: str, run_id: int) -> None:
    """Cancel a workflow run (POST .../actions/runs/{run_id}/cancel)."""
    target = client.github.get_repo(repo)
    url = f"{target.url}/actions/runs/{run_id}/cancel"
    client.write(f"cancel run {run_id}", lambda: target.requester.requestJsonAndCheck("POST", url))


def send_job_result(client: GitHubClient, repo: str, payload: dict[str, Any]) -> None:
    """Wake the target repository's Prime with a `prime-job-result` repository_dispatch."""
    send_event(client, repo, JOB_RESULT, payload)


def send_event(client: GitHubClient, repo: str, event_type: str, payload: dict[str, Any]) -> None:
    """Send a `repository_dispatch` of `event_type` to a repository (one write)."""
    target = client.github.get_repo(repo)
    body = {"event_type": event_type, "client_payload": payload}
    client.write(
        f"send {event_type} to {repo}",
        lambda: target.requester.requestJsonAndCheck(
            "POST", f"{target.url}/dispatches", input=body
        ),
    )
