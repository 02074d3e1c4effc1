"""Fake routes for CI results, workflows, workflow runs and dispatch events."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from testing import payloads_actions as render
from testing.router import ApiError, FakeRequest, Reply, Router, paginate
from testing.state import Dispatch, Repo, RepositoryDispatch, WorkflowRun

if TYPE_CHECKING:
    from testing.core import GitHubState

router = Router()
_REPO = "/repos/{owner}/{repo}"
MAX_INPUTS = 25


def _repo(state: GitHubState, request: FakeRequest, *, write: bool = False) -> Repo:
    owner, name = request.params["owner"], request.params["repo"]
    return state.writable(owner, name) if write else state.repo(owner, name)


def _sha(repo: Repo, ref: str) -> str:
    sha = repo.git.resolve(ref)
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {ref}")
    return sha


@router.route("GET", f"{_REPO}/commits/{{ref}}/check-runs")
def list_check_runs(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/commits/{ref}/check-runs (check_name and status filters)."""
    repo = _repo(state, request)
    runs = repo.check_runs.get(_sha(repo, request.params["ref"]), [])
    name, status = request.arg("check_name"), request.arg("status")
    kept = [r for r in runs if name in (None, r.name) and status in (None, r.status)]
    app = render.actions_app(state.urls, state.account("github"), state.created_at)
    items = [render.check_run(state.urls, repo, r, app) for r in kept]
    return paginate(state, request, items, "check_runs")


