"""`prime onboard` over the fake GitHub: one PR per selected repository, never twice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.cli import main
from prime_action.config.loader import parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.domain.release import ACTION_REPOSITORY
from prime_action.flows.onboard import MARKER, OnboardRun, onboard_on_github
from prime_action.org.model import OrgState
from testing.github import FakeGitHub
from tests.e2e.org_world import NOW, ORG_REPO, OWNER, actions_env

SHA = "4f3c2b1a09876543210fedcba98765432100abcd"
PINNED = f"{ACTION_REPOSITORY}@{SHA}"
CI = "name: Tests\non: [push, pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"  # noqa: E501
REPOS = [f"{OWNER}/{name}" for name in ("api", "web", "old", "legacy", "svc")]


def build(fake: FakeGitHub, onboarding: str) -> None:
    """The org repository and an org of 5: 2 onboarded, 1 archived, 1 opted out, 1 new."""
    fake.add_repo(ORG_REPO, {".github/prime-org.yml": f"version: 1\nonboarding: {onboarding}\n"})
    fake.add_repo(f"{OWNER}/api", {".github/workflows/prime.yml": "name: Prime\n", "a.py": "1\n"})
    fake.add_repo(f"{OWNER}/web", {"index.html": "<p>\n"})
    fake.push(f"{OWNER}/web", {"state.json": "{}"}, branch="prime-state")
    fake.add_repo(f"{OWNER}/old", {"README.md": "# old\n"}, archived=True)
    fake.add_repo(f"{OWNER}/legacy", {"README.md": "# legacy\n"})
    fake.add_repo(f"{OWNER}/svc", {".github/workflows/ci.yml": CI, "main.go": "package main\n"})


OPT_OUT = "{mode: opt-out, exclude: [legacy]}"


def onboard(fake: FakeGitHub, tmp: Path) -> OnboardRun:
    client = GitHubClient("t0ken", fake.base_url, write_spacing=0)
    try:
        env = ActionsEnv.from_environ(actions_env(fake, tmp))
        return onboard_on_github(env, client, NOW, action_ref=PINNED)
    finally:
        client.close()


def pulls(fake: FakeGitHub) -> dict[str, list[int]]:
    return {repo: [p.number for p in fake.pulls(repo)] for repo in REPOS}


def comments(fake: FakeGitHub) -> int:
    return sum(len(repo.comments) for repo in fake.repos.values())


def state(fake: FakeGitHub) -> OrgState:
    text = fake.read(ORG_REPO, "org-state.json", ref="prime-state")
    assert text is not None
    return OrgState.model_validate_json(text)


def test_an_org_of_five_gets_exactly_one_pr_and_a_rerun_opens_none_and_comments_nowhere(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    build(fake_github, OPT_OUT)

    fake_github.reset_counts()
    run = onboard(fake_github, tmp_path)
    first_requests = len(fake_github.requests)

    assert pulls(fake_github) == {r: ([1] if r == f"{OWNER}/svc" else []) for r in REPOS}
    assert [o.repo for o in run.opened] == [f"{OWNER}/svc"]
    skipped = dict(run.plan.skipped)
    assert skipped == {
        f"{OWNER}/api": "has Prime already",
        f"{OWNER}/web": "has Prime already",
        f"{OWNER}/old": "archived",
        f"{OWNER}/legacy": "opted out (onboarding.exclude)",
        ORG_REPO: "the org repository",
    }
    assert [(o.repo, o.number, o.status) for o in state(fake_github).onboarding] == [
        (f"{OWNER}/svc", 1, "open")
    ]
    print(f"\nonboarding an org of 5: {first_requests} requests, 1 PR")

    fake_github.reset_counts()
    again = onboard(fake_github, tmp_path)

    assert again.opened == ()
    assert pulls(fake_github)[f"{OWNER}/svc"] == [1]
    assert comments(fake_github) == 0
    assert [r for r in fake_github.requests if r[0] != "GET" and r[1] != "/graphql"] == []
    assert again.writes == 0
    assert dict(again.plan.skipped)[f"{OWNER}/svc"] == "onboarding PR #1 is open"


def test_the_onboarding_pr_adds_a_pinned_workflow_and_a_commented_org_mode_config(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    build(fake_github, OPT_OUT)
    onboard(fake_github, tmp_path)

    pull = fake_github.pulls(f"{OWNER}/svc")[0]
    assert (pull.body or "").startswith(MARKER)
    assert "automated" in pull.labels
    branch = "prime/onboarding"
    workflow = fake_github.read(f"{OWNER}/svc", ".github/workflows/prime.yml", ref=branch)
    config = fake_github.read(f"{OWNER}/svc", ".github/prime.yml", ref=branch)
    assert workflow is not None
    assert config is not None
    doc = yaml.safe_load(workflow)
    assert doc[True]["workflow_run"]["workflows"] == ["Tests"]
    assert doc["jobs"]["wake"]["steps"][0]["uses"] == PINNED
    loaded = parse_yaml(config, RepoConfig, ".github/prime.yml")
    assert loaded.jobs.mode == "org"
    assert loaded.jobs.org_repo == ORG_REPO


def test_a_closed_onboarding_pr_is_a_no_even_when_the_memory_is_lost(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    build(fake_github, OPT_OUT)
    onboard(fake_github, tmp_path)
    pull = fake_github.pulls(f"{OWNER}/svc")[0]
    pull.state, pull.closed_at = "closed", fake_github.timestamp()

    onboard(fake_github, tmp_path)
    assert [(o.number, o.status) for o in state(fake_github).onboarding] == [(1, "declined")]

    fake_github.delete_branch(ORG_REPO, "prime-state")  # Org Prime's memory is gone
    run = onboard(fake_github, tmp_path)

    assert run.opened == ()
    assert pulls(fake_github)[f"{OWNER}/svc"] == [1]
    assert [(o.number, o.status) for o in state(fake_github).onboarding] == [(1, "declined")]


def test_opt_in_is_the_default_and_onboards_only_the_listed_repositories(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    build(fake_github, "{repos: [legacy]}")
    run = onboard(fake_github, tmp_path)

    assert [o.repo for o in run.opened] == [f"{OWNER}/legacy"]
    assert dict(run.plan.skipped)[f"{OWNER}/svc"] == "not opted in (onboarding.repos)"


def test_at_most_max_prs_per_run_are_opened_and_the_rest_wait(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    build(fake_github, "{mode: opt-out, max_prs_per_run: 1}")
    first = onboard(fake_github, tmp_path)
    second = onboard(fake_github, tmp_path)
    third = onboard(fake_github, tmp_path)

    assert [o.repo for o in first.opened] == [f"{OWNER}/legacy"]
    assert [o.repo for o in second.opened] == [f"{OWNER}/svc"]
    assert third.opened == ()


def test_onboarding_prs_are_listed_on_the_org_dashboard(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    build(fake_github, OPT_OUT)
    onboard(fake_github, tmp_path)
    environ = actions_env(fake_github, tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in environ.items():
            patch.setenv(key, value)
        assert main(["org"]) == 0

    dashboard = [i for i in fake_github.issues(ORG_REPO) if "org-dashboard" in (i.body or "")]
    assert len(dashboard) == 1
    body = dashboard[0].body or ""
    assert "### Onboarding" in body
    assert f"| {OWNER}/svc | [#1](" in body


def test_onboard_without_a_commit_to_pin_is_a_usage_error(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(fake_github, OPT_OUT)
    for key, value in actions_env(fake_github, tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GITHUB_ACTION_REPOSITORY", raising=False)

    assert main(["onboard", "--ref", "v1"]) == 2
    assert main(["onboard"]) == 2
    assert pulls(fake_github)[f"{OWNER}/svc"] == []
    monkeypatch.setenv("GITHUB_ACTION_REPOSITORY", ACTION_REPOSITORY)
    monkeypatch.setenv("GITHUB_ACTION_REF", SHA)
    assert main(["onboard"]) == 0
    assert pulls(fake_github)[f"{OWNER}/svc"] == [1]
