"""`prime org` in Actions: read the owner's repositories, aggregate, write what changed, report."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from github.Issue import Issue

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.graphql import GraphQL
from prime_action.adapters.github.org import (
    Home,
    commit_files,
    facts,
    ledger,
    list_repos,
    org_config,
    org_state,
    read_files,
    read_home,
    save_state,
)
from prime_action.adapters.github.org_delegate import send_delegations
from prime_action.adapters.github.org_wake import send_wakes
from prime_action.adapters.llm.factory import with_model
from prime_action.brain.llm import LLM
from prime_action.config.models import BrainSettings, LabelSettings
from prime_action.domain.clock import SystemClock
from prime_action.domain.values import Frozen
from prime_action.org.cycle import OrgInputs, OrgOutcome, aggregate
from prime_action.org.dashboard import render_summary
from prime_action.org.model import Flag
from prime_action.org.runsheet import FILE as RUN_SHEET

ORG_CONFIG = ".github/prime-org.yml"
STATUS = "STATUS.md"
DASHBOARD_TITLE = "Prime: org dashboard"


class OrgRun(Frozen):
    """What one `prime org` did, with the request counts for the summary."""

    outcome: OrgOutcome
    committed: bool = False
    state_saved: bool = False
    dashboard_written: bool = False
    dispatched: bool = False
    delegations_sent: int = 0
    # `prime-wake` events sent to repositories whose next wake passed; more due than the cap.
    woken: int = 0
    wakes_deferred: int = 0
    requests: int = 0
    graphql: int = 0
    writes: int = 0
    aggregation_requests: int = 0
    warnings: tuple[str, ...] = ()


def flag_of(env: ActionsEnv, now: datetime) -> Flag | None:
    """The `prime-flag` a repository sent, when that is what woke this run."""
    if env.event_name != "repository_dispatch" or not env.event_path.is_file():
        return None
    event = json.loads(env.event_path.read_text(encoding="utf-8") or "{}")
    payload = event.get("client_payload") or {}
    if event.get("action") != "prime-flag" or not isinstance(payload, dict):
        return None
    return Flag(
        repo=str(payload.get("repo", "?"))[:140],
        signal=str(payload["signal"])[:60] if payload.get("signal") else None,
        reason=str(payload.get("reason", ""))[:400],
        at=now,
    )


def model_for(settings: BrainSettings) -> LLM | None:
    """The org's model for re-ranking (litellm, imported only when a call is made), or None."""
    if not settings.model:
        return None
    from prime_action.adapters.llm.litellm_client import LiteLLMClient  # noqa: PLC0415

    return LiteLLMClient(settings)


def aggregate_on_github(
    env: ActionsEnv,
    gql: GraphQL,
    now: datetime,
    flag: Flag | None = None,
    llm: LLM | None = None,
) -> tuple[Home, OrgOutcome]:
    """Read everything (1 + N/50 + U/50 GraphQL requests) and aggregate it."""
    config_path = env.config_path if env.config_path != ".github/prime.yml" else ORG_CONFIG
    home = read_home(gql, env.repository, config_path, LabelSettings().automated)
    config = org_config(home, config_path)
    config = config.model_copy(update={"brain": with_model(config.brain, env.model)})
    owner = config.owner or env.repository.split("/", 1)[0]
    listed = list_repos(gql, owner, config)
    unmanaged = [i for i in listed if not i.state_text and not i.error and i.blobs]
    org_signals = config.custom_signals
    found, warnings = facts(listed, read_files(gql, unmanaged, org_signals), now, org_signals)
    inputs = OrgInputs(
        owner=owner,
        config=config,
        home=home.repo,
        state=org_state(home),
        repos=found,
        ledger=ledger(home),
        run_sheet_text=home.run_sheet_text,
        comments=home.comments,
        flag=flag,
        warnings=warnings,
        now=now,
    )
    return home, aggregate(inputs, llm if llm is not None else model_for(config.brain))


def _dashboard(client: GitHubClient, home: Home, outcome: OrgOutcome) -> bool:
    repo = client.github.get_repo(home.repo)
    if home.dashboard is None:
        client.write(
            "create the org dashboard",
            lambda: repo.create_issue(
                DASHBOARD_TITLE, outcome.dashboard, labels=[LabelSettings().automated]
            ),
        )
        return True
    number = home.dashboard
    issue = repo.get_issue(number)
    existing = {c.body for c in home.comments}
    for reply in outcome.replies:
        if not any(reply.marker in body for body in existing):
            _comment(client, issue, reply.body)
    if home.dashboard_body.strip() == outcome.dashboard.strip():
        return False
    client.write(f"update the org dashboard #{number}", lambda: issue.edit(body=outcome.dashboard))
    return True


