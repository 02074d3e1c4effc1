"""`prime onboard` in Actions: one PR adding Prime per selected repository, never twice."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import datetime

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.graphql import GraphQL
from prime_action.adapters.github.org import (
    list_repos,
    org_config,
    org_state,
    read_home,
    save_state,
)
from prime_action.adapters.github.org_queries import Listed
from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.config.models import LabelSettings
from prime_action.domain.clock import SystemClock
from prime_action.domain.markers import PREFIX
from prime_action.domain.release import ACTION_REPOSITORY
from prime_action.domain.values import Frozen
from prime_action.org.model import Onboarding, OrgState
from prime_action.org.onboarding import (
    BRANCH,
    PRIME_WORKFLOW,
    Candidate,
    OnboardingPlan,
    PullState,
    ci_workflow_names,
    plan_onboarding,
    recorded,
    refreshed,
)
from prime_action.runners.boundary import DEFAULT_POLICY, propose
from prime_action.runners.guardrails import Guardrails
from prime_action.templating import render
from prime_action.workflows import CONFIG_PATH, render_onboarding_config, render_repo_workflow

ORG_CONFIG = ".github/prime-org.yml"
MARKER = f"{PREFIX}onboarding -->"
TITLE = "Add Prime, the repository agent"
# The onboarding PR adds a workflow file: the boundary allows it for this PR only.
POLICY = DEFAULT_POLICY.model_copy(update={"rails": Guardrails(allow_workflows=True)})


class OnboardRun(Frozen):
    """What one `prime onboard` did."""

    plan: OnboardingPlan
    opened: tuple[Onboarding, ...] = ()
    notes: tuple[str, ...] = ()
    requests: int = 0
    writes: int = 0


def candidate(item: Listed) -> Candidate:
    """A listing entry as onboarding sees it."""
    return Candidate(
        repo=item.repo,
        archived=item.archived,
        fork=item.fork,
        empty=item.empty,
        has_prime=PRIME_WORKFLOW in item.blobs or item.state_text is not None,
    )


def _outcomes(client: GitHubClient, state: OrgState) -> dict[str, PullState]:
    """What became of each open onboarding PR: one request each."""
    found: dict[str, PullState] = {}
    for record in state.onboarding:
        if record.status == "open":
            found[record.repo] = _pull_state(client, record)
    return found


def _pull_state(client: GitHubClient, record: Onboarding) -> PullState:
    repo = client.github.get_repo(record.repo)

    def fetch() -> PullState:
        pull = repo.get_pull(record.number)
        return "open" if pull.state == "open" else "merged" if pull.merged else "declined"

    return client.read(f"read {record.repo}#{record.number}", fetch)


def _earlier_pull(host: GitHubPulls) -> Onboarding | None:
    """An onboarding PR GitHub already has (Prime's memory may have been lost)."""
    for pull in host.pulls():
        if pull.head == BRANCH:
            status: PullState = (
                "open" if pull.state == "open" else "merged" if pull.merged else "declined"
            )
            return Onboarding(
                repo="", number=pull.number, url=pull.url, status=status, at=pull.created_at
            )
    return None


def _files(host: GitHubPulls, item: Listed, org_repo: str, action_ref: str) -> dict[str, str]:
    """The onboarding PR's files: Prime's workflow for this repository and its config."""
    branch, head = host.default_branch()
    paths = tuple(sorted(p for p in item.blobs if p.startswith(".github/workflows/")))
    texts = {p: t for p, t in host.files_at(head, paths).items() if t is not None} if paths else {}
    return {
        PRIME_WORKFLOW: render_repo_workflow(
            repo=item.repo,
            action_ref=action_ref,
            ci_workflows=ci_workflow_names(texts),
            default_branch=branch,
        ),
        CONFIG_PATH: render_onboarding_config(org_repo=org_repo, action_ref=action_ref),
    }


class Attempt(Frozen):
    """One repository's onboarding in this run: the PR to record, and whether it is new."""

    record: Onboarding | None = None
    new: bool = False
    note: str


def _open(
    client: GitHubClient, item: Listed, *, org_repo: str, action_ref: str, now: datetime
) -> Attempt:
    """Open one repository's onboarding PR, unless GitHub already has one (then record it)."""
    host = GitHubPulls(client, item.repo)
    earlier = _earlier_pull(host)
    if earlier is not None:
        found = earlier.model_copy(update={"repo": item.repo})
        return Attempt(record=found, note=f"{item.repo}: #{earlier.number} was opened before")
    files = _files(host, item, org_repo, action_ref)
    body = render(
        "pulls/onboarding.md.j2",
        marker=MARKER,
        home=f"https://github.com/{ACTION_REPOSITORY}",
        owner=item.repo.split("/")[0],
        org_repo=org_repo,
        action=ACTION_REPOSITORY,
        workflow=PRIME_WORKFLOW,
        config=CONFIG_PATH,
    )
    labels = (LabelSettings().automated,)
    proposal = propose(
        host, "onboarding", files, title=TITLE, body=body, now=now, policy=POLICY, labels=labels
    )
    if proposal.pull is None:
        return Attempt(note=f"{item.repo}: {proposal.note or 'nothing to propose'}")
    pull = proposal.pull
    record = Onboarding(repo=item.repo, number=pull.number, url=pull.url, at=now)
    return Attempt(record=record, new=True, note=f"{item.repo}: opened #{pull.number}")


def onboard_on_github(
    env: ActionsEnv, client: GitHubClient, now: datetime, *, action_ref: str,
    graphql_url: str | None = None,
) -> OnboardRun:  # fmt: skip
    """One `prime onboard` run in the org repository.

    Args:
        env: the Actions environment of the org repository's workflow.
        client: the counted PyGithub client.
        now: the current moment.
        action_ref: the Prime action the onboarding PRs' workflows use (pinned).
        graphql_url: GITHUB_GRAPHQL_URL, when set.

    Returns:
        The plan, the PRs opened and the notes, with the request counts.
    """
    gql = GraphQL(client, graphql_url)
    home = read_home(gql, env.repository, ORG_CONFIG, LabelSettings().automated)
    config = org_config(home, ORG_CONFIG)
    owner = config.owner or env.repository.split("/", 1)[0]
    # Archived repositories and forks are listed too, so the plan can say why it skips them.
    listed = list_repos(gql, owner, config.model_copy(update={"archived": True, "forks": True}))
    before = org_state(home)
    state = refreshed(before, _outcomes(client, before), now)
    plan = plan_onboarding([candidate(i) for i in listed], config.onboarding, state, home.repo)
    by_name = {i.repo: i for i in listed}
    opened, notes = [], []
    for repo in plan.propose:
        attempt = _open(client, by_name[repo], org_repo=home.repo, action_ref=action_ref, now=now)
        notes.append(attempt.note)
        if attempt.record is not None:
            state = recorded(state, attempt.record)
        if attempt.new and attempt.record is not None:
            opened.append(attempt.record)
    if state != before:
        save_state(client, gql, home, state)
    return OnboardRun(
        plan=plan,
        opened=tuple(opened),
        notes=tuple(notes),
        requests=client.counter.total,
        writes=client.counter.writes,  # GraphQL queries are reads: the counter leaves them out
    )


def run_onboard(environ: Mapping[str, str], action_ref: str) -> int:
    """`prime onboard` inside Actions: run, print and append the job summary."""
    env = ActionsEnv.from_environ(environ)
    client = GitHubClient(env.token, env.api_url, write_spacing=env.write_spacing)
    now = SystemClock().now()
    try:
        run = onboard_on_github(
            env, client, now, action_ref=action_ref,
            graphql_url=environ.get("GITHUB_GRAPHQL_URL") or None,
        )  # fmt: skip
    finally:
        client.close()
    summary = render("org/onboard-summary.md.j2", run=run)
    sys.stdout.write(summary)
    if env.step_summary is not None:
        with env.step_summary.open("a", encoding="utf-8") as handle:
            handle.write(summary)
    return 0
