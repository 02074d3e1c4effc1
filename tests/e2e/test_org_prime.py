"""Org Prime end to end over the fake GitHub, GraphQL included (every query schema-checked)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.brain.llm import Completion, Message
from prime_action.cli import main
from prime_action.domain.errors import GitHubError
from prime_action.flows.org import OrgRun, org_on_github, summary_of
from prime_action.org.dashboard import ORG_DASHBOARD
from prime_action.org.runsheet import contiguous, load
from prime_action.schemas import shipped
from testing.faults import Fault
from testing.github import FakeGitHub
from testing.graphql import FakeGraphQL, GraphQLCall
from testing.llm import FAKE_USAGE
from testing.router import FakeRequest
from tests.e2e.org_world import NOW, ORG_CONFIG, ORG_REPO, OWNER, actions_env, build_org
from tests.values import alias_bomb


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
    assert {i.repo for i in items} <= set(kept)  # never the org repository itself
    assert any(i.runner == "fileops" and i.signal == "dependabot" for i in items)
    assert fake_github.read(ORG_REPO, "STATUS.md") is not None
    assert any(ORG_DASHBOARD in (i.body or "") for i in fake_github.issues(ORG_REPO))
    assert run.dispatched
    assert fake_github.dispatches[-1].path.endswith("prime-dispatch.yml")
    assert "acme/svc-0005" in summary_of(run, NOW)


def test_by_default_org_prime_dispatches_only_into_repositories_with_a_repo_prime(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    kept = build_org(fake_github, 40, config="version: 1\n")
    managed = {repo for repo in kept if fake_github.ref(repo, "prime-state") is not None}
    _run(fake_github, tmp_path)
    items, _ = load(fake_github.read(ORG_REPO, "run-sheet.json") or "")
    assert items
    assert {i.repo for i in items} <= managed
    status = fake_github.read(ORG_REPO, "STATUS.md") or ""
    assert "without a Repo Prime have fixes Org Prime does not dispatch" in status
    assert "`dispatch_unmanaged:`" in status
    assert ORG_REPO not in status.split("does not dispatch:", 1)[1].split("\n", 1)[0]


def test_a_repository_opted_in_is_dispatched_into_and_no_other_unmanaged_one(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    kept = build_org(fake_github, 12, config="version: 1\ndispatch_unmanaged: [svc-0001]\n")
    managed = {repo for repo in kept if fake_github.ref(repo, "prime-state") is not None}
    _run(fake_github, tmp_path)
    items, _ = load(fake_github.read(ORG_REPO, "run-sheet.json") or "")
    assert f"{OWNER}/svc-0001" not in managed
    assert {i.repo for i in items} == {*managed, f"{OWNER}/svc-0001"}


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
    # The listing page carries the files the detectors read, except a path it does not ask for
    # (this spelling); only then is the repository read again, and it vanished in between.
    fake_github.push(gone, {".github/Dependabot.yml": "version: 2\n"})

    def delete(fake: FakeGitHub, call: object) -> None:
        del fake.repos[gone]

    # The denied repository's pull requests come back FORBIDDEN, which nulls its listing node:
    # the page is read again without pull requests (a second OrgRepositories), then files.
    listings = iter(range(2))
    graphql.after(lambda call: call.name == "OrgRepositories" and next(listings) == 1, delete)
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


# -- delegation ------------------------------------------------------------------------------

MANAGED = {f"{OWNER}/svc-0000", f"{OWNER}/svc-0004", f"{OWNER}/svc-0008"}


class Crash(BaseException):
    """The runner dies (nothing in Prime catches it)."""


def _flag_env(fake: FakeGitHub, tmp: Path, signal: str = "dependabot") -> dict[str, str]:
    payload = {
        "action": "prime-flag",
        "client_payload": {"repo": f"{OWNER}/svc-0004", "signal": signal, "reason": "org-wide"},
    }
    return actions_env(fake, tmp, "repository_dispatch", json.dumps(payload))


def _run_env(fake: FakeGitHub, environ: dict[str, str]) -> OrgRun:
    client = GitHubClient("t0ken", fake.base_url, write_spacing=0)
    try:
        return org_on_github(ActionsEnv.from_environ(environ), client, NOW)
    finally:
        client.close()


def _delegates(fake: FakeGitHub) -> list[tuple[str, str]]:
    return [
        (d.repo, str(d.client_payload["signal"]))
        for d in fake.repository_dispatches
        if d.event_type == "prime-delegate"
    ]


def _org_state(fake: FakeGitHub) -> dict[str, object]:
    text = fake.read(ORG_REPO, "org-state.json", ref="prime-state")
    assert text is not None
    found: dict[str, object] = json.loads(text)
    return found


def _statuses(fake: FakeGitHub) -> dict[str, str]:
    entries = _org_state(fake)["delegations"]
    assert isinstance(entries, list)
    return {f"{d['repo']}:{d['signal']}": d["status"] for d in entries}


def _dashboard_number(fake: FakeGitHub) -> int:
    (issue,) = [i for i in fake.issues(ORG_REPO) if ORG_DASHBOARD in (i.body or "")]
    return issue.number


def test_a_maintainers_delegate_command_sends_one_event_answered_once(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)
    _run(fake_github, tmp_path)
    number = _dashboard_number(fake_github)
    fake_github.add_comment(
        ORG_REPO,
        number,
        '/prime delegate repo:acme/svc-0004 dependabot "before the audit"\n'
        "/prime delegate repo:acme/svc-0001 dependabot\n"
        "/prime delegate acme/svc-0004",
        author_association="MEMBER",
    )
    fake_github.add_comment(
        ORG_REPO,
        number,
        "/prime delegate repo:acme/svc-0008 ci",
        user="eve",
        author_association="NONE",
    )
    run = _run(fake_github, tmp_path)
    assert run.delegations_sent == 1
    (event,) = [d for d in fake_github.repository_dispatches if d.event_type == "prime-delegate"]
    assert event.repo == "acme/svc-0004"
    assert event.client_payload == {"signal": "dependabot", "reason": "before the audit"}
    assert _statuses(fake_github) == {"acme/svc-0004:dependabot": "sent"}
    replies = [c.body for c in fake_github.comments(ORG_REPO, number) if "prime:comment" in c.body]
    assert len(replies) == 3
    assert any("Delegated `dependabot` to `acme/svc-0004`" in r for r in replies)
    assert any("has no Repo Prime" in r for r in replies)
    assert any("could not read that command" in r for r in replies)
    body = fake_github.issues(ORG_REPO)[number - 1].body or ""
    assert "| acme/svc-0004 | dependabot | @octocat | ✅ sent | before the audit |" in body
    _run(fake_github, tmp_path)
    assert len(_delegates(fake_github)) == 1
    again = [c for c in fake_github.comments(ORG_REPO, number) if "prime:comment" in c.body]
    assert len(again) == 3


def test_a_flagged_signal_failing_in_three_repositories_is_delegated_to_each_managed_one_once(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)
    run = _run_env(fake_github, _flag_env(fake_github, tmp_path))
    assert any(p.signal == "dependabot" for p in run.outcome.view.patterns)
    assert sorted(_delegates(fake_github)) == sorted((r, "dependabot") for r in MANAGED)
    assert run.delegations_sent == 3
    assert set(_statuses(fake_github).values()) == {"sent"}
    reason = fake_github.repository_dispatches[-1].client_payload["reason"]
    assert "acme/svc-0004 flagged it: org-wide" in reason
    _run_env(fake_github, _flag_env(fake_github, tmp_path))
    _run(fake_github, tmp_path)
    assert len(_delegates(fake_github)) == 3


def test_a_flagged_signal_in_fewer_than_three_repositories_is_not_delegated(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)
    run = _run_env(fake_github, _flag_env(fake_github, tmp_path, signal="ci"))
    assert not any(p.signal == "ci" for p in run.outcome.view.patterns)
    assert _delegates(fake_github) == []


def test_a_crash_after_the_pending_state_write_never_sends_and_the_rerun_shows_it(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)
    fake_github.push(ORG_REPO, {"org-state.json": "{}"}, branch="prime-state")

    def pending_written(call: GraphQLCall) -> bool:
        state = fake_github.read(ORG_REPO, "org-state.json", ref="prime-state") or ""
        return call.operation == "mutation" and '"sending"' in state

    def crash(fake: FakeGitHub, call: GraphQLCall) -> None:
        raise Crash

    graphql.after(pending_written, crash)
    with pytest.raises(Crash):
        _run_env(fake_github, _flag_env(fake_github, tmp_path))
    assert _delegates(fake_github) == []
    assert set(_statuses(fake_github).values()) == {"sending"}
    run = _run(fake_github, tmp_path)
    assert _delegates(fake_github) == []
    assert set(_statuses(fake_github).values()) == {"unknown"}
    assert "⚠️ may not have been sent" in run.outcome.dashboard
    assert "never sent again on its own" in run.outcome.dashboard


def test_a_crash_during_the_pending_state_write_sends_nothing_and_the_rerun_sends_once(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)

    def creating_state(request: FakeRequest) -> bool:
        return request.method == "POST" and request.path.endswith("/git/refs")

    def crash(fake: FakeGitHub) -> None:
        raise Crash

    fake_github.on_request(creating_state, crash)
    with pytest.raises(Crash):
        _run_env(fake_github, _flag_env(fake_github, tmp_path))
    assert _delegates(fake_github) == []
    assert fake_github.read(ORG_REPO, "org-state.json", ref="prime-state") is None
    _run_env(fake_github, _flag_env(fake_github, tmp_path))
    assert sorted(_delegates(fake_github)) == sorted((r, "dependabot") for r in MANAGED)
    assert set(_statuses(fake_github).values()) == {"sent"}


def test_a_crash_after_sending_before_marking_sent_is_not_sent_twice(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)
    fake_github.push(ORG_REPO, {"org-state.json": "{}"}, branch="prime-state")
    sends = 0

    def delegate(request: FakeRequest) -> bool:
        return request.path.endswith("/dispatches") and "prime-delegate" in str(request.body)

    def connection_lost_after_the_last(fake: FakeGitHub) -> None:
        nonlocal sends
        sends += 1
        if sends == len(MANAGED):  # the request after the last send never answers
            fake.fail(1, Fault.CONNECTION_ERROR)

    fake_github.on_request(delegate, connection_lost_after_the_last, once=False)
    with pytest.raises(GitHubError):
        _run_env(fake_github, _flag_env(fake_github, tmp_path))
    assert len(_delegates(fake_github)) == 3
    assert set(_statuses(fake_github).values()) == {"sending"}
    _run_env(fake_github, _flag_env(fake_github, tmp_path))
    assert len(_delegates(fake_github)) == 3
    assert set(_statuses(fake_github).values()) == {"unknown"}


def test_an_event_github_applied_without_answering_is_unknown_and_not_resent(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)
    target = f"{OWNER}/svc-0008"

    def sending_the_one_before(request: FakeRequest) -> bool:
        return request.path.endswith(f"{OWNER}/svc-0004/dispatches")

    # The next request, the event for svc-0008, is applied and answered with a 502.
    fake_github.on_request(
        sending_the_one_before, lambda fake: fake.fail(1, Fault.APPLIED_THEN_ERROR)
    )
    run = _run_env(fake_github, _flag_env(fake_github, tmp_path))
    assert len(_delegates(fake_github)) == 3
    statuses = _statuses(fake_github)
    assert statuses.pop(f"{target}:dependabot") == "unknown"
    assert set(statuses.values()) == {"sent"}
    assert run.delegations_sent == 2
    _run(fake_github, tmp_path)
    assert len(_delegates(fake_github)) == 3


def test_an_event_github_refuses_is_failed_shown_and_the_others_still_go(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)
    gone = f"{OWNER}/svc-0000"

    def delete(fake: FakeGitHub, call: GraphQLCall) -> None:
        del fake.repos[gone]

    graphql.after(lambda call: call.name == "OrgRepositories", delete)
    run = _run_env(fake_github, _flag_env(fake_github, tmp_path))
    assert sorted(_delegates(fake_github)) == sorted((r, "dependabot") for r in MANAGED - {gone})
    assert _statuses(fake_github)[f"{gone}:dependabot"] == "failed"
    assert "❌ refused, not sent" in run.outcome.dashboard


# -- LLM re-ranking --------------------------------------------------------------------------


class ReversingLLM:
    """A model that puts the items it is shown in reverse order, with words of its own."""

    def __init__(self) -> None:
        self.calls = 0

    def complete(self, messages: tuple[Message, ...], schema: dict[str, object]) -> Completion:
        self.calls += 1
        rows = json.loads(messages[1].content.split("```json")[1].split("```")[0])
        order = [
            {"repo": r["repo"], "signal": r["signal"], "reason": "model: first", "approach": "a"}
            for r in reversed(rows)
        ]
        return Completion(text=json.dumps({"order": order}), usage=FAKE_USAGE)


def test_the_model_reorders_the_top_once_and_a_rerun_neither_calls_nor_commits(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 40, config=ORG_CONFIG + "brain: {model: fake/model}\n")
    llm = ReversingLLM()
    client = GitHubClient("t0ken", fake_github.base_url, write_spacing=0)
    environ = ActionsEnv.from_environ(actions_env(fake_github, tmp_path))
    run = org_on_github(environ, client, NOW, llm=llm)
    assert llm.calls == 1
    text = fake_github.read(ORG_REPO, "run-sheet.json")
    assert text is not None
    items, problem = load(text)
    assert problem is None
    assert contiguous(items)
    failing_ci = sum(i.signal == "ci" for i in items)
    assert {i.signal for i in items[:failing_ci]} == {"ci"}
    assert all(i.reason == "model: first" for i in items[:20])
    assert all(i.reason != "model: first" for i in items[20:])
    assert "in the order the model chose" in run.outcome.dashboard
    assert "acme (Org Prime) | 0.00 |" in run.outcome.dashboard
    head = fake_github.ref(ORG_REPO, "main")
    again = org_on_github(environ, client, NOW, llm=llm)
    client.close()
    assert llm.calls == 1
    assert not again.committed
    assert fake_github.ref(ORG_REPO, "main") == head


@pytest.mark.slow
def test_an_org_run_over_1000_repositories_makes_at_most_ceil_n_over_50_plus_3_requests(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 1000)
    fake_github.reset_counts()
    run = _run(fake_github, tmp_path)
    # One query for the org repository, one per page of 50 listed repositories (archived and
    # forks are left out at source), then the writes: commit, dashboard, dispatcher.
    assert run.requests == len(fake_github.requests) <= 1000 // 50 + 3
    assert run.aggregation_requests == len(graphql.calls) - 1  # the commit is a mutation
    assert len(run.outcome.run_sheet) == 500  # bounded by run_sheet_max_items


def test_the_owner_s_github_repository_security_policy_covers_repositories_without_one(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 6)
    fake_github.reset_counts()
    without = _run(fake_github, tmp_path)
    before = json.loads(fake_github.read(ORG_REPO, "run-sheet.json") or "[]")
    assert any(row["signal"] == "security-policy" for row in before)
    fake_github.add_repo(
        f"{OWNER}/.github",
        {"SECURITY.md": "Report to security@acme.test\n", ".github/ISSUE_TEMPLATE/bug.yml": "x"},
    )
    fake_github.reset_counts()
    run = _run(fake_github, tmp_path)
    after = json.loads(fake_github.read(ORG_REPO, "run-sheet.json") or "[]")
    assert not any(row["signal"] in ("security-policy", "issue-templates") for row in after)
    # Read in the same batched listing: not one request more for the org's defaults.
    assert run.aggregation_requests == without.aggregation_requests


def test_one_repository_s_alias_bomb_is_a_warning_and_the_run_finishes_for_the_rest(
    fake_github: FakeGitHub, graphql: FakeGraphQL, tmp_path: Path
) -> None:
    build_org(fake_github, 12)
    hostile = f"{OWNER}/svc-0001"  # a repository without a Repo Prime: read remotely
    fake_github.push(hostile, {".github/prime.yml": alias_bomb()})
    started = time.perf_counter()
    run = _run(fake_github, tmp_path)
    assert time.perf_counter() - started < 30  # bounded: no 10**9-value expansion
    assert any(hostile in w and "aliases are expanded" in w for w in run.outcome.view.warnings)
    assert hostile in {r.repo for r in run.outcome.view.readable}  # ranked on defaults
    assert run.committed
