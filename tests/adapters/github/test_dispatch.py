"""The runner workflow from the Actions API: dispatched with its inputs, runs matched, cancelled."""

from __future__ import annotations

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import (
    JOB_RESULT,
    MAX_INPUT,
    WorkflowLauncher,
    cancel_run,
    runner_inputs,
    send_event,
    send_job_result,
)
from prime_action.domain.errors import GitHubError
from prime_action.domain.models import Attempt, RunSheetItem
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.faults import Fault
from testing.github import FakeGitHub
from tests.values import NOW

ORG = "acme/.github"


def _item(**extra: object) -> RunSheetItem:
    return RunSheetItem.model_validate(
        {"rank": 1, "repo": "acme/api", "signal": "ci", "runner": "agent", "reason": "red",
         "approach": "fix the build", "cooldown_hours": 0, "added_at": NOW, **extra}
    )  # fmt: skip


def _attempt(attempt_id: str = "a1") -> Attempt:
    return Attempt(
        id=attempt_id, repo="acme/api", signal="ci", runner="agent", created_at=NOW, updated_at=NOW
    )


def _org(fake: FakeGitHub) -> None:
    fake.add_repo(ORG, {RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=False)})


def _launcher(client: GitHubClient, slept: list[float] | None = None) -> WorkflowLauncher:
    sleep = slept.append if slept is not None else (lambda _: None)
    return WorkflowLauncher(client, ORG, "main", spacing=0.5, sleep=sleep)


@pytest.mark.parametrize(
    ("extra", "ref"),
    [({}, None), ({"ref": "prime/ci"}, "prime/ci"), ({"ref": ""}, None), ({"ref": 7}, None)],
)
def test_runner_inputs_carry_a_ref_only_when_the_item_names_a_branch(
    extra: dict[str, object], ref: str | None
) -> None:
    inputs = runner_inputs(_attempt(), _item(**extra))
    assert inputs.get("ref") == ref
    assert {k: inputs[k] for k in ("attempt", "repo", "signal", "runner")} == {
        "attempt": "a1", "repo": "acme/api", "signal": "ci", "runner": "agent"
    }  # fmt: skip


def test_a_long_approach_is_cut_to_the_input_limit() -> None:
    inputs = runner_inputs(_attempt(), _item(approach="x" * (MAX_INPUT + 50)))
    assert len(inputs["approach"]) == MAX_INPUT


def test_launch_dispatches_the_runner_and_returns_the_new_runs_id(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    _org(fake_github)
    run_id = _launcher(client).launch(_attempt(), _item())
    [sent] = fake_github.dispatches
    assert (sent.repo, sent.path, sent.ref) == (ORG, RUNNER_WORKFLOW_PATH, "main")
    assert sent.inputs == runner_inputs(_attempt(), _item())
    assert run_id == sent.run_id


def test_a_dispatch_answered_with_a_5xx_is_not_sent_twice(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    _org(fake_github)
    fake_github.fail_matching(
        lambda r: r.template.endswith("/dispatches"), Fault.APPLIED_THEN_ERROR
    )
    with pytest.raises(GitHubError, match=r"dispatch prime-run\.yml for a1: GitHub answered 502"):
        _launcher(client).launch(_attempt(), _item())
    assert len(fake_github.dispatches) == 1  # GitHub started it; a rerun reconciles by run-name


def test_started_matches_runs_to_attempts_by_their_run_name_in_one_request(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    _org(fake_github)
    launcher = _launcher(client)
    first = launcher.launch(_attempt("a1"), _item())
    second = launcher.launch(_attempt("a2"), _item())
    fake_github.reset_counts()
    found = launcher.started(frozenset({"a1", "a2", "a3"}))
    assert found == {"a1": first, "a2": second}
    # The lazy client reads the runs by the workflow's file name: no request for the workflow.
    assert fake_github.requests == [("GET", f"/repos/{ORG}/actions/workflows/prime-run.yml/runs")]


def test_available_says_whether_the_runner_workflow_exists(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    _org(fake_github)
    fake_github.add_repo("acme/bare")
    assert _launcher(client).available() is True
    assert WorkflowLauncher(client, "acme/bare", "main").available() is False


def test_pause_spaces_dispatches_and_a_zero_spacing_never_sleeps(client: GitHubClient) -> None:
    slept: list[float] = []
    _launcher(client, slept).pause()
    WorkflowLauncher(client, ORG, "main", spacing=0, sleep=slept.append).pause()
    assert slept == [0.5]


def test_cancel_run_cancels_a_running_run_and_a_finished_one_answers_409(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    _org(fake_github)
    run_id = _launcher(client).launch(_attempt(), _item())
    assert run_id is not None
    fake_github.set_run(ORG, run_id, status="in_progress", conclusion=None)
    cancel_run(client, ORG, run_id)
    assert fake_github.repos[ORG].runs[run_id].conclusion == "cancelled"
    with pytest.raises(GitHubError, match=r"cancel run .*409") as caught:
        cancel_run(client, ORG, run_id)
    assert caught.value.status == 409


def test_a_job_result_is_one_repository_dispatch_with_its_payload(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo("acme/api")
    fake_github.reset_counts()
    send_job_result(client, "acme/api", {"attempt": "a1", "status": "success"})
    [sent] = fake_github.repository_dispatches
    assert (sent.repo, sent.event_type) == ("acme/api", JOB_RESULT)
    assert sent.client_payload == {"attempt": "a1", "status": "success"}
    assert fake_github.requests == [("POST", "/repos/acme/api/dispatches")]


def test_an_event_to_a_missing_repository_is_a_404(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    with pytest.raises(GitHubError) as caught:
        send_event(client, "acme/gone", "prime-delegate", {})
    assert caught.value.status == 404
