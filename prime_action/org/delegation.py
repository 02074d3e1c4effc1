"""Delegation: Org Prime hands a signal to a repository's Prime (`prime-delegate`).

Two sources: a trusted maintainer's `/prime delegate repo:OWNER/NAME SIGNAL "reason"` on the
org dashboard issue, and the automatic rule: a repository flagged a signal (`prime-flag`) that
fails in 3 or more repositories (a cross-repo pattern), so every one of those repositories
with a Repo Prime is asked to work on it now, once per failure (its signal's fingerprint).

Sending is at most once. A delegation enters the org state as `sending` before the event goes
out and becomes `sent`, `failed` (GitHub refused it: nothing went out) or `unknown` (no answer,
or the run stopped): a `sending` entry found by the next run turns `unknown` and is never sent
again on its own. The dashboard names such entries, and a maintainer's command sends anew.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from datetime import datetime, timedelta

from prime_action.config.models import TrustSettings
from prime_action.domain.markers import comment_marker
from prime_action.domain.values import Frozen
from prime_action.eyes import SIGNAL_NAMES
from prime_action.org.model import (
    CommandComment,
    Delegation,
    DelegationStatus,
    NeedsHuman,
    OrgState,
    Pattern,
    Reply,
    RepoFacts,
)
from prime_action.org.priorities import trusted
from prime_action.templating import render

EVENT = "prime-delegate"
_COMMAND = re.compile(r"^\s*/prime\s+delegate\b(.*)$", re.MULTILINE)
_REPO = re.compile(r"^repo:([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)$")
_SIGNAL = re.compile(r"^(?:signal:)?([A-Za-z0-9_.-]+)$")
MAX_REASON = 300
# At most this many events a run (content-creation limits); the rest go out next run.
MAX_PER_RUN = 20
KEEP = 50
# A flag counts for the automatic rule this long after it arrived.
FLAG_WINDOW = timedelta(days=7)
INTERRUPTED = "the run stopped before it knew whether the event went out"


class DelegateCommand(Frozen):
    """One parsed `/prime delegate` line; `problem` says why it cannot be sent."""

    comment: int
    index: int = 0
    author: str
    repo: str = ""
    signal: str = ""
    reason: str = ""
    # usage | repo (not looked after) | unmanaged (no Repo Prime) | signal (unknown) | held
    problem: str = ""


def _words(words: list[str]) -> tuple[str, str, str, str]:
    """(repo, signal, reason, problem) from the words after `/prime delegate`."""
    repo = _REPO.match(words[0]) if words else None
    signal = _SIGNAL.match(words[1]) if len(words) > 1 else None
    if repo is None or signal is None:
        return "", "", "", "usage"
    return repo.group(1), signal.group(1), " ".join(words[2:])[:MAX_REASON], ""


def parse(comment: CommandComment) -> tuple[DelegateCommand, ...]:
    """Every `/prime delegate` line of a comment, parsed (malformed ones carry a problem)."""
    found = []
    for index, match in enumerate(_COMMAND.finditer(comment.body)):
        try:
            words = shlex.split(match.group(1))
        except ValueError:  # an unclosed quote
            words = []
        repo, signal, reason, problem = _words(words)
        found.append(
            DelegateCommand(
                comment=comment.id,
                index=index,
                author=comment.author,
                repo=repo,
                signal=signal,
                reason=reason,
                problem=problem,
            )
        )
    return tuple(found)


def _signals(facts: RepoFacts) -> dict[str, str]:
    """A managed repository's signals: name -> fingerprint."""
    return {s.name: s.fingerprint for s in (facts.state.signals if facts.state else ())}


def _held(needs_human: tuple[NeedsHuman, ...]) -> set[tuple[str, str]]:
    return {(n.repo, n.signal) for n in needs_human}


def _check(
    command: DelegateCommand, repos: dict[str, RepoFacts], held: set[tuple[str, str]]
) -> DelegateCommand:
    facts = repos.get(command.repo.lower())
    problem = command.problem
    if not problem and (facts is None or facts.error is not None):
        problem = "repo"
    elif not problem and facts is not None and not facts.managed:
        problem = "unmanaged"
    elif not problem and facts is not None:
        if command.signal not in {*SIGNAL_NAMES, *_signals(facts)}:
            problem = "signal"
        elif {(facts.repo, command.signal), (facts.repo, "*")} & held:
            problem = "held"
    if facts is not None:
        command = command.model_copy(update={"repo": facts.repo})
    return command.model_copy(update={"problem": problem})


def pending_commands(
    comments: tuple[CommandComment, ...],
    state: OrgState,
    trust: TrustSettings,
    repos: tuple[RepoFacts, ...],
    needs_human: tuple[NeedsHuman, ...] = (),
) -> tuple[DelegateCommand, ...]:
    """The checked `/prime delegate` commands of trusted comments not applied yet."""
    applied = set(state.applied)
    by_name = {r.repo.lower(): r for r in repos}
    held = _held(needs_human)
    return tuple(
        _check(command, by_name, held)
        for comment in sorted(comments, key=lambda c: c.id)
        if comment.id not in applied and trusted(comment, trust)
        for command in parse(comment)
    )


