"""The wake cycle on GitHub: event in, ports over PyGithub, report, outputs and job summary."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from prime_action.adapters.dry_run import WriteLog, dry_run
from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient, is_missing
from prime_action.adapters.github.eyes import RemoteEyes
from prime_action.adapters.github.growth_tickets import GitHubTaskTickets
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.adapters.github.org_link import GitHubOrgLink
from prime_action.adapters.github.state import GitHubStateStore
from prime_action.adapters.llm.factory import brain_for, with_model
from prime_action.annotations import annotation, group
from prime_action.brain.prompt import PromptContext
from prime_action.config.loader import key_line, parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.domain.clock import SystemClock, iso
from prime_action.domain.errors import GitHubError
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import (
    ORG_QUEUED,
    DecisionRecord,
    Frozen,
    MergedPull,
    PrimeState,
    RunnerType,
    SignalResult,
)
from prime_action.domain.ports import StoredState
from prime_action.events.describe import describe_event
from prime_action.events.model import Event
from prime_action.events.payload import load_event
from prime_action.events.router import Ignore, Wake, route
from prime_action.eyes import SIGNAL_NAMES, run_signals, unknown_signals
from prime_action.flows.pulls import PULL_FLOWS, pull_flow
from prime_action.flows.standalone import StandaloneJobs, dispatch_standalone
from prime_action.growth.step import GrowthStep
from prime_action.repo.cycle import WakePorts, WakeReport, WakeRequest, wake
from prime_action.repo.think import hibernating
from prime_action.templating import render


class ConfigWarning(Frozen):
    """Something in the config that works but is probably a mistake, with its line."""

    message: str
    file: str
    line: int | None = None


class GitHubWake(Frozen):
    """The outcome of `prime wake` in Actions: a report, or the gate's reason to ignore."""

    report: WakeReport | None = None
    ignored: str | None = None
    requests: int = 0
    writes: int = 0
    warnings: tuple[ConfigWarning, ...] = ()
    # A dry run's writes, noted instead of made (None: not a dry run).
    dry_run: tuple[str, ...] | None = None
    # What the growth gate or a PR follow-up did (pr-gate, pr-followup wakes).
    pull_flow: str | None = None


class OnceLoadedStore:
    """The state store, with the first load reused: a hibernating tick reads exactly once."""

    def __init__(self, inner: GitHubStateStore, first: StoredState) -> None:
        self._inner = inner
        self._first: StoredState | None = first

    def load(self) -> StoredState:
        first, self._first = self._first, None
        return first if first is not None else self._inner.load()

    def save(self, state: PrimeState, record: DecisionRecord | None, expected: str | None) -> str:
        return self._inner.save(state, record, expected)

    def decisions(self) -> tuple[DecisionRecord, ...]:
        return self._inner.decisions()


class OrgQueuedJobs:
    """Org mode: a submitted job waits for the org repository's dispatcher.

    Its attempt id starts with ORG_QUEUED and is derived from (repo, signal, fingerprint), so
    a rerun gets the same id; Org Prime puts such jobs on the run sheet.
    """

    def __init__(self, repo: str) -> None:
        self._repo = repo

    def submit(self, signal: str, runner: RunnerType, approach: str, fingerprint: str) -> str:
        del runner, approach
        key = hashlib.sha256(f"{self._repo}/{signal}/{fingerprint}".encode()).hexdigest()[:12]
        return f"{ORG_QUEUED}{key}"


