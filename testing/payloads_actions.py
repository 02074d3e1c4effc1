"""JSON bodies for check runs, commit statuses, workflows and workflow runs."""

from __future__ import annotations

from testing.gitstore import Commit
from testing.payloads import Body, Urls, node_id, repository, user
from testing.state import CheckRun, CommitStatus, Repo, User, WorkflowRun

ACTIONS_APP_ID = 15368


def actions_app(urls: Urls, owner: User, created_at: str) -> Body:
    """The GitHub Actions app, which owns the check runs of workflow jobs."""
    return {
        "id": ACTIONS_APP_ID,
        "slug": "github-actions",
        "node_id": node_id("Integration", ACTIONS_APP_ID),
        "owner": user(urls, owner),
        "name": "GitHub Actions",
        "description": "Automate your workflow from idea to production",
        "external_url": urls.web("/features/actions"),
        "html_url": urls.web("/apps/github-actions"),
        "created_at": created_at,
        "updated_at": created_at,
        "permissions": {"checks": "write", "contents": "write", "metadata": "read"},
        "events": ["check_run", "check_suite", "pull_request", "push", "workflow_dispatch"],
    }


def check_run(urls: Urls, repo: Repo, run: CheckRun, app: Body) -> Body:
    """A check-run."""
    api = urls.repo(repo, f"/check-runs/{run.id}")
    return {
        "id": run.id,
        "head_sha": run.head_sha,
        "node_id": node_id("CheckRun", run.id),
        "external_id": "",
        "url": api,
        "html_url": urls.web(f"/{repo.full_name}/runs/{run.id}"),
        "details_url": urls.web(f"/{repo.full_name}/runs/{run.id}"),
        "status": run.status,
        "conclusion": run.conclusion,
        "started_at": run.started_at,
        "completed_at": run.completed_at,
        "output": {
            "title": None,
            "summary": None,
            "text": None,
            "annotations_count": len(run.annotations),
            "annotations_url": f"{api}/annotations",
        },
        "name": run.name,
        "check_suite": {"id": run.id + 1},
        "app": app,
        "pull_requests": [],
    }


def combined_status(
    urls: Urls, repo: Repo, sha: str, statuses: list[CommitStatus], pushed_at: str
) -> Body:
    """A combined-commit-status: failure beats pending beats success; none is pending."""
    states = {s.state for s in statuses}
    if states & {"error", "failure"}:
        state = "failure"
    elif "pending" in states or not states:
        state = "pending"
    else:
        state = "success"
    return {
        "state": state,
        "statuses": [
            {
                "id": s.id,
                "node_id": node_id("StatusContext", s.id),
                "url": urls.repo(repo, f"/statuses/{sha}"),
                "avatar_url": None,
                "state": s.state,
                "description": s.description,
                "target_url": None,
                "context": s.context,
                "created_at": s.created_at,
                "updated_at": s.created_at,
            }
            for s in statuses
        ],
        "sha": sha,
        "total_count": len(statuses),
        "repository": repository(urls, repo, pushed_at),
        "commit_url": urls.repo(repo, f"/commits/{sha}"),
        "url": urls.repo(repo, f"/commits/{sha}/status"),
    }


def workflow(urls: Urls, repo: Repo, *, workflow_id: int, path: str, name: str, at: str) -> Body:
    """A workflow."""
    return {
        "id": workflow_id,
        "node_id": node_id("Workflow", workflow_id),
        "name": name,
        "path": path,
        "state": "active",
        "created_at": at,
        "updated_at": at,
        "url": urls.repo(repo, f"/actions/workflows/{workflow_id}"),
        "html_url": urls.web(f"/{repo.full_name}/blob/{repo.default_branch}/{path}"),
        "badge_url": urls.web(f"/{repo.full_name}/workflows/{name}/badge.svg"),
    }


def workflow_run(urls: Urls, repo: Repo, run: WorkflowRun, head: Commit | None) -> Body:
    """A workflow-run."""
    api = urls.repo(repo, f"/actions/runs/{run.id}")
    minimal = repository(urls, repo, run.updated_at)
    return {
        "id": run.id,
        "name": run.name,
        "node_id": node_id("WorkflowRun", run.id),
        "check_suite_id": run.id + 1,
        "head_branch": run.head_branch,
        "head_sha": run.head_sha,
        "path": run.path,
        "display_title": run.title or run.name,
        "run_number": run.run_number,
        "run_attempt": run.run_attempt,
        "event": run.event,
        "status": run.status,
        "conclusion": run.conclusion,
        "workflow_id": run.workflow_id,
        "url": api,
        "html_url": urls.web(f"/{repo.full_name}/actions/runs/{run.id}"),
        "pull_requests": [],
        "created_at": run.created_at,
        "updated_at": run.updated_at,
        "run_started_at": run.created_at,
        "actor": user(urls, run.actor),
        "triggering_actor": user(urls, run.actor),
        "jobs_url": f"{api}/jobs",
        "logs_url": f"{api}/logs",
        "check_suite_url": urls.repo(repo, f"/check-suites/{run.id + 1}"),
        "artifacts_url": f"{api}/artifacts",
        "cancel_url": f"{api}/cancel",
        "rerun_url": f"{api}/rerun",
        "previous_attempt_url": None,
        "workflow_url": urls.repo(repo, f"/actions/workflows/{run.workflow_id}"),
        "head_commit": _simple_commit(run.head_sha, head),
        "repository": minimal,
        "head_repository": minimal,
    }


def _simple_commit(sha: str, head: Commit | None) -> Body | None:
    if head is None:
        return None
    return {
        "id": sha,
        "tree_id": head.tree,
        "message": head.message,
        "timestamp": head.committer.date,
        "author": {"name": head.author.name, "email": head.author.email},
        "committer": {"name": head.committer.name, "email": head.committer.email},
    }
