"""`prime run` on GitHub: one runner job on one repository's signal, its outcome written."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.pulls import GitHubPulls, open_prime_pulls
from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.adapters.github.state import GitHubStateStore
from prime_action.adapters.local.workspace import GitWorkspace
from prime_action.annotations import annotation
from prime_action.brain.llm import LLM
from prime_action.config.models import AgentSettings, BrainSettings, LabelSettings, RepoConfig
from prime_action.dispatch.outcomes import Outcome, failure, mark_running
from prime_action.domain.clock import SystemClock
from prime_action.domain.errors import PrimeError
from prime_action.domain.markers import comment_marker, signal_marker
from prime_action.domain.models import Attempt
from prime_action.growth.seed import SEED_PATH
from prime_action.runners.agent import AgentRequest, propose_agent, run_agent
from prime_action.runners.boundary import PrPolicy
from prime_action.runners.fileops import run_fileops
from prime_action.runners.guardrails import content_hash, org_activity
from prime_action.runners.job import Job
from prime_action.runners.patch import MAX_PATCH_BYTES, PatchRefused, apply_patch, parse_patch
from prime_action.runners.report import tracking_issue
from prime_action.runners.result import Draft, RunResult, failed
from prime_action.runners.safe_output import (
    MAX_REPORT_BYTES,
    PATCH_FILE,
    REPORT_FILE,
    ended,
    read_patch,
    read_report,
)
from prime_action.runners.shell import Request, propose_shell, run_shell
from prime_action.templating import render
from prime_action.workflows import CONFIG_PATH

NO_CHECKOUT = (
    "the {runner} runner needs a checkout of {repo} at its default branch: pass --checkout PATH "
    "(the runner workflow's actions/checkout of the target repository)"
)
ONE_JOB = (
    "this {runner} job runs the repository's code in the job that holds the write token: run "
    "`prime init` again for the runner workflow that splits it (--produce with no token, "
    "--apply with it)"
)
CONTRACT_FILES = frozenset({CONFIG_PATH, SEED_PATH})
GONE = "the branch {ref} no longer exists: its pull request was closed or merged"
HEARTBEAT_SECONDS = 600  # one ledger write per 10 minutes at most: the timeout is in hours
# The coding loop answers in edit blocks, not JSON, and an edit may be long.
AGENT_LLM_OPTIONS = {"response_format": None, "max_tokens": 8000}


def run_on_github(
    env: DataPlaneEnv, job: Job, checkout: Path | None, path: Path, folder: Path | None = None
) -> Outcome:
    """Run one dispatched job, write its outcome for `prime report`, and publish a summary.

    Args:
        env: the runner workflow's Actions environment (ledger repository, token, outputs).
        job: the attempt to run (repository, signal, runner, approach).
        checkout: a checkout of the target repository (the shell and agent runners need one).
        path: where the outcome file goes.
        folder: the read-only job's result (`--apply`): its patch is proposed instead of
            running the job here.

    Returns:
        The outcome, also written to `path`.
    """
    if folder is None and job.runner != "fileops" and env.token:
        sys.stdout.write(annotation("warning", ONE_JOB.format(runner=job.runner)))
    client = env.client()
    try:
        if folder is not None and job.runner != "fileops":
            outcome = apply_job(client, env, job, folder)
        else:
            outcome = run_job(client, env, job, checkout)
        requests = client.counter.total
    finally:
        client.close()
    path.write_text(outcome.model_dump_json(indent=2) + "\n", encoding="utf-8")
    line = f"{outcome.status}: {outcome.pr_url or outcome.reason}"
    sys.stdout.write(f"prime run {job.attempt} ({job.runner} {job.signal} on {job.repo}): {line}\n")
    env.publish(
        f"## Prime run\n\n{line}\n\nGitHub requests: {requests}.\n", {"status": outcome.status}
    )
    return outcome


def run_job(
    client: GitHubClient, env: DataPlaneEnv, job: Job, checkout: Path | None = None
) -> Outcome:
    """Mark the attempt running, then run its runner; an error is a failed outcome.

    GitHub's own trouble (an outage, a rate limit) cancels the attempt instead: it is not the
    job's failure and must not escalate it (`failure`).
    """
    now = SystemClock().now()
    ledger = GitHubLedger(client, env.repository)
    try:
        attempts = ledger.change(lambda a: mark_running(a, job.attempt, env.run_id, now))
    except PrimeError as e:
        return failure(job.attempt, e)
    if job.runner in ("shell", "agent") and checkout is None:
        reason = NO_CHECKOUT.format(runner=job.runner, repo=job.repo)
        return Outcome(attempt=job.attempt, status="failed", reason=reason)
    try:
        issues, host, policy = boundary(client, job, attempts, now)
        config = host.config()
        misplaced = wrong_checkout(job, checkout, client)
        if misplaced:
            return Outcome(attempt=job.attempt, status="failed", reason=misplaced)
        # A runner never opens an issue: the PR is the record; an open one gets `Fixes #n`.
        issue = tracking_issue(issues, job.signal)
        if job.runner == "shell" and checkout is not None:
            request = Request(
                job=job,
                commands=config.jobs.shell_commands.get(job.signal, ()),
                timeout=config.jobs.shell_timeout_seconds,
                issue=issue,
                policy=policy,
            )
            result = run_shell(request, GitWorkspace(checkout), host, now)
        elif job.runner == "agent" and checkout is not None:
            agent = AgentRequest(job=job, settings=config.agent, issue=issue, policy=policy)
            beat = Heartbeat(ledger, job.attempt, env.run_id)
            llm = agent_llm(config.brain, config.agent)
            result = run_agent(agent, GitWorkspace(checkout), host, now, llm=llm, beat=beat)
        else:
            companions = planned_fileops(client, job, config)
            result = run_fileops(job, host.listing(), host, issue, now, policy, companions)
        explain_manual_change(issues, job, issue, result)
    except PrimeError as e:
        return failure(job.attempt, e)
    return result.outcome


def apply_job(client: GitHubClient, env: DataPlaneEnv, job: Job, folder: Path) -> Outcome:
    """The writing job of a split runner: the read-only job's patch through the PR boundary.

    Nothing in `folder` is trusted: the report is read within bounds and may only fail or
    block the attempt; the patch is validated, applied to the files where the PR starts, and
    proposed with this job's own reading of the repository's config (DESIGN §8).
    """
    now = SystemClock().now()
    ledger = GitHubLedger(client, env.repository)
    try:
        attempts = ledger.change(lambda a: mark_running(a, job.attempt, env.run_id, now))
        issues, host, policy = boundary(client, job, attempts, now)
        config = host.config()
        # A runner never opens an issue: the PR is the record; an open one gets `Fixes #n`.
        issue = tracking_issue(issues, job.signal)
        result = apply_result(folder, job, host, (config, policy, issue), now)
        explain_manual_change(issues, job, issue, result)
    except PrimeError as e:
        return failure(job.attempt, e)
    return result.outcome


def apply_result(
    folder: Path,
    job: Job,
    host: GitHubPulls,
    context: tuple[RepoConfig, PrPolicy, int | None],
    now: datetime,
) -> RunResult:
    """The read-only job's result proposed, or the reason it is refused (nothing pushed)."""
    config, policy, issue = context
    try:
        report = read_report(_bounded(folder / REPORT_FILE), job)
        if report.status != "ready":
            return ended(report)
        files = parse_patch(read_patch(_bounded(folder / PATCH_FILE)))
        refuse_contract(tuple(f.path for f in files))
        start = host.branch_head(job.ref) if job.ref else host.default_branch()[1]
        if start is None:
            return failed(job.attempt, GONE.format(ref=job.ref))
        texts = apply_patch(files, host.files_at(start, tuple(f.path for f in files)))
    except PatchRefused as e:
        return failed(job.attempt, f"the read-only job's result was refused, nothing pushed: {e}")
    draft = Draft(files=texts, summary=report.summary, work=report.work)
    if job.runner == "shell":
        request = Request(job=job, commands=config.jobs.shell_commands.get(job.signal, ()),
                          timeout=config.jobs.shell_timeout_seconds, issue=issue,
                          policy=policy)  # fmt: skip
        return propose_shell(request, host, now, draft)
    agent = AgentRequest(job=job, settings=config.agent, issue=issue, policy=policy)
    return propose_agent(agent, host, now, draft)


