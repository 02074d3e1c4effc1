"""Fake routes for CI evidence: check-run annotations, Actions jobs, job logs, re-runs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from testing.ci import LOG_HOST, ActionsJob, latest_jobs, rerun_failed
from testing.payloads import Body, Urls, node_id
from testing.router import ApiError, FakeRequest, Reply, Router, paginate
from testing.state import Repo, WorkflowRun

if TYPE_CHECKING:
    from testing.core import GitHubState

router = Router()
_REPO = "/repos/{owner}/{repo}"
_LOG_URL = re.compile(rf"{re.escape(LOG_HOST)}/(?P<repo>[^/]+/[^/]+)/jobs/(?P<job>\d+)\?")


def _repo(state: GitHubState, request: FakeRequest, *, write: bool = False) -> Repo:
    owner, name = request.params["owner"], request.params["repo"]
    return state.writable(owner, name) if write else state.repo(owner, name)


def _job(repo: Repo, request: FakeRequest) -> ActionsJob:
    found = repo.jobs.get(int(request.params["job_id"]))
    if found is None:
        raise ApiError(404)
    return found


def _run(repo: Repo, request: FakeRequest) -> WorkflowRun:
    found = repo.runs.get(int(request.params["run_id"]))
    if found is None:
        raise ApiError(404)
    return found


def job_body(urls: Urls, repo: Repo, job: ActionsJob) -> Body:
    """A job, as GET /actions/jobs/{job_id} and the run's job listing show it."""
    steps = [
        {"name": name, "number": n, "status": "completed" if done else "queued",
         "conclusion": done, "started_at": job.created_at, "completed_at": job.completed_at}
        for n, (name, done) in enumerate(job.steps(), start=1)
    ]  # fmt: skip
    return {
        "id": job.id,
        "run_id": job.run_id,
        "run_url": urls.repo(repo, f"/actions/runs/{job.run_id}"),
        "run_attempt": job.run_attempt,
        "node_id": node_id("CheckRun", job.id),
        "head_sha": job.head_sha,
        "url": urls.repo(repo, f"/actions/jobs/{job.id}"),
        "html_url": urls.web(f"/{repo.full_name}/actions/runs/{job.run_id}/job/{job.id}"),
        "status": job.status,
        "conclusion": job.conclusion,
        "created_at": job.created_at,
        "started_at": job.created_at,
        "completed_at": job.completed_at,
        "name": job.name,
        "steps": steps,
        "check_run_url": urls.repo(repo, f"/check-runs/{job.id}"),
        "labels": ["ubuntu-latest"],
        "runner_id": 1,
        "runner_name": "GitHub Actions 1",
        "runner_group_id": 2,
        "runner_group_name": "GitHub Actions",
        "workflow_name": "CI",
        "head_branch": repo.default_branch,
    }


@router.route("GET", f"{_REPO}/check-runs/{{check_run_id}}/annotations")
def list_annotations(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations."""
    repo = _repo(state, request)
    wanted = int(request.params["check_run_id"])
    runs = [r for listed in repo.check_runs.values() for r in listed if r.id == wanted]
    if not runs:
        raise ApiError(404)
    items = [
        {"path": a.path, "start_line": a.line, "end_line": a.line, "start_column": None,
         "end_column": None, "annotation_level": a.level, "title": a.title or None,
         "message": a.message, "raw_details": None,
         "blob_href": state.urls.web(f"/{repo.full_name}/blob/{runs[0].head_sha}/{a.path}")}
        for a in runs[0].annotations
    ]  # fmt: skip
    return paginate(state, request, items)


@router.route("GET", f"{_REPO}/actions/runs/{{run_id}}/jobs")
def list_jobs(state: GitHubState, request: FakeRequest) -> Reply:
    """GET .../actions/runs/{run_id}/jobs: the latest attempt's jobs (`filter=all`: every one)."""
    repo = _repo(state, request)
    run = _run(repo, request)
    every = request.arg("filter") == "all"
    jobs = (
        [j for j in repo.jobs.values() if j.run_id == run.id]
        if every
        else latest_jobs(repo, run.id)
    )
    items = [job_body(state.urls, repo, j) for j in jobs]
    return paginate(state, request, items, "jobs")


@router.route("GET", f"{_REPO}/actions/jobs/{{job_id}}")
def get_job(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/actions/jobs/{job_id}."""
    repo = _repo(state, request)
    return Reply(200, job_body(state.urls, repo, _job(repo, request)))


@router.route("GET", f"{_REPO}/actions/jobs/{{job_id}}/logs")
def job_logs(state: GitHubState, request: FakeRequest) -> Reply:
    """GET .../actions/jobs/{job_id}/logs: 302 to a short-lived plain-text URL elsewhere."""
    repo = _repo(state, request)
    job = _job(repo, request)
    location = f"{LOG_HOST}/{repo.full_name}/jobs/{job.id}?sig=fake&expires=60"
    return Reply(302, headers={"Location": location})


@router.route("POST", f"{_REPO}/actions/runs/{{run_id}}/rerun-failed-jobs")
def rerun_failed_jobs(state: GitHubState, request: FakeRequest) -> Reply:
    """POST .../actions/runs/{run_id}/rerun-failed-jobs: 201; 403 while the run is going."""
    repo = _repo(state, request, write=True)
    run = _run(repo, request)
    if run.status != "completed":
        raise ApiError(403, "This workflow is already running")
    rerun_failed(state, repo, run)
    return Reply(201, {})


def log_download(state: GitHubState, url: str) -> tuple[int, str]:
    """The plain-text log behind a job-logs Location (404 for an unknown job)."""
    found = _LOG_URL.match(url)
    repo = state.repos.get(found["repo"].lower()) if found else None
    job = repo.jobs.get(int(found["job"])) if repo is not None and found else None
    if job is None:
        return 404, "Not Found"
    return 200, job.attempt.log
