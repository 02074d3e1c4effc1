"""Org Prime end to end over the fake GitHub, GraphQL included (every query schema-checked)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.org_run import OrgRun, org_on_github, summary_of
from prime_action.cli import main
from prime_action.org.dashboard import ORG_DASHBOARD
from prime_action.org.runsheet import contiguous, load
from prime_action.schemas import shipped
from prime_action.testing.github import FakeGitHub
from prime_action.testing.graphql import FakeGraphQL
from tests.e2e.org_world import NOW, ORG_REPO, OWNER, actions_env, build_org


def _run(fake: FakeGitHub, tmp: Path, **env: str) -> OrgRun:
    environ = actions_env(fake, tmp) | env
    client = GitHubClient("t0ken", fake.base_url, write_spacing=0)
    try:
        return org_on_github(ActionsEnv.from_environ(environ), client, NOW)
    finally:
        client.close()


@pytest.fixture
def graphql(fake_github: FakeGitHub) -> FakeGraphQL:
    return FakeGraphQL().install(fake_github)


def test_an_org_of_200_repositories_gives_a_valid_ranked_run_sheet_in_few_requests(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    kept = build_org(fake_github, 200)
    graphql.deny(f"{OWNER}/svc-0005")
    fake_github.reset_counts()
    run = _run(fake_github, tmp_path)
    print(
        f"\n200 repositories: aggregation took {run.aggregation_requests} GitHub requests "
        f"({len(graphql.calls)} GraphQL calls, cost {sum(c.cost for c in graphql.calls)} points); "
        f"whole run {run.requests} requests, {run.writes} writes"
    )
    assert run.aggregation_requests <= 12
    text = fake_github.read(ORG_REPO, "run-sheet.json")
    assert text is not None
    rows = json.loads(text)
    jsonschema.validate(rows, json.loads(shipped("run-sheet")))
    items, problem = load(text)
    assert problem is None
    assert contiguous(items)
    assert len(items) > 100
    assert items[0].signal == "ci"
    assert {i.repo for i in items} <= {*kept, ORG_REPO}
    assert any(i.runner == "fileops" and i.signal == "dependabot" for i in items)
    assert fake_github.read(ORG_REPO, "STATUS.md") is not None
    assert any(ORG_DASHBOARD in (i.body or "") for i in fake_github.issues(ORG_REPO))
    assert run.dispatched
    assert fake_github.dispatches[-1].path.endswith("prime-dispatch.yml")
    assert "acme/svc-0005" in summary_of(run, NOW)


def test_a_second_run_with_nothing_changed_writes_nothing(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 60)
    _run(fake_github, tmp_path)
    head = fake_github.ref(ORG_REPO, "main")
    dispatches = len(fake_github.dispatches)
    graphql.calls.clear()
    fake_github.reset_counts()
    run = _run(fake_github, tmp_path)
    assert not run.committed
    assert not run.dashboard_written
    assert not run.dispatched
    assert fake_github.ref(ORG_REPO, "main") == head
    assert graphql.mutations == []
    assert run.writes == 0
    assert len(fake_github.dispatches) == dispatches
    assert "unchanged, nothing committed" in summary_of(run, NOW)


def test_repositories_that_404_or_deny_access_are_reported_and_the_others_ranked(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 30)
    graphql.deny(f"{OWNER}/svc-0001")
    gone = f"{OWNER}/svc-0002"

    def delete(fake: FakeGitHub, call: object) -> None:
        del fake.repos[gone]

    graphql.after(lambda call: call.name == "OrgRepositories", delete)
    run = _run(fake_github, tmp_path)
    errors = {r.repo: r.error for r in run.outcome.view.errors}
    assert "FORBIDDEN" in (errors[f"{OWNER}/svc-0001"] or "")
    assert "NOT_FOUND" in (errors[gone] or "")
    summary = summary_of(run, NOW)
    assert f"{OWNER}/svc-0001" in summary
    assert gone in summary
    assert len(run.outcome.run_sheet) > 10


def test_priority_commands_on_the_dashboard_are_persisted_shown_and_answered_once(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 20)
    _run(fake_github, tmp_path)
    (dashboard,) = [i for i in fake_github.issues(ORG_REPO) if ORG_DASHBOARD in (i.body or "")]
    fake_github.add_comment(
        ORG_REPO,
        dashboard.number,
        '/prime priority repo:acme/svc-0014 +50 "customers wait"',
        author_association="MEMBER",
    )
    fake_github.add_comment(
        ORG_REPO,
        dashboard.number,
        "/prime priority signal:ci +5",
        user="stranger",
        author_association="NONE",
    )
    run = _run(fake_github, tmp_path)
    assert run.outcome.state.priorities["repo:acme/svc-0014"].weight == 50
    assert "signal:ci" not in run.outcome.state.priorities
    state = fake_github.read(ORG_REPO, "org-state.json", ref="prime-state")
    assert state is not None
    assert "customers wait" in state
    body = fake_github.issues(ORG_REPO)[dashboard.number - 1].body or ""
    assert "`repo:acme/svc-0014` | +50 | customers wait | @octocat" in body
    top = next(i for i in run.outcome.run_sheet if i.signal != "ci")
    assert top.repo == "acme/svc-0014"
    replies = [
        c for c in fake_github.comments(ORG_REPO, dashboard.number) if "prime:comment" in c.body
    ]
    assert len(replies) == 1
    assert "+50" in replies[0].body
    _run(fake_github, tmp_path)
    again = [
        c for c in fake_github.comments(ORG_REPO, dashboard.number) if "prime:comment" in c.body
    ]
    assert len(again) == 1


def test_a_prime_flag_wakes_org_prime_and_is_listed_on_the_dashboard(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 8)
    payload = {
        "action": "prime-flag",
        "client_payload": {"repo": "acme/svc-0003", "signal": "ci", "reason": "needs org secret"},
    }
    env = actions_env(fake_github, tmp_path, "repository_dispatch", json.dumps(payload))
    client = GitHubClient("t0ken", fake_github.base_url, write_spacing=0)
    run = org_on_github(ActionsEnv.from_environ(env), client, NOW)
    client.close()
    assert "acme/svc-0003 `ci`: needs org secret" in run.outcome.dashboard


def test_prime_org_runs_from_the_cli_and_never_prints_the_token(
    fake_github: FakeGitHub,
    graphql: FakeGraphQL,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    build_org(fake_github, 10)
    for key, value in actions_env(fake_github, tmp_path).items():
        monkeypatch.setenv(key, value)
    assert main(["org"]) == 0
    out = capsys.readouterr().out
    summary = (tmp_path / "summary.md").read_text()
    assert "## Org Prime: acme" in summary
    assert "GitHub requests:" in summary
    assert "t0ken-never-printed" not in out + summary
