"""The wake's ports on GitHub: issues, jobs, brain, eyes, PRs, and the way to Org Prime."""

from __future__ import annotations

import hashlib
from datetime import datetime

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.ci_eyes import GitHubCiRerun
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.eyes import RemoteEyes
from prime_action.adapters.github.growth_tickets import GitHubTaskTickets
from prime_action.adapters.github.hygiene import GitHubPullKeeper
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.llm_review import Reviewer
from prime_action.adapters.github.org_link import GitHubOrgLink
from prime_action.adapters.github.state import GitHubStateStore
from prime_action.adapters.github.trust import GitHubTrust
from prime_action.adapters.llm.factory import brain_for
from prime_action.brain.prompt import PromptContext
from prime_action.config.models import RepoConfig
from prime_action.domain.models import ORG_QUEUED, RunnerType
from prime_action.domain.ports import StoredState
from prime_action.events.describe import describe_event
from prime_action.events.model import Event
from prime_action.flows.poll import PollOutcome, poll_pulls
from prime_action.flows.standalone import StandaloneJobs
from prime_action.repo.cycle import Sight, WakePorts, see


class OrgQueuedJobs:
    """Org mode: a submitted job waits for the org repository's dispatcher.

    Its attempt id starts with ORG_QUEUED and is derived from (repo, signal, fingerprint), so
    a rerun gets the same id; Org Prime puts such jobs on the run sheet.
    """

    def __init__(self, repo: str) -> None:
        self._repo = repo

    def attempt_id(self, signal: str, fingerprint: str) -> str:
        """The queued job's id, the same on every rerun."""
        key = hashlib.sha256(f"{self._repo}/{signal}/{fingerprint}".encode()).hexdigest()[:12]
        return f"{ORG_QUEUED}{key}"

    def submit(self, signal: str, runner: RunnerType, approach: str, fingerprint: str) -> str:
        """Nothing to write: Org Prime finds the job in the repository's state."""
        del runner, approach
        return self.attempt_id(signal, fingerprint)


class LedgerNamedJobs:
    """Standalone mode: a job is named from the ledger and waits in state.

    `dispatch_standalone` starts it after the wake has saved its state, so submitting writes
    nothing here.
    """

    def __init__(self, names: StandaloneJobs) -> None:
        self._names = names

    def attempt_id(self, signal: str, fingerprint: str) -> str:
        """The next attempt id of the signal in the ledger (the ledger is read once)."""
        return self._names.submit(signal, "agent", "", fingerprint)

    def submit(self, signal: str, runner: RunnerType, approach: str, fingerprint: str) -> str:
        """Nothing to write until the dispatcher records the attempt."""
        del runner, approach
        return self.attempt_id(signal, fingerprint)


def _ports(  # noqa: PLR0917 -- the wake's reads, its config, the injected moment, its eyes
    client: GitHubClient,
    env: ActionsEnv,
    event: Event,
    store: GitHubStateStore,
    config: RepoConfig,
    now: datetime,
    eyes: RemoteEyes,
) -> WakePorts:

    def look(cfg: RepoConfig, now: datetime) -> Sight:
        return see(eyes.snapshot(cfg, now), cfg)

    issues = GitHubIssueStore(
        client, env.repository, config.labels, author=config.trust.prime_login
    )
    jobs: OrgQueuedJobs | LedgerNamedJobs = OrgQueuedJobs(env.repository)
    if config.jobs.mode == "standalone":  # the wake dispatches its own jobs (DESIGN §6)
        jobs = LedgerNamedJobs(StandaloneJobs(GitHubLedger(client, env.repository), env.repository))
    return WakePorts(
        state=store,
        issues=issues,
        jobs=jobs,
        brain=brain_for(
            config.brain,
            lambda: PromptContext(identity=eyes.identity_docs(), event=describe_event(event)),
        ),
        look=look,
        identity=eyes.identity,
        dashboard=issues,
        repo=env.repository,
        org=_org_link(env, config),
        tickets=GitHubTaskTickets(client, env.repository),
        pulls=GitHubPullKeeper(
            client,
            env.repository,
            eyes.open_pulls,
            lambda: now,
            config=config,
            ref=event.default_branch or "main",
        ),
        vouch=GitHubTrust(client, env.repository, config.trust).vouch_for(event),
        ci=GitHubCiRerun(client, eyes.repository),
    )


def polled_ports(  # noqa: PLR0917 -- the wake's reads, its config, state and moment
    client: GitHubClient,
    env: ActionsEnv,
    event: Event,
    store: GitHubStateStore,
    config: RepoConfig,
    first: StoredState,
    now: datetime,
    reviewer: Reviewer | None,
) -> tuple[WakePorts, PollOutcome]:
    """Poll Prime's open PRs, then the wake's ports over the same one listing of open PRs.

    Prime's PRs reach merge without events: a PR opened with GITHUB_TOKEN starts no workflow.

    Args:
        client: the counted PyGithub client.
        env: the Actions environment.
        event: the event this wake is for.
        store: the state store the wake saves through.
        config: the repository's config.
        first: the state as the wake read it.
        now: the current moment.
        reviewer: the LLM reviewer of growth PRs, if any.

    Returns:
        The wake's ports, and what the poll did and saw.
    """
    memory = first.state.ci if first.state else None
    eyes = RemoteEyes(client, env.repository, event.default_branch or "HEAD", ci_memory=memory)
    ref = event.default_branch or "main"
    polled = poll_pulls(client, env.repository, eyes.open_pulls, state=first.state,
                        config=config, now=now, ref=ref, dry_run=env.dry_run,
                        reviewer=reviewer)  # fmt: skip
    eyes.forget_pulls(polled.merged)
    return _ports(client, env, event, store, config, now, eyes), polled


def _org_link(env: ActionsEnv, config: RepoConfig) -> GitHubOrgLink | None:
    """The way to Org Prime, when the config names the org repo and a token may reach it."""
    if not (config.jobs.org_repo and env.org_token):
        return None
    return GitHubOrgLink(env.org_token, env.api_url, config.jobs.org_repo, env.repository)
