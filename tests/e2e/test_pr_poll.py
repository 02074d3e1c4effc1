"""Prime's PRs reach merge without events: a plain scheduled wake polls them, runs the growth
gate, automerges opted-in PRs (natively when the repository allows it) and says on the
dashboard what waits and why."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.domain.clock import FixedClock, SystemClock
from prime_action.domain.markers import DASHBOARD
from prime_action.flows import wake as wake_flow
from prime_action.runners.boundary import branch_name
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from testing.graphql import FakeGraphQL
from testing.llm import STUB_API_KEY, OpenAIStub, openai_stub
from tests.e2e.harness import FILES, REPO, Actions, prime_state
from tests.e2e.test_agent_gate import SOLO, fresh_install
from tests.e2e.test_data_plane import DataPlane
from tests.e2e.test_growth import CONFIG, SEED, SHORT, TOKENIZER, agent, client, tickets
from tests.e2e.test_llm_reviewer import BRAIN_IDLE, changes, reviews

__all__ = ["client", "openai_stub"]
FILEOPS = "prime/fileops"


def later(monkeypatch: pytest.MonkeyPatch, hours: float) -> datetime:
    """The wakes from now on run `hours` later (past the last wake's next_wake_at)."""
    moment = SystemClock().now() + timedelta(hours=hours)
    monkeypatch.setattr(wake_flow, "SystemClock", lambda: FixedClock(moment))
    return moment


def dashboard(fake: FakeGitHub, repo: str) -> str:
    """The dashboard's body."""
    return next(i.body or "" for i in fake.issues(repo) if DASHBOARD in (i.body or ""))


def growth_pull(
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    client: GitHubClient,
    config: str = CONFIG,
) -> tuple[Actions, int, int]:
    """A standalone growth repository whose architect opened the tokenizer's ticket and whose
    implementer opened its PR: the Actions runner, the ticket and the PR."""
    files = {**FILES, "seed.yaml": SEED, ".github/prime.yml": config,
             RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True)}  # fmt: skip
    fake.clock.set(SystemClock().now())  # the wake's clock: the PR is not months old
    fake.add_repo(REPO, files)
    actions = Actions(fake, tmp_path, monkeypatch)
    assert actions.run("workflow_dispatch")[0] == 0
    assert actions.run("workflow_dispatch")[0] == 0
    ticket = tickets(fake)[TOKENIZER][0]
    return actions, ticket, agent(client, TOKENIZER, {"src/core/tokens.py": SHORT}, ticket)


def test_a_green_growth_pr_is_merged_by_a_plain_scheduled_wake(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    client: GitHubClient,
) -> None:
    actions, ticket, pull = growth_pull(fake_github, tmp_path, monkeypatch, client)
    # The PR's checks are still running: the scheduled wake waits and comes back soon.
    fake_github.set_ci(REPO, "pending", checks=["CI"], ref=branch_name(TOKENIZER))
    now = later(monkeypatch, 7)
    assert actions.run("schedule")[0] == 0
    state = prime_state(fake_github)
    assert state.next_wake_at is not None
    assert state.next_wake_at <= now + timedelta(hours=1)
    assert f"#{pull}: 0 of 1 checks" not in dashboard(fake_github, REPO)
    assert f"#{pull}: 1 of 1 checks still running" in dashboard(fake_github, REPO)

    # Green, and no PR or CI event: the next tick merges it and the ticket closes.
    fake_github.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    later(monkeypatch, 8.5)
    code, summary = actions.run("schedule")
    assert code == 0
    assert f"merged PR #{pull} for ticket #{ticket}" in summary
    (merged,) = [p for p in fake_github.pulls(REPO) if p.number == pull]
    assert merged.pull is not None
    assert merged.pull.merged
    assert fake_github.read(REPO, "src/core/tokens.py") == SHORT
    assert tickets(fake_github)[TOKENIZER][1] == "closed"
    assert len(prime_state(fake_github).growth.cycles[-1].merged) == 1
    assert fake_github.take_violations() == []