def refuse_contract(paths: tuple[str, ...]) -> None:
    """Refuse a patch that rewrites the files this job judges it by (PatchRefused).

    A PR that loosened `guardrails:` or the seed's contract would, once merged (or merged
    automatically), let the next hostile patch through; a person edits those files.
    """
    for path in paths:
        if path in CONTRACT_FILES:
            msg = f"{path} holds the rules a runner's change is judged by; a person edits it"
            raise PatchRefused(msg)


def _bounded(path: Path) -> bytes:
    """A file of the artifact, read no further than one byte past the largest allowed."""
    if not path.is_file() or path.is_symlink():
        msg = (
            f"{path.name} is missing: the read-only job left no result (it failed or never "
            "ran); see the run's log"
        )
        raise PatchRefused(msg)
    with path.open("rb") as handle:
        return handle.read(max(MAX_PATCH_BYTES, MAX_REPORT_BYTES) + 1)


def boundary(
    client: GitHubClient, job: Job, attempts: tuple[Attempt, ...], now: datetime
) -> tuple[GitHubIssueStore, GitHubPulls, PrPolicy]:
    """The job's repository behind the PR boundary: its issues, its PRs, and the PR policy."""
    issues = GitHubIssueStore(client, job.repo, LabelSettings())
    host = GitHubPulls(client, job.repo)
    config = host.config()
    policy = PrPolicy(
        rails=config.guardrails,
        limits=config.prs,
        org=org_activity(attempts, now, org_open_pulls(client, job, config)),
    )
    return issues, host, policy