@router.route("GET", f"{_REPO}/commits/{{ref}}/status")
def combined_status(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/commits/{ref}/status."""
    repo = _repo(state, request)
    sha = _sha(repo, request.params["ref"])
    statuses = repo.statuses.get(sha, [])
    body = render.combined_status(state.urls, repo, sha, statuses, state.pushed_at(repo))
    return Reply(200, body)


def workflow_of(state: GitHubState, repo: Repo, wanted: str) -> tuple[int, str, dict[str, Any]]:
    """Find a workflow by numeric id or file name, or answer 404."""
    for workflow_id, (path, parsed) in state.workflows(repo).items():
        if wanted in (str(workflow_id), path.rsplit("/", 1)[-1]):
            return workflow_id, path, parsed
    raise ApiError(404)


def _name(path: str, parsed: dict[str, Any]) -> str:
    return str(parsed.get("name") or path)


@router.route("GET", f"{_REPO}/actions/workflows/{{workflow_id}}")
def get_workflow(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}."""
    repo = _repo(state, request)
    workflow_id, path, parsed = workflow_of(state, repo, request.params["workflow_id"])
    at = state.pushed_at(repo)
    body = render.workflow(
        state.urls, repo, workflow_id=workflow_id, path=path, name=_name(path, parsed), at=at
    )
    return Reply(200, body)


def _dispatch_inputs(parsed: dict[str, Any]) -> dict[str, Any] | None:
    """The declared workflow_dispatch inputs, or None when the trigger is absent."""
    triggers = parsed.get("on")
    if isinstance(triggers, str):
        triggers = [triggers]
    if isinstance(triggers, list):
        return {} if "workflow_dispatch" in triggers else None
    if not isinstance(triggers, dict) or "workflow_dispatch" not in triggers:
        return None
    spec = triggers["workflow_dispatch"] or {}
    return dict(spec.get("inputs") or {})


def _check_inputs(declared: dict[str, Any], given: dict[str, Any]) -> None:
    unexpected = sorted(set(given) - set(declared))
    if unexpected:
        raise ApiError(422, f"Unexpected inputs provided: {unexpected}")
    if len(given) > MAX_INPUTS:
        raise ApiError(422, f"you may only define up to {MAX_INPUTS} `inputs`")
    for name, spec in declared.items():
        needed = isinstance(spec, dict) and spec.get("required") and "default" not in spec
        if needed and name not in given:
            raise ApiError(422, f"Required input '{name}' not provided")


@router.route("POST", f"{_REPO}/actions/workflows/{{workflow_id}}/dispatches")
def dispatch_workflow(state: GitHubState, request: FakeRequest) -> Reply:
    """POST .../actions/workflows/{workflow_id}/dispatches: checks trigger, ref and inputs."""
    repo = _repo(state, request, write=True)
    wanted = request.params["workflow_id"]
    workflow_id, path, parsed = workflow_of(state, repo, wanted)
    declared = _dispatch_inputs(parsed)
    if declared is None:
        raise ApiError(422, "Workflow does not have 'workflow_dispatch' trigger")
    ref = str(request.field("ref"))
    sha = repo.git.refs.get(ref) or repo.head(ref) or repo.git.refs.get(f"refs/tags/{ref}")
    if sha is None:
        raise ApiError(422, f"No ref found for: {ref}")
    inputs = dict(request.field("inputs") or {})
    _check_inputs(declared, inputs)
    at = state.timestamp()
    run = WorkflowRun(
        id=state.ids(),
        workflow_id=workflow_id,
        path=path,
        name=_name(path, parsed),
        event="workflow_dispatch",
        head_branch=ref.removeprefix("refs/heads/"),
        head_sha=sha,
        run_number=1 + sum(1 for r in repo.runs.values() if r.workflow_id == workflow_id),
        created_at=at,
        updated_at=at,
        actor=state.actor,
        inputs=inputs,
        title=_run_name(parsed, inputs),
    )
    repo.runs[run.id] = run
    state.dispatches.append(Dispatch(repo.full_name, wanted, path, ref, inputs, run.id))
    if not request.field("return_run_details", False):
        return Reply(204)
    body = {
        "workflow_run_id": run.id,
        "run_url": state.urls.repo(repo, f"/actions/runs/{run.id}"),
        "html_url": state.urls.web(f"/{repo.full_name}/actions/runs/{run.id}"),
    }
    return Reply(200, body)


_INPUT_EXPRESSION = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


def _run_name(parsed: dict[str, Any], inputs: dict[str, Any]) -> str:
    """The workflow's `run-name` with `${{ inputs.X }}` filled in, as GitHub shows it."""
    template = parsed.get("run-name")
    if not isinstance(template, str):
        return ""
    return _INPUT_EXPRESSION.sub(lambda m: str(inputs.get(m.group(1), "")), template)


def _runs(state: GitHubState, request: FakeRequest, repo: Repo, workflow_id: int | None) -> Reply:
    filters = {k: request.arg(k) for k in ("branch", "event", "status", "head_sha", "actor")}

    def keep(run: WorkflowRun) -> bool:
        values: dict[str, set[str | None]] = {
            "branch": {run.head_branch},
            "event": {run.event},
            "status": {run.status, run.conclusion},
            "head_sha": {run.head_sha},
            "actor": {run.actor.login},
        }
        return all(want is None or want in values[key] for key, want in filters.items())

    kept = [r for r in repo.runs.values() if workflow_id in (None, r.workflow_id) and keep(r)]
    kept.sort(key=lambda r: r.id, reverse=True)
    items = [render.workflow_run(state.urls, repo, r, repo.git.commit(r.head_sha)) for r in kept]
    return paginate(state, request, items, "workflow_runs")


@router.route("GET", f"{_REPO}/actions/runs")
def list_runs(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/actions/runs, newest first."""
    return _runs(state, request, _repo(state, request), None)


@router.route("GET", f"{_REPO}/actions/workflows/{{workflow_id}}/runs")
def list_workflow_runs(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs, newest first."""
    repo = _repo(state, request)
    workflow_id, _, _ = workflow_of(state, repo, request.params["workflow_id"])
    return _runs(state, request, repo, workflow_id)


def _run(repo: Repo, request: FakeRequest) -> WorkflowRun:
    found = repo.runs.get(int(request.params["run_id"]))
    if found is None:
        raise ApiError(404)
    return found


@router.route("GET", f"{_REPO}/actions/runs/{{run_id}}")
def get_run(state: GitHubState, request: FakeRequest) -> Reply:
    """GET /repos/{owner}/{repo}/actions/runs/{run_id}."""
    repo = _repo(state, request)
    found = _run(repo, request)
    return Reply(200, render.workflow_run(state.urls, repo, found, repo.git.commit(found.head_sha)))


@router.route("POST", f"{_REPO}/actions/runs/{{run_id}}/cancel")
def cancel_run(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel: 409 once completed."""
    repo = _repo(state, request, write=True)
    found = _run(repo, request)
    if found.status == "completed":
        raise ApiError(409, "Cannot cancel a workflow run that is completed.")
    found.status, found.conclusion, found.updated_at = "completed", "cancelled", state.timestamp()
    return Reply(202, {})


@router.route("POST", f"{_REPO}/dispatches")
def repository_dispatch(state: GitHubState, request: FakeRequest) -> Reply:
    """POST /repos/{owner}/{repo}/dispatches: recorded, answers 204."""
    repo = _repo(state, request, write=True)
    payload = dict(request.field("client_payload") or {})
    state.repository_dispatches.append(
        RepositoryDispatch(repo.full_name, str(request.field("event_type")), payload)
    )
    return Reply(204)