def _comment(client: GitHubClient, issue: Issue, body: str) -> None:
    client.write(f"answer a command on #{issue.number}", lambda: issue.create_comment(body))


def _dispatch(client: GitHubClient, home: Home, workflow: str) -> bool:
    repo = client.github.get_repo(home.repo)
    started = client.write(
        f"start {workflow}",
        lambda: repo.get_workflow(workflow).create_dispatch(ref=home.branch or "main"),
    )
    return bool(started)


def write_outputs(
    client: GitHubClient, gql: GraphQL, home: Home, outcome: OrgOutcome, workflow: str
) -> dict[str, Any]:
    """Send delegations, then commit run sheet and STATUS.md, the org state and the
    dashboard, each only if changed."""
    home, outcome, sent = send_delegations(client, gql, home, outcome)
    home, woken, refused = send_wakes(client, gql, home, outcome)
    files = {
        path: text
        for path, text, old in (
            (RUN_SHEET, outcome.run_sheet_text, home.run_sheet_text),
            (STATUS, outcome.status_md, home.status_text),
        )
        if text != old
    }
    done: dict[str, Any] = {
        "warnings": refused,
        "outcome": outcome,
        "delegations": sent,
        "woken": woken,
    }
    if files and home.branch and home.head:
        commit_files(
            gql,
            home.repo,
            branch=home.branch,
            head=home.head,
            files=files,
            message=f"prime: update {', '.join(sorted(files))}",
        )
        done["committed"] = RUN_SHEET in files
    if outcome.state != org_state(home):
        save_state(client, gql, home, outcome.state)
        done["state_saved"] = True
    done["dashboard_written"] = _dashboard(client, home, outcome)
    if done.get("committed") and workflow:
        done["dispatched"] = _dispatch(client, home, workflow)
        if not done["dispatched"]:
            done["warnings"] += (f"could not start {workflow} in {home.repo}: does it exist?",)
    return done


def org_on_github(
    env: ActionsEnv,
    client: GitHubClient,
    now: datetime,
    graphql_url: str | None = None,
    llm: LLM | None = None,
) -> OrgRun:
    """One Org Prime run: aggregate, then write only what changed.

    Args:
        env: the Actions environment of the org repository's workflow.
        client: the counted PyGithub client.
        now: the current moment.
        graphql_url: GITHUB_GRAPHQL_URL, when set.
        llm: the model for re-ranking (tests); by default the org config's `brain.model`.

    Returns:
        What happened, with the request counts (the aggregation's apart).
    """
    gql = GraphQL(client, graphql_url)
    home, outcome = aggregate_on_github(env, gql, now, flag_of(env, now), llm)
    reads = client.counter.total
    done = write_outputs(client, gql, home, outcome, _workflow(outcome))
    return OrgRun(
        outcome=done["outcome"],
        delegations_sent=done["delegations"],
        woken=done["woken"],
        wakes_deferred=done["outcome"].alarm.deferred,
        committed=bool(done.get("committed")),
        state_saved=bool(done.get("state_saved")),
        dashboard_written=bool(done.get("dashboard_written")),
        dispatched=bool(done.get("dispatched")),
        requests=client.counter.total,
        graphql=gql.queries + gql.mutations,
        writes=client.counter.writes,
        aggregation_requests=reads,
        warnings=tuple(done["warnings"]),
    )


def _workflow(outcome: OrgOutcome) -> str:
    return outcome.config.dispatch_workflow


def run_org(environ: Mapping[str, str]) -> int:
    """`prime org` inside Actions: run, print and append the job summary."""
    env = ActionsEnv.from_environ(environ)
    client = GitHubClient(env.token, env.api_url, write_spacing=env.write_spacing)
    now = SystemClock().now()
    try:
        run = org_on_github(env, client, now, environ.get("GITHUB_GRAPHQL_URL") or None)
    finally:
        client.close()
    summary = summary_of(run, now)
    sys.stdout.write(summary)
    if env.step_summary is not None:
        with env.step_summary.open("a", encoding="utf-8") as handle:
            handle.write(summary)
    return 0


def summary_of(run: OrgRun, now: datetime) -> str:
    """The job summary of a run."""
    view = run.outcome.view
    view = view.model_copy(update={"warnings": (*view.warnings, *run.warnings)})
    return render_summary(
        view,
        requests=run.requests,
        graphql=run.graphql,
        writes=run.writes,
        committed=run.committed,
        woken=run.woken,
        deferred=run.wakes_deferred,
        at=now,
    )