def read_config(
    client: GitHubClient, env: ActionsEnv
) -> tuple[RepoConfig, tuple[ConfigWarning, ...]]:
    """The repository's config from its default branch (defaults when the file is absent).

    Returns:
        The config, and warnings for what is valid but likely a typo (with its line).
    """
    repo = client.github.get_repo(env.repository)
    try:
        found = client.read(f"read {env.config_path}", lambda: repo.get_contents(env.config_path))
    except GitHubError as e:
        if is_missing(e):
            return RepoConfig(), ()
        raise
    if isinstance(found, list):
        return RepoConfig(), ()
    text = found.decoded_content.decode("utf-8", errors="replace")
    config = parse_yaml(text, RepoConfig, env.config_path)
    warnings = tuple(
        ConfigWarning(
            message=f"signals.{name}: no signal has this name, so its settings do nothing "
            f"(signals: {', '.join(SIGNAL_NAMES)})",
            file=env.config_path,
            line=key_line(text, ("signals", name)),
        )
        for name in unknown_signals(config)
    )
    if config.brain.model and not env.model and not litellm_installed():
        message = (
            "brain.model is set, but the action installed no litellm, so the rules brain "
            "decides: give the action the same `model` input (it installs the llm extra)"
        )
        line = key_line(text, ("brain", "model"))
        warnings = (*warnings, ConfigWarning(message=message, file=env.config_path, line=line))
    return config, warnings


def litellm_installed() -> bool:
    """Whether the `llm` extra is installed (found without importing it: that takes seconds)."""
    return importlib.util.find_spec("litellm") is not None


def _ports(
    client: GitHubClient, env: ActionsEnv, event: Event, store: OnceLoadedStore, config: RepoConfig
) -> WakePorts:
    eyes = RemoteEyes(client, env.repository, event.default_branch or "HEAD")
    growth = GrowthStep(needs_human=config.labels.needs_human, trusted=config.trust.associations,
                        automated=config.labels.automated)  # fmt: skip

    def look(cfg: RepoConfig, now: datetime) -> tuple[SignalResult, ...]:
        return run_signals(growth.saw(eyes.snapshot(cfg, now)), cfg)

    issues = GitHubIssueStore(client, env.repository, config.labels)
    return WakePorts(
        state=store,
        issues=issues,
        jobs=OrgQueuedJobs(env.repository),
        brain=brain_for(
            with_model(config.brain, env.model),
            lambda: PromptContext(identity=eyes.identity_docs(), event=describe_event(event)),
        ),
        look=look,
        identity=eyes.identity,
        dashboard=issues,
        repo=env.repository,
        growth=growth,
    )


def wake_on_github(env: ActionsEnv, client: GitHubClient, now: datetime) -> GitHubWake:
    """Run one wake for the event in GITHUB_EVENT_PATH.

    Args:
        env: the Actions environment.
        client: the counted PyGithub client.
        now: the current moment.

    Returns:
        What happened, with the request counts.
    """
    event = load_event(env.event_name, env.event_path)
    store = GitHubStateStore(client, env.repository)
    first = store.load()
    if event.name == "schedule" and hibernating(first.state, "schedule", now):
        report = WakeReport(hibernated=True, reason="schedule", state=first.state)
        return _done(client, report=report)
    config, warnings = read_config(client, env)
    gated = route(event, config.trust, first.state.dashboard_issue if first.state else None)
    if isinstance(gated, Ignore):
        return _done(client, ignored=gated.reason, warnings=warnings)
    flow: str | None = None
    merges: list[MergedPull] = []
    if gated.reason in PULL_FLOWS:
        # The growth gate or a follow-up message; only a merge goes on into the wake cycle.
        flow, go_on = pull_flow(client, env.repository, event, gated, config=config, now=now,
                                dry_run=env.dry_run, on_merge=merges.append)  # fmt: skip
        if not go_on:
            return _done(client, pull_flow=flow, warnings=warnings)
    ports = _ports(client, env, event, OnceLoadedStore(store, first), config)
    if config.jobs.mode == "standalone":  # the wake dispatches its own jobs (DESIGN §6)
        ports.jobs = StandaloneJobs(GitHubLedger(client, env.repository), env.repository)
    ports.org = _org_link(env, config)
    log = WriteLog()
    if env.dry_run:
        ports = dry_run(ports, log)
    if ports.growth is not None:  # human ai-task tickets (listed only in a seeded repository)
        noted = log if env.dry_run else None
        ports.growth.tickets = GitHubTaskTickets(client, env.repository, noted)
        ports.growth.merges = tuple(merges)  # for the growth report
    report = wake(ports, _request(gated), config, now)
    _reply(ports, gated, event, report)
    if env.dry_run:
        return _done(client, report=report, warnings=warnings, dry_run=tuple(log.lines))
    ref = event.default_branch or "main"
    dispatch_standalone(client, env.repository, ref, state=report.state, config=config, now=now)
    return _done(client, report=report, warnings=warnings, pull_flow=flow)


