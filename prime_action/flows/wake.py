"""The wake cycle on GitHub: event in, ports over PyGithub, report, outputs and job summary."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient, is_missing
from prime_action.adapters.github.state import GitHubStateStore
from prime_action.adapters.github.trust import GitHubTrust
from prime_action.adapters.llm.factory import with_model
from prime_action.annotations import annotation, group
from prime_action.brain.port import Brain
from prime_action.config.loader import key_line, parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.domain.clock import SystemClock, iso
from prime_action.domain.errors import ConfigError, GitHubError
from prime_action.domain.models import MergedPull
from prime_action.domain.values import Frozen
from prime_action.events.payload import load_event
from prime_action.events.router import route
from prime_action.events.verdict import Ignore
from prime_action.eyes import SIGNAL_NAMES, unknown_automerge, unknown_signals
from prime_action.flows.llm_review import job_review, kept_spend, reviewer_for
from prime_action.flows.pulls import PULL_FLOWS, pull_flow
from prime_action.flows.standalone import dispatch_standalone
from prime_action.flows.wake_ports import polled_ports
from prime_action.flows.wake_request import heard, wake_request, with_editor
from prime_action.repo.cycle import WakeReport, wake
from prime_action.repo.memory_update import hibernating
from prime_action.templating import render

BrainHook = Callable[[Brain], Brain]


def _same_brain(brain: Brain) -> Brain:
    return brain


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
    # A dry run's planned writes, one line each, none made (None: not a dry run).
    dry_run: tuple[str, ...] | None = None
    # What the growth gate or a PR follow-up did (pr-gate, pr-followup wakes).
    pull_flow: str | None = None


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
    unknown = unknown_automerge(config)
    if unknown:
        msg = (f"automerge: {', '.join(unknown)} is no signal or runner name; use signal names "
               f"(`prime scan` lists them) or fileops, shell, agent")  # fmt: skip
        raise ConfigError(msg, file=env.config_path, line=key_line(text, ("automerge",)))
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


def wake_on_github(
    env: ActionsEnv, client: GitHubClient, now: datetime, brain: BrainHook = _same_brain
) -> GitHubWake:
    """Run one wake for the event in GITHUB_EVENT_PATH.

    Args:
        env: the Actions environment.
        client: the counted PyGithub client.
        now: the current moment.
        brain: wraps or replaces the configured brain (the split brain's halves, brain.replay).

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
    trust = GitHubTrust(client, env.repository, config.trust)
    event = with_editor(event, config.trust, trust)
    config = config.model_copy(update={"brain": with_model(config.brain, env.model)})
    dashboard = first.state.dashboard_issue if first.state else None
    gated = route(event, config.trust, dashboard, mention=config.conversation.mention)
    if isinstance(gated, Ignore):
        return _done(client, ignored=gated.reason, warnings=warnings)
    flow: str | None = None
    merges: list[MergedPull] = []
    # The LLM reviewer of growth PRs, for the gate on their events and in the poll. With a
    # model configured the brain imports litellm anyway: building it here costs nothing more.
    reviewer = reviewer_for(with_model(config.brain, env.model), first.state, now)
    if gated.reason in PULL_FLOWS:
        # The growth gate or a follow-up message; only a merge goes on into the wake cycle.
        flow, go_on = pull_flow(client, env.repository, event, gated, config=config, now=now,
                                dry_run=env.dry_run, on_merge=merges.append,
                                reviewer=reviewer)  # fmt: skip
        if not go_on:
            kept_spend(store, first, reviewer, now)
            return _done(client, pull_flow=flow, warnings=warnings)
    elif gated.reason == "job-result" and not env.dry_run:
        # A runner's agent PR: the LLM reviewer reads it before the wake plans on.
        flow, first = job_review(client, env, event, gated=gated, config=config, stored=first,
                                 now=now)  # fmt: skip
    ports, polled = polled_ports(client, env, event, store, config, first, now, reviewer)
    first = kept_spend(store, first, reviewer, now)
    ports = replace(ports, brain=brain(ports.brain))
    request = wake_request(gated, event, (*merges, *polled.merges))
    request = heard(request, trust, event, config, first, now)
    request = request.model_copy(update={"polled": polled.news})
    # The state was read once above: a tick that got here is awake.
    report = wake(ports, request, config, now, stored=first, dry_run=env.dry_run)
    if env.dry_run:
        planned = (*polled.planned, *(report.planned or ()))
        return _done(client, report=report, warnings=warnings, dry_run=planned)
    ref = event.default_branch or "main"
    dispatch_standalone(client, env.repository, ref, state=report.state, config=config, now=now)
    flow = "; ".join((*([flow] if flow else []), *polled.lines)) or None
    return _done(client, report=report, warnings=warnings, pull_flow=flow)


def _done(client: GitHubClient, **fields: object) -> GitHubWake:
    return GitHubWake.model_validate(
        {**fields, "requests": client.counter.total, "writes": client.counter.writes}
    )


def run_on_github(environ: Mapping[str, str], brain: BrainHook = _same_brain) -> int:
    """Wake inside GitHub Actions; write the step outputs and the job summary."""
    env = ActionsEnv.from_environ(environ, hint=", or use --local PATH")
    client = GitHubClient(env.token, env.api_url, write_spacing=env.write_spacing)
    try:
        outcome = wake_on_github(env, client, SystemClock().now(), brain)
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