@pytest.fixture
def solo(plane: DataPlane, fake_github: FakeGitHub, tmp_path: Path) -> DataPlane:
    """A fresh standalone install opted in to automerge of fileops PRs, with its fileops PR
    open (the wake dispatched the job, the runner opened the PR)."""
    fresh_install(fake_github, tmp_path)
    config = fake_github.read(SOLO, ".github/prime.yml") or ""
    fake_github.push(SOLO, {".github/prime.yml": f"{config}\nautomerge: [fileops]\n"})
    assert plane.wake(SOLO, "workflow_dispatch")[0] == 0
    for index in range(len(fake_github.dispatches)):
        plane.runner(index, repo=SOLO)
    assert [p.pull.head for p in fake_github.pulls(SOLO) if p.pull] == [FILEOPS]
    return plane


def fileops_pull(fake: FakeGitHub) -> int:
    """The open fileops PR's number."""
    return next(p.number for p in fake.pulls(SOLO) if p.pull and p.pull.head == FILEOPS)


def merged(fake: FakeGitHub, number: int) -> bool:
    """Whether the PR is merged."""
    found = next(p for p in fake.pulls(SOLO) if p.number == number)
    return bool(found.pull and found.pull.merged)


def test_an_opted_in_fileops_pr_is_merged_once_after_green_checks(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = fileops_pull(fake_github)
    fake_github.set_ci(SOLO, "pending", checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 7)
    assert solo.wake(SOLO, "schedule")[0] == 0
    assert not merged(fake_github, number)
    assert f"#{number}: automerge after every check passes" in dashboard(fake_github, SOLO)

    fake_github.set_ci(SOLO, checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 8.5)
    comments = len(fake_github.comments(SOLO, number))
    code, summary = solo.wake(SOLO, "schedule")
    assert code == 0
    assert f"merged PR #{number} (automerge" in summary
    assert merged(fake_github, number)
    # A rerun merges and comments nothing more.
    later(monkeypatch, 10)
    code, summary = solo.wake(SOLO, "schedule")
    assert "automerge" not in summary
    assert len(fake_github.comments(SOLO, number)) == comments
    assert "Waiting to merge" not in dashboard(fake_github, SOLO)
    assert fake_github.take_violations() == []


def test_automerge_waits_for_a_required_check_of_the_base_branch(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = fileops_pull(fake_github)
    fake_github.repos[SOLO].required_checks["main"] = ["lint"]
    fake_github.set_ci(SOLO, checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 7)
    assert solo.wake(SOLO, "schedule")[0] == 0
    assert not merged(fake_github, number)
    assert f"#{number}: required check lint has not passed" in dashboard(fake_github, SOLO)
    fake_github.set_ci(SOLO, checks=["CI", "lint"], ref=FILEOPS)
    later(monkeypatch, 8.5)
    assert solo.wake(SOLO, "schedule")[0] == 0
    assert merged(fake_github, number)
    assert fake_github.take_violations() == []


def test_automerge_waits_for_a_code_owner_of_a_touched_path(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = fileops_pull(fake_github)
    fake_github.push(SOLO, {".github/CODEOWNERS": "* @alice\n"})
    fake_github.set_ci(SOLO, checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 7)
    assert solo.wake(SOLO, "schedule")[0] == 0
    assert not merged(fake_github, number)
    assert f"#{number}: not merged: waits for an approval from CODEOWNERS @alice" in dashboard(
        fake_github, SOLO
    )
    # Once the owner approves, the next tick merges it.
    pull = next(p.pull for p in fake_github.pulls(SOLO) if p.number == number)
    assert pull is not None
    pull.reviews.append(("alice", "APPROVED", 1))
    later(monkeypatch, 8.5)
    assert solo.wake(SOLO, "schedule")[0] == 0
    assert merged(fake_github, number)


def test_automerge_leaves_a_pr_carrying_a_persons_commit_to_a_person(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = fileops_pull(fake_github)
    # A maintainer adds a change of their own to Prime's branch: the opt-in covers Prime's.
    fake_github.push(SOLO, {"src/extra.py": "X = 1\n"}, branch=FILEOPS, message="Add extra")
    fake_github.set_ci(SOLO, checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 7)
    assert solo.wake(SOLO, "schedule")[0] == 0
    assert not merged(fake_github, number)
    said = f"#{number}: not merged: it carries 1 commit(s) Prime did not write: a person merges it"
    assert said in dashboard(fake_github, SOLO)
    assert fake_github.take_violations() == []


def test_github_native_auto_merge_is_used_when_the_repository_allows_it(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    graphql = fake_github.graphql_handler
    assert isinstance(graphql, FakeGraphQL)
    fake_github.repos[SOLO].allow_auto_merge = True
    number = fileops_pull(fake_github)
    fake_github.set_ci(SOLO, "pending", checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 7)
    code, summary = solo.wake(SOLO, "schedule")
    assert code == 0
    assert f"turned GitHub's auto-merge on for PR #{number}" in summary
    enabled = [c for c in graphql.mutations if c.fields == ("enablePullRequestAutoMerge",)]
    assert len(enabled) == 1
    assert not merged(fake_github, number)
    # A rerun while checks run enables nothing again; GitHub merges once they pass.
    later(monkeypatch, 8.5)
    fake_github.reset_counts()
    assert solo.wake(SOLO, "schedule")[0] == 0
    assert len([c for c in graphql.mutations if c.fields == enabled[0].fields]) == 1
    assert not [p for _, p in fake_github.requests if f"/pulls/{number}/" in p]  # no guard read
    fake_github.set_ci(SOLO, checks=["CI"], ref=FILEOPS)
    assert merged(fake_github, number)


def test_a_push_that_breaks_the_guard_turns_github_s_auto_merge_off(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.repos[SOLO].allow_auto_merge = True
    number = fileops_pull(fake_github)
    fake_github.set_ci(SOLO, "pending", checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 7)
    assert solo.wake(SOLO, "schedule")[0] == 0
    # Someone pushes a workflow onto the PR's branch while auto-merge is on.
    fake_github.push(SOLO, {".github/workflows/x.yml": "on: push\n"}, branch=FILEOPS)
    fake_github.set_ci(SOLO, "pending", checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 8.5)
    code, summary = solo.wake(SOLO, "schedule")
    assert code == 0
    assert "it changes .github/workflows/x.yml" in summary
    fake_github.set_ci(SOLO, checks=["CI"], ref=FILEOPS)
    assert not merged(fake_github, number)
    assert f"#{number}: not merged: it changes .github/workflows/x.yml" in dashboard(
        fake_github, SOLO
    )


def test_a_prime_pr_without_any_check_gets_the_app_token_advice(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = fileops_pull(fake_github)
    later(monkeypatch, 7)
    assert solo.wake(SOLO, "schedule")[0] == 0
    body = dashboard(fake_github, SOLO)
    assert f"#{number}: its head has no check run and no status" in body
    assert "GitHub App token (or a PAT)" in body
    assert not merged(fake_github, number)


def head_reads(fake: FakeGitHub, sha: str) -> list[str]:
    """The paths of the requests that read a commit's check runs or statuses."""
    return [path for _, path in fake.requests if f"/commits/{sha}/" in path]


def test_the_poll_costs_two_reads_per_prime_pr_and_none_without_one(
    plane: DataPlane, fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_install(fake_github, tmp_path)
    assert plane.wake(SOLO, "workflow_dispatch")[0] == 0
    later(monkeypatch, 7)
    fake_github.reset_counts()
    assert plane.wake(SOLO, "schedule")[0] == 0
    # No Prime PR open: only the default branch's checks are read, as before the poll.
    assert [p for _, p in fake_github.requests if "/check-runs" in p] == [
        f"/repos/{SOLO}/commits/main/check-runs"
    ]
    for index in range(len(fake_github.dispatches)):
        plane.runner(index, repo=SOLO)
    sha = fake_github.set_ci(SOLO, "pending", checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 14)
    fake_github.reset_counts()
    assert plane.wake(SOLO, "schedule")[0] == 0
    assert sorted(head_reads(fake_github, sha)) == [
        f"/repos/{SOLO}/commits/{sha}/check-runs",
        f"/repos/{SOLO}/commits/{sha}/status",
    ]
    # Not opted in: the repository's auto-merge setting is never read.
    assert ("GET", f"/repos/{SOLO}") not in fake_github.requests


def test_a_dry_run_lists_the_merge_and_makes_none(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = fileops_pull(fake_github)
    fake_github.set_ci(SOLO, checks=["CI"], ref=FILEOPS)
    later(monkeypatch, 7)
    monkeypatch.setenv("PRIME_DRY_RUN", "true")
    fake_github.reset_counts()
    code, summary = solo.wake(SOLO, "schedule")
    assert code == 0
    assert f"automerge (when allowed) PR #{number}" in summary
    assert not merged(fake_github, number)
    assert fake_github.writes == 0


def test_an_unknown_automerge_name_is_a_config_error_naming_file_and_field(
    plane: DataPlane, fake_github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh_install(fake_github, tmp_path)
    fake_github.push(SOLO, {".github/prime.yml": "automerge: [editorconfg]\n"})
    assert plane.wake(SOLO, "workflow_dispatch")[0] == 2
    err = capsys.readouterr().err
    assert ".github/prime.yml:1: automerge: editorconfg is no signal or runner name" in err


def test_a_conflicted_growth_pr_goes_back_to_the_implementer_once(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    client: GitHubClient,
) -> None:
    actions, _, pull = growth_pull(fake_github, tmp_path, monkeypatch, client)
    # A person changes the same file on main: GitHub cannot merge the PR in (dirty).
    fake_github.push(REPO, {"src/core/tokens.py": "def tokens(text):\n    return [text]\n"})
    before = len(fake_github.dispatches)
    code, summary = actions.run("workflow_dispatch")
    assert code == 0
    assert f"sent PR #{pull} back: it conflicts with main" in summary
    (rework,) = [d for d in fake_github.dispatches[before:] if d.inputs["signal"] == TOKENIZER]
    assert (rework.inputs["signal"], rework.inputs["ref"]) == (TOKENIZER, branch_name(TOKENIZER))
    assert "merge main in" in rework.inputs["approach"]
    said = [c for c in fake_github.comments(REPO, pull) if "conflicts with this PR" in c.body]
    assert len(said) == 1
    # A rerun on the same head sends nothing again.
    done = len(fake_github.dispatches)
    actions.run("workflow_dispatch")
    assert [d for d in fake_github.dispatches[done:] if d.inputs["signal"] == TOKENIZER] == []
    assert len([c for c in fake_github.comments(REPO, pull) if "conflicts" in c.body]) == 1
    assert fake_github.take_violations() == []


@pytest.mark.slow
def test_the_poll_asks_the_llm_reviewer_once_per_head_and_its_changes_hold_the_merge(
    fake_github: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    client: GitHubClient,
    openai_stub: OpenAIStub,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", STUB_API_KEY)
    config = f"{CONFIG}brain:\n  api_base: {openai_stub.base_url}\n"
    actions, _, pull = growth_pull(fake_github, tmp_path, monkeypatch, client, config)
    fake_github.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    # The poll's review comes first, then the brain's one decision of the wake.
    openai_stub.answer(changes(), BRAIN_IDLE)
    model = {"PRIME_MODEL": "openai/gpt-4o-mini"}
    later(monkeypatch, 7)
    code, summary = actions.run("schedule", inputs=model)
    assert code == 0
    assert f"PR #{pull} sent back (round 1): 1 finding(s)" in summary
    assert "DATA from the pull request's diff" in openai_stub.requests[0]["messages"][1]["content"]
    assert len(reviews(fake_github, pull)) == 1
    (held,) = [p.pull for p in fake_github.pulls(REPO) if p.number == pull]
    assert held is not None
    assert not held.merged

    # The next tick on the same head: the brain's decision only; no review, no merge.
    openai_stub.answer(BRAIN_IDLE)
    asked = len(openai_stub.requests)
    later(monkeypatch, 14)
    assert actions.run("schedule", inputs=model)[0] == 0
    assert len(openai_stub.requests) <= asked + 1
    assert len(reviews(fake_github, pull)) == 1
    assert fake_github.take_violations() == []
