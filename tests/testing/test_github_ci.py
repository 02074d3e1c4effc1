"""The fake's CI evidence: annotations, jobs with steps, job logs behind a 302, re-runs."""

from __future__ import annotations

import github
import pytest
import requests

from testing import FakeGitHub
from testing.ci import LOG_HOST, Attempt, fail_ci, finish_reruns
from testing.state import Annotation


@pytest.fixture
def repo(fake_github: FakeGitHub, github_client: github.Github) -> github.Repository.Repository:
    fake_github.add_repo("acme/api", {"README.md": "# api\n"})
    return github_client.get_repo("acme/api")


def _checks(repo: github.Repository.Repository) -> dict[str, tuple[str, str | None]]:
    return {r.name: (r.status, r.conclusion) for r in repo.get_commit("main").get_check_runs()}


def test_a_failing_job_is_a_check_run_with_its_annotations(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    note = Annotation("src/app.py", 12, "assert 1 == 2")
    fail_ci(fake_github, "acme/api", annotations=[note])
    runs = {r.name: r for r in repo.get_commit("main").get_check_runs()}
    assert runs["test"].conclusion == "failure"
    assert runs["test"].output.annotations_count == 1
    [found] = runs["test"].get_annotations()
    assert (found.path, found.start_line, found.message) == ("src/app.py", 12, "assert 1 == 2")
    assert runs["build"].output.annotations_count == 0


def test_a_job_shares_its_check_runs_id_and_names_its_failing_step(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    run = fail_ci(fake_github, "acme/api", step="Run pytest")
    check = next(r for r in repo.get_commit("main").get_check_runs() if r.name == "test")
    job = repo.get_workflow_job(check.id)
    assert (job.run_id, job.run_attempt, job.conclusion) == (run.id, 1, "failure")
    assert [(s.name, s.conclusion) for s in job.steps] == [
        ("Set up job", "success"),
        ("Run pytest", "failure"),
        ("Complete job", "skipped"),
    ]
    listed = repo.get_workflow_run(run.id).jobs()
    assert sorted(j.name for j in listed) == ["build", "test"]


def test_job_logs_answer_302_to_a_signed_url_on_another_host(
    fake_github: FakeGitHub, repo: github.Repository.Repository
) -> None:
    fail_ci(fake_github, "acme/api", log="collecting\nE   boom\n")
    check = next(r for r in repo.get_commit("main").get_check_runs() if r.name == "test")
    location = repo.get_workflow_job(check.id).logs_url()
    assert location.startswith(LOG_HOST)
    assert requests.get(location, timeout=5).text == "collecting\nE   boom\n"
    assert fake_github.log[-2].status == 302
    assert fake_github.take_violations() == []


@pytest.mark.parametrize(
    ("then", "after"),
    [
        ((), ("completed", "success")),
        ((Attempt("failure", "Run tests", "E again"),), ("completed", "failure")),
    ],
)
def test_a_rerun_of_failed_jobs_is_queued_then_finishes_as_scripted(
    fake_github: FakeGitHub,
    repo: github.Repository.Repository,
    then: tuple[Attempt, ...],
    after: tuple[str, str],
) -> None:
    run = fail_ci(fake_github, "acme/api", then=then)
    assert repo.get_workflow_run(run.id).rerun_failed_jobs()
    assert _checks(repo) == {"build": ("completed", "success"), "test": ("in_progress", None)}
    # A run already going again is refused (403): PyGithub answers False.
    assert not repo.get_workflow_run(run.id).rerun_failed_jobs()
    assert fake_github.log[-1].status == 403
    finish_reruns(fake_github, "acme/api")
    assert _checks(repo)["test"] == after
    again = repo.get_workflow_run(run.id)
    assert again.run_attempt == 2
    assert again.conclusion == after[1]
