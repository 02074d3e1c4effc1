"""Scripted Actions CI for the fake GitHub: a run whose jobs fail with a log, and its re-runs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from testing.state import Annotation, CheckRun, WorkflowRun

if TYPE_CHECKING:
    from testing.core import GitHubState
    from testing.state import Repo

# Where the fake serves job logs: GitHub answers the job-logs endpoint with a 302 to a
# short-lived URL on another host (its docs show pipelines.actions.githubusercontent.com).
LOG_HOST = "https://pipelines.actions.githubusercontent.test"


@dataclass
class Attempt:
    """What one attempt of a job does: passes, or fails in a step with a log."""

    conclusion: str = "success"
    step: str = ""  # the step that fails ("" when it passes)
    log: str = ""
    annotations: list[Annotation] = field(default_factory=list)


@dataclass
class ActionsJob:
    """One job of a workflow run attempt (its id is also its check run's id)."""

    id: int
    run_id: int
    run_attempt: int
    name: str
    head_sha: str
    attempt: Attempt
    status: str = "completed"  # queued | in_progress | completed
    # What the next re-runs of this job do, in order (none left: a re-run passes).
    then: list[Attempt] = field(default_factory=list)
    created_at: str = ""
    completed_at: str | None = None

    @property
    def conclusion(self) -> str | None:
        """The attempt's conclusion once completed."""
        return self.attempt.conclusion if self.status == "completed" else None

    def steps(self) -> list[tuple[str, str | None]]:
        """(name, conclusion) of the job's steps: set up, the failing step, later ones skipped."""
        done = self.status == "completed"
        failing = self.attempt.step if self.attempt.conclusion != "success" else ""
        names = ["Set up job", failing or "Run tests", "Complete job"]
        out: list[tuple[str, str | None]] = [("Set up job", "success" if done else None)]
        out.append(
            (names[1], (self.attempt.conclusion if failing else "success") if done else None)
        )
        out.append((names[2], ("skipped" if failing else "success") if done else None))
        return out


def fail_ci(
    fake: GitHubState,
    full_name: str,
    job: str = "test",
    *,
    step: str = "Run tests",
    log: str = "",
    conclusion: str = "failure",
    annotations: Iterable[Annotation] = (),
    passing: Iterable[str] = ("build",),
    then: Iterable[Attempt] = (),
) -> WorkflowRun:
    """A push workflow run on the default branch's head where `job` fails and `passing` pass.

    Args:
        fake: the fake GitHub.
        full_name: `owner/name`.
        job: the failing job (and check run) name.
        step: the step that fails.
        log: the failing job's log.
        conclusion: its conclusion (failure, cancelled, timed_out ...).
        annotations: its check run's annotations.
        passing: jobs that pass.
        then: what the failing job's re-runs do, in order (none: a re-run passes).

    Returns:
        The workflow run; its check runs replace the head commit's.
    """
    repo = fake.repos[full_name.lower()]
    sha = repo.head() or ""
    at = fake.timestamp()
    run = WorkflowRun(
        id=fake.ids(),
        workflow_id=fake.ids(),
        path=".github/workflows/ci.yml",
        name="CI",
        event="push",
        head_branch=repo.default_branch,
        head_sha=sha,
        run_number=1 + len(repo.runs),
        created_at=at,
        updated_at=at,
        actor=fake.account("octocat"),
        status="completed",
        conclusion="failure",
    )
    repo.runs[run.id] = run
    repo.check_runs[sha] = []
    repo.statuses[sha] = []
    for name in passing:
        _add_job(fake, repo, run, (name, Attempt()))
    failing = Attempt(conclusion, step, log, list(annotations))
    _add_job(fake, repo, run, (job, failing)).then = list(then)
    return run


def _add_job(
    fake: GitHubState,
    repo: Repo,
    run: WorkflowRun,
    what: tuple[str, Attempt],
    status: str = "completed",
) -> ActionsJob:
    """A job of the run's current attempt, with its check run (the latest of that name)."""
    name, attempt = what
    at = fake.timestamp()
    done = status == "completed"
    found = ActionsJob(
        fake.ids(), run.id, run.run_attempt, name, run.head_sha, attempt, status,
        created_at=at, completed_at=at if done else None,
    )  # fmt: skip
    repo.jobs[found.id] = found
    # The check-runs listing shows the latest check run of each name (GitHub's filter=latest).
    runs = [r for r in repo.check_runs.get(run.head_sha, []) if r.name != name]
    check = CheckRun(
        found.id,
        name,
        run.head_sha,
        "completed" if done else "in_progress",
        found.conclusion,
        at,
        at if done else None,
        list(attempt.annotations),
    )
    repo.check_runs[run.head_sha] = [*runs, check]
    return found


def rerun_failed(fake: GitHubState, repo: Repo, run: WorkflowRun) -> None:
    """GitHub's re-run of a run's failed jobs: a new attempt, those jobs queued again."""
    latest = latest_jobs(repo, run.id)
    failed = [j for j in latest if j.conclusion not in ("success", "skipped", "neutral")]
    run.run_attempt += 1
    run.status, run.conclusion, run.updated_at = "queued", None, fake.timestamp()
    for job in failed:
        upcoming = job.then or [Attempt()]
        again = _add_job(fake, repo, run, (job.name, upcoming[0]), status="queued")
        again.then = upcoming[1:]


def finish_reruns(fake: GitHubState, full_name: str) -> None:
    """Every queued re-run finishes as scripted; each run concludes from its latest jobs."""
    repo = fake.repos[full_name.lower()]
    for job in [j for j in repo.jobs.values() if j.status != "completed"]:
        job.status, job.completed_at = "completed", fake.timestamp()
        for check in repo.check_runs.get(job.head_sha, []):
            if check.id == job.id:
                check.status, check.conclusion = "completed", job.conclusion
                check.completed_at = job.completed_at
    for run in repo.runs.values():
        jobs = latest_jobs(repo, run.id)
        if jobs and run.status != "completed":
            ok = all(j.conclusion == "success" for j in jobs)
            run.status, run.conclusion = "completed", "success" if ok else "failure"
            run.updated_at = fake.timestamp()


def latest_jobs(repo: Repo, run_id: int) -> list[ActionsJob]:
    """The run's jobs, the latest attempt of each name (GitHub's `filter=latest`)."""
    latest: dict[str, ActionsJob] = {}
    for job in sorted(repo.jobs.values(), key=lambda j: j.id):
        if job.run_id == run_id:
            latest[job.name] = job
    return list(latest.values())