def _org_link(env: ActionsEnv, config: RepoConfig) -> GitHubOrgLink | None:
    """The way to Org Prime, when the config names the org repo and a token may reach it."""
    if not (config.jobs.org_repo and env.org_token):
        return None
    return GitHubOrgLink(env.org_token, env.api_url, config.jobs.org_repo, env.repository)


def _request(gated: Wake) -> WakeRequest:
    commands = ((gated.command, gated.command_args),) if gated.command else ()
    if gated.reason == "delegate" and gated.signal:
        # Org Prime handed this signal to the repository's Prime: work on it now.
        commands = (*commands, ("run", (gated.signal,)))
    return WakeRequest(
        reason=gated.reason,
        commands=commands,
        issue=gated.issue,
        signal=gated.signal,
        result=gated.result,
    )


def _reply(ports: WakePorts, gated: Wake, event: Event, report: WakeReport) -> None:
    """Answer a `/prime` command once (the marker carries the comment's id)."""
    if report.command_reply is None or gated.issue is None or event.comment is None:
        return
    marker = comment_marker(f"reply-{event.comment.id}")
    state = report.state or PrimeState()
    body = render(
        "comments/command-reply.md.j2",
        marker=marker,
        reply=report.command_reply,
        signal=(gated.command_args or ("",))[0],
        summary=report.decision.summary if report.decision else "",
        status=state.status,
        failing=sum(s.status == "failing" for s in report.signals),
        in_flight=len(state.in_flight),
        signals=[s.name for s in report.signals],
    )
    ports.issues.comment(gated.issue, body, marker)


def _done(client: GitHubClient, **fields: object) -> GitHubWake:
    return GitHubWake.model_validate(
        {**fields, "requests": client.counter.total, "writes": client.counter.writes}
    )


def run_on_github(environ: Mapping[str, str]) -> int:
    """Wake inside GitHub Actions; write the step outputs and the job summary."""
    env = ActionsEnv.from_environ(environ, hint=", or use --local PATH")
    client = GitHubClient(env.token, env.api_url, write_spacing=env.write_spacing)
    try:
        outcome = wake_on_github(env, client, SystemClock().now())
    finally:
        client.close()
    state = outcome.report.state if outcome.report else None
    next_wake = iso(state.next_wake_at) if state and state.next_wake_at else ""
    summary = render(
        "summaries/wake.md.j2",
        report=outcome.report,
        ignored=outcome.ignored,
        next_wake=next_wake,
        requests=outcome.requests,
        writes=outcome.writes,
        warnings=outcome.warnings,
        dry_run=outcome.dry_run,
        pull_flow=outcome.pull_flow,
    )
    sys.stdout.write(group("Prime wake", summary))
    for warning in outcome.warnings:
        sys.stdout.write(
            annotation("warning", warning.message, file=warning.file, line=warning.line)
        )
    _append(env.step_summary, summary)
    _append(env.output, _outputs(outcome, next_wake))
    return 0


def _outputs(outcome: GitHubWake, next_wake: str) -> str:
    report = outcome.report
    summary = report.decision.summary if report and report.decision else None
    line = outcome.ignored or summary or outcome.pull_flow or "asleep"
    actions = list(report.executed) if report else []
    return f"summary={line}\nnext-wake={next_wake}\nactions={json.dumps(actions)}\n"


def _append(path: Path | None, text: str) -> None:
    if path is not None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