def planned_fileops(client: GitHubClient, job: Job, config: RepoConfig) -> tuple[str, ...]:
    """The template fixes the repository's Prime planned or queued besides the job's (one
    read of its state.json), which join the job's grouped PR; none without a Repo Prime or
    with `prs.group: none`."""
    if config.prs.group != "fileops":
        return ()
    state = GitHubStateStore(client, job.repo).load().state
    if state is None:
        return ()
    held = {*state.blocked, *state.refused, *state.skipped}
    planned = [i.signal for i in state.plan if i.runner == "fileops"]
    planned += [j.signal for j in state.in_flight if j.runner == "fileops"]
    return tuple(s for s in dict.fromkeys(planned) if s != job.signal and s not in held)


def org_open_pulls(client: GitHubClient, job: Job, config: RepoConfig) -> int:
    """Prime's open PRs in the job owner's repositories; no search when `prs.org_max_open` is
    0 (nothing may be open, whatever the count)."""
    if config.prs.org_max_open <= 0:
        return 0
    return open_prime_pulls(client, job.repo.split("/")[0], config.labels.automated)


def wrong_checkout(job: Job, checkout: Path | None, client: GitHubClient) -> str | None:
    """Why the checkout does not hold the files of the job's `ref` head, or None (or no ref).

    A rework or follow-up builds on its PR's branch: a change made on the default branch and
    then committed onto that branch would silently undo the PR's earlier edits of those files.
    Trees are compared, not commits: the files are what the agent builds on (two requests).
    """
    if not job.ref or checkout is None:
        return None
    head = GitHubPulls(client, job.repo).branch_head(job.ref)
    if head is None:
        return GONE.format(ref=job.ref)
    repo = client.github.get_repo(job.repo)
    wanted = client.read(f"read commit {head[:12]}", lambda: repo.get_git_commit(head).tree.sha)
    if GitWorkspace(checkout).tree() == wanted:
        return None
    return (
        f"the checkout does not hold the files of {job.ref} ({head[:12]}): the runner "
        "workflow must check out inputs.ref (run `prime init` again to update it)"
    )


def agent_llm(brain: BrainSettings, agent: AgentSettings) -> LLM | None:
    """The coding loop's model (agent.model, else brain.model) through litellm; None: no model."""
    model = agent.model or brain.model
    if agent.command or not model:
        return None
    # Imported here: a fileops or shell job never loads the LLM adapter.
    from prime_action.adapters.llm.litellm_client import LiteLLMClient  # noqa: PLC0415

    return LiteLLMClient(brain.model_copy(update={"model": model}), AGENT_LLM_OPTIONS)


class Heartbeat:
    """Writes the attempt's heartbeat to the ledger as the agent works, at most every 10 min."""

    def __init__(self, ledger: GitHubLedger, attempt: str, run_id: int | None) -> None:
        self._ledger, self._attempt, self._run_id = ledger, attempt, run_id
        self._last = SystemClock().now()  # mark_running has just written one

    def __call__(self, progress: str) -> None:
        """Record that the run is alive (the progress line goes to the job log)."""
        sys.stdout.write(f"prime run {self._attempt}: {progress}\n")
        now = SystemClock().now()
        if (now - self._last).total_seconds() < HEARTBEAT_SECONDS:
            return
        self._last = now
        self._ledger.change(lambda a: mark_running(a, self._attempt, self._run_id, now))


def explain_manual_change(
    issues: GitHubIssueStore, job: Job, issue: int | None, result: RunResult
) -> None:
    """A refused workflow change is explained once: on the tracking issue, or in a new one."""
    if not result.manual:
        return
    marker = comment_marker(f"workflow-{job.signal}-{content_hash(result.manual)}")
    body = render(
        "pulls/workflow-manual.md.j2",
        marker=marker,
        runner=job.runner,
        signal=job.signal,
        files=dict(sorted(result.manual.items())),
        attempt=job.attempt,
    )
    if issue is not None:
        issues.comment(issue, body, marker)
        return
    title = f"Prime: a workflow change for {job.signal} to make by hand"
    issues.open_issue(job.signal, title, f"{signal_marker(job.signal)}\n{body}", ())