def from_commands(
    commands: tuple[DelegateCommand, ...], repos: tuple[RepoFacts, ...], now: datetime
) -> Iterator[Delegation]:
    """A delegation for every command without a problem."""
    by_name = {r.repo: r for r in repos}
    for command in commands:
        if command.problem:
            continue
        fingerprint = _signals(by_name[command.repo]).get(command.signal, "")
        yield Delegation(
            repo=command.repo,
            signal=command.signal,
            reason=command.reason or f"asked by @{command.author}",
            fingerprint=fingerprint or f"comment-{command.comment}",
            by=f"@{command.author}",
            comment=command.comment,
            at=now,
        )


def from_patterns(
    state: OrgState,
    patterns: tuple[Pattern, ...],
    repos: tuple[RepoFacts, ...],
    needs_human: tuple[NeedsHuman, ...],
    now: datetime,
) -> Iterator[Delegation]:
    """The automatic rule: a recently flagged signal that is a pattern goes to its managed repos.

    A repository is skipped when nothing changed since its last delegation of that signal
    (same fingerprint), or when the signal waits for a human there (blocked, refused, paused).
    """
    flags = {f.signal: f for f in state.flags if f.signal and f.at >= now - FLAG_WINDOW}
    by_name = {r.repo: r for r in repos}
    held = _held(needs_human)
    for pattern in patterns:
        flag = flags.get(pattern.signal)
        if flag is None:
            continue
        reason = (
            f"{pattern.signal} fails in {len(pattern.repos)} repositories; "
            f"{flag.repo} flagged it: {flag.reason}"
        )[:MAX_REASON]
        for repo in pattern.repos:
            facts = by_name.get(repo)
            if facts is None or not facts.managed:
                continue
            if {(repo, pattern.signal), (repo, "*")} & held:
                continue
            fingerprint = _signals(facts).get(pattern.signal, "")
            if state.delegated.get(f"{repo}:{pattern.signal}") == fingerprint:
                continue
            yield Delegation(
                repo=repo,
                signal=pattern.signal,
                reason=reason,
                fingerprint=fingerprint,
                by="pattern",
                at=now,
            )


def interrupted(state: OrgState) -> OrgState:
    """The state with a previous run's `sending` entries marked `unknown` (never resent)."""
    if not any(d.status == "sending" for d in state.delegations):
        return state
    entries = tuple(
        d.model_copy(update={"status": "unknown", "error": INTERRUPTED})
        if d.status == "sending"
        else d
        for d in state.delegations
    )
    return state.model_copy(update={"delegations": entries})


def record(
    state: OrgState, new: Iterator[Delegation], commands: tuple[DelegateCommand, ...]
) -> OrgState:
    """The state with new delegations as `sending` (one per key, MAX_PER_RUN at most)
    and the commands' comments applied."""
    delegated = dict(state.delegated)
    added: list[Delegation] = []
    for delegation in new:
        if len(added) >= MAX_PER_RUN:
            break
        if any(d.key == delegation.key for d in added):
            continue
        added.append(delegation)
        delegated[delegation.key] = delegation.fingerprint
    applied = tuple(sorted({*state.applied, *(c.comment for c in commands)}))[-500:]
    return state.model_copy(
        update={
            "delegated": delegated,
            "delegations": (*state.delegations, *added)[-KEEP:],
            "applied": applied,
        }
    )


def outgoing(state: OrgState) -> tuple[Delegation, ...]:
    """The delegations this run has to send."""
    return tuple(d for d in state.delegations if d.status == "sending")


def settle(state: OrgState, results: dict[str, tuple[DelegationStatus, str]]) -> OrgState:
    """The state with how each `sending` delegation went (key -> (status, error))."""
    entries = tuple(
        d.model_copy(update={"status": results[d.key][0], "error": results[d.key][1][:300]})
        if d.status == "sending" and d.key in results
        else d
        for d in state.delegations
    )
    return state.model_copy(update={"delegations": entries})


def replies(commands: tuple[DelegateCommand, ...], state: OrgState) -> tuple[Reply, ...]:
    """One answer per command, saying what became of it."""
    found = []
    for command in commands:
        delegation = next(
            (
                d
                for d in reversed(state.delegations)
                if d.comment == command.comment and d.key == f"{command.repo}:{command.signal}"
            ),
            None,
        )
        marker = comment_marker(f"delegate-{command.comment}-{command.index}")
        body = render(
            "org/delegate-reply.md.j2", marker=marker, command=command, delegation=delegation
        )
        found.append(Reply(comment=command.comment, marker=marker, body=body))
    return tuple(found)
