"""The LLM reviewer in a wake: built when a model is configured, its spend kept in state, and
the review of a non-growth agent PR that a runner's result reports (a rework on "changes")."""

from __future__ import annotations

from datetime import datetime

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.growth import GitHubGrowth, dispatch_agent
from prime_action.adapters.github.llm_review import (
    Reviewer,
    history,
    identity_rules,
    post_review,
)
from prime_action.adapters.github.state import GitHubStateStore
from prime_action.adapters.llm.factory import with_model
from prime_action.brain.budget import record_spend
from prime_action.config.models import BrainSettings, RepoConfig
from prime_action.domain.errors import ConflictError
from prime_action.domain.models import JobResult, PrimeState, Spend, Usage
from prime_action.domain.ports import StoredState
from prime_action.events.model import Event
from prime_action.events.verdict import Wake
from prime_action.flows.pulls import dispatch_note
from prime_action.growth.llm_review import ReviewAnswer, finding_line, seed_rules
from prime_action.growth.seed import SEED_PATH, parse_seed
from prime_action.runners.boundary import branch_name
from prime_action.templating import render

# Reworks the LLM reviewer may ask for on one non-growth agent PR; then its findings wait
# in the review for a person (growth PRs follow the seed's max_review_rounds instead).
MAX_LLM_REWORKS = 2


def reviewer_for(
    settings: BrainSettings, state: PrimeState | None, now: datetime
) -> Reviewer | None:
    """The LLM reviewer when a model is configured (None: the mechanical gate alone).

    Its budget is the brain's: what the day's decisions and reviews spent counts against
    `brain.budget_usd_per_day`.
    """
    if not settings.model:
        return None
    # litellm is imported only when a model is configured, as for the brain.
    from prime_action.adapters.llm.litellm_client import LiteLLMClient  # noqa: PLC0415

    spend = state.cost if state is not None else Spend()
    return Reviewer(LiteLLMClient(settings), settings, spend, now)


def kept_spend(
    store: GitHubStateStore, stored: StoredState, reviewer: Reviewer | None, now: datetime
) -> StoredState:
    """The state with the reviews' spend recorded (one write, only when they cost something).

    Returns:
        The state as stored now, for the wake that may follow; unchanged when nothing was
        spent, there is no state yet, or another wake wrote meanwhile (that spend is lost).
    """
    if reviewer is None or stored.state is None or reviewer.usage == Usage():
        return stored
    cost = record_spend(stored.state.cost, reviewer.usage, now, reviewer.budget_usd)
    state = stored.state.model_copy(update={"cost": cost})
    try:
        return StoredState(state=state, version=store.save(state, None, stored.version))
    except ConflictError:
        return stored


def agent_pull(result: JobResult | None, runner: object) -> int | None:
    """The number of the non-growth agent PR a runner's success reports, or None."""
    if result is None or result.status != "success" or not result.pr_url or runner != "agent":
        return None
    if result.signal.startswith("growth."):
        return None  # the growth gate reviews those, with the seed's rounds
    tail = result.pr_url.rstrip("/").rpartition("/")[2]
    return int(tail) if tail.isdigit() else None


def review_job_pull(
    client: GitHubClient,
    repo: str,
    result: JobResult,
    number: int,
    *,
    reviewer: Reviewer,
    config: RepoConfig,
    ref: str,
    now: datetime,
) -> str:
    """Review the agent PR a runner opened or updated, once per head; "changes" sends the
    findings back to the agent (one attempt, the dispatcher's rules, MAX_LLM_REWORKS).

    Returns:
        A line saying what was done.
    """
    host = GitHubGrowth(client, repo)
    pull = host.pull(number)
    own = pull.head.repo is not None and pull.head.repo.full_name == repo
    if pull.state != "open" or not own or pull.head.ref != branch_name(result.signal):
        return f"PR #{number} is not an open PR of {result.signal}; not reviewed"
    earlier, rounds = history(client, pull)
    if earlier is not None:
        return f"PR #{number} was reviewed at this head already"
    seed = host.text_at(SEED_PATH, pull.base.ref)
    rules = seed_rules(parse_seed(seed)) if seed else identity_rules(host, pull.base.ref)
    done = reviewer.review(host.changes(pull), rules, pull.title, repo)
    if done.answer is None:
        return f"PR #{number}: no LLM review ({done.note})"
    post_review(client, pull, done.answer)
    if done.answer.verdict == "approve":
        return f"PR #{number}: the LLM reviewer asked for no changes"
    if rounds >= MAX_LLM_REWORKS:
        return f"PR #{number}: the LLM reviewer asked for changes; {rounds} reworks sent already"
    note = _rework(client, repo, signal=result.signal, number=number, answer=done.answer,
                   round_=rounds + 1, config=config, ref=ref, now=now)  # fmt: skip
    return f"PR #{number}: the LLM reviewer asked for changes{note}"


def _rework(
    client: GitHubClient,
    repo: str,
    *,
    signal: str,
    number: int,
    answer: ReviewAnswer,
    round_: int,
    config: RepoConfig,
    ref: str,
    now: datetime,
) -> str:
    if config.jobs.mode == "org":
        return "; org mode: the findings wait in the review for the org's dispatcher"
    approach = render("pulls/llm-rework.txt.j2", pull=number, round=round_, limit=MAX_LLM_REWORKS,
                      findings=[finding_line(f) for f in answer.findings]).strip()  # fmt: skip
    report = dispatch_agent(client, repo, signal, approach, reason=f"LLM review round {round_}",
                            config=config, ref=ref, now=now)  # fmt: skip
    return dispatch_note(report)


def job_review(
    client: GitHubClient,
    env: ActionsEnv,
    event: Event,
    *,
    gated: Wake,
    config: RepoConfig,
    stored: StoredState,
    now: datetime,
) -> tuple[str | None, StoredState]:
    """The review of the agent PR a `prime-job-result` reports (a model configured), and the
    state with its spend; (None, the same state) when there is nothing to review."""
    number = agent_pull(gated.result, event.client_payload.get("runner"))
    reviewer = reviewer_for(with_model(config.brain, env.model), stored.state, now)
    if number is None or reviewer is None or gated.result is None:
        return None, stored
    line = review_job_pull(client, env.repository, gated.result, number, reviewer=reviewer,
                           config=config, ref=event.default_branch or "main", now=now)  # fmt: skip
    return line, kept_spend(GitHubStateStore(client, env.repository), stored, reviewer, now)
