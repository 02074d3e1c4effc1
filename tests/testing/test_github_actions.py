"""CI results, workflow dispatches, runs and repository dispatches of the fake GitHub."""

from __future__ import annotations

import github
import pytest

from testing import FakeGitHub

RUNNER = """\
name: Prime runner
on:
  workflow_dispatch:
    inputs:
      signal:
        required: true
      runner:
        default: fileops
"""
FILES = {".github/workflows/prime-runner.yml": RUNNER, ".github/workflows/ci.yml": "on: push\n"}


@pytest.fixture
def repo(fake_github: FakeGitHub, github_client: github.Github) -> github.Repository.Repository:
    fake_github.add_repo("acme/api", FILES)
    return github_client.get_repo("acme/api")


def test_failing_checks_and_statuses_are_reported(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    sha = fake_github.set_ci("acme/api", failing=["lint"], statuses={"ci/legacy": "success"})
    commit = repo.get_commit("main")
    runs = {run.name: run.conclusion for run in commit.get_check_runs()}
    assert runs == {"build": "success", "test": "success", "lint": "failure"}
    combined = commit.get_combined_status()
    assert (combined.state, combined.sha) == ("success", sha)
    assert [s.context for s in combined.statuses] == ["ci/legacy"]


def test_pending_ci_has_no_conclusion(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fake_github.set_ci("acme/api", "pending", checks=["build"])
    [run] = repo.get_commit("main").get_check_runs()
    assert run.status == "in_progress"
    assert run.conclusion is None
    assert repo.get_commit("main").get_combined_status().state == "pending"


def test_workflow_dispatch_is_recorded_with_a_run(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    workflow = repo.get_workflow("prime-runner.yml")
    assert workflow.create_dispatch("main", {"signal": "ci"}, throw=True)
    [dispatch] = fake_github.dispatches
    assert (dispatch.repo, dispatch.path, dispatch.ref) == (
        "acme/api",
        ".github/workflows/prime-runner.yml",
        "main",
    )
    assert dispatch.inputs == {"signal": "ci"}
    run = repo.get_workflow_run(dispatch.run_id)
    assert (run.event, run.status, run.head_branch) == ("workflow_dispatch", "queued", "main")
    fake_github.set_run("acme/api", dispatch.run_id, conclusion="failure")
    assert repo.get_workflow_run(dispatch.run_id).conclusion == "failure"


def test_workflow_dispatch_can_return_the_run(repo: github.Repository.Repository) -> None:
    run = repo.get_workflow("prime-runner.yml").create_dispatch(
        "main", {"signal": "ci"}, throw=True, return_run_details=True
    )
    assert run.id > 0
    assert repo.get_workflow("prime-runner.yml").name == "Prime runner"
    assert [r.id for r in repo.get_workflow_runs(event="workflow_dispatch")] == [run.id]


@pytest.mark.parametrize(
    ("workflow", "ref", "inputs", "message"),
    [
        ("ci.yml", "main", {}, "Workflow does not have 'workflow_dispatch' trigger"),
        ("prime-runner.yml", "nope", {"signal": "ci"}, "No ref found for: nope"),
        ("prime-runner.yml", "main", {}, "Required input 'signal' not provided"),
        (
            "prime-runner.yml",
            "main",
            {"signal": "ci", "x": "1"},
            "Unexpected inputs provided: ['x']",
        ),
    ],
)
def test_workflow_dispatch_is_refused_like_github_does(
    repo: github.Repository.Repository,
    workflow: str,
    ref: str,
    inputs: dict[str, str],
    message: str,
) -> None:
    with pytest.raises(github.GithubException) as caught:
        repo.get_workflow(workflow).create_dispatch(ref, inputs, throw=True)
    assert (caught.value.status, caught.value.data["message"]) == (422, message)


def test_a_run_is_cancelled_once(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    repo.get_workflow("prime-runner.yml").create_dispatch("main", {"signal": "ci"}, throw=True)
    run = repo.get_workflow_run(fake_github.dispatches[0].run_id)
    assert run.cancel()
    assert repo.get_workflow_run(run.id).conclusion == "cancelled"
    assert not run.cancel()  # PyGithub turns the 409 into False
    assert fake_github.log[-1].status == 409


def test_repository_dispatch_is_recorded(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    assert repo.create_repository_dispatch("prime-job-result", {"signal": "ci"})
    [event] = fake_github.repository_dispatches
    assert (event.repo, event.event_type, event.client_payload) == (
        "acme/api",
        "prime-job-result",
        {"signal": "ci"},
    )
    assert fake_github.writes == 1
