"""The PR poll in a wake: judge, merge or wait on Prime's open PRs without any PR or CI event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from github.PullRequest import PullRequest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.growth import MERGE_REFUSALS
from prime_action.adapters.github.llm_review import Reviewer
from prime_action.adapters.github.poll import GitHubPoll
from prime_action.config.models import RepoConfig
from prime_action.domain.errors import GitHubError
from prime_action.domain.models import MergedPull, PrimeState, PullWait
from prime_action.domain.values import Frozen
from prime_action.flows.pulls import gate_pull
from prime_action.repo.pr_poll import (
    PolledPull,
    PollPlan,
    PullNews,
    automerge_move,
    opted_in,
    plan_poll,
)


class PollOutcome(Frozen):
    """What the poll did: the report's lines, the merges, and what the wake remembers."""

    lines: tuple[str, ...] = ()
    # Growth merges, for the growth report.
    merges: tuple[MergedPull, ...] = ()
    merged: tuple[int, ...] = ()
    news: PullNews | None = None
    # A dry run's steps, none taken.
    planned: tuple[str, ...] = ()


class _Done(Frozen):
    line: str
    wait: PullWait | None = None
    merged: bool = False
    # GitHub's auto-merge is on for a head whose guard passed: not checked again.
    checked: bool = False


def poll_pulls(
    client: GitHubClient,
    repo: str,
    listed: Callable[[], list[PullRequest]],
    *,
    state: PrimeState | None,
    config: RepoConfig,
    now: datetime,
    ref: str,
    dry_run: bool = False,
    reviewer: Reviewer | None = None,
) -> PollOutcome:
    """Poll Prime's open PRs: the growth gate on growth PRs whose checks finished (once per
    head), automerge on opted-in PRs, a dashboard line for each that waits.

    Requests: none beyond the wake's one listing when Prime has no open PR; two per Prime
    PR (its head's check runs and statuses); one (the repository) when an opted-in PR may
    use GitHub's auto-merge; then the gate's or automerge's own reads for a PR it acts on.

    Args:
        client: the GitHub client.
        repo: OWNER/NAME.
        listed: the open PRs as the wake lists them once.
        state: the state as read (the heads judged already).
        config: the repository's config (`automerge:`, wake intervals).
        now: the current moment.
        ref: the default branch (runner workflows are dispatched on it).
        dry_run: list the steps, take none.
        reviewer: the LLM reviewer the growth gate asks (None: the mechanical gate alone).

    Returns:
        What was done, and the news the wake's memory keeps.
    """
    host = GitHubPoll(client, repo, listed)
    pulls = host.prime_pulls()
    if not pulls:
        return PollOutcome(news=PullNews())
    candidates = [p for p in pulls if opted_in(p, config.automerge) and not p.auto_merge]
    native = bool(candidates) and host.allow_auto_merge()
    judged = dict(state.judged_heads) if state else {}
    plan = plan_poll(pulls, judged=judged, automerge=config.automerge, native=native, now=now)
    opened = tuple(p.number for p in pulls)
    if dry_run:
        news = PullNews(waits=plan.waits, pending=plan.pending, judged=judged, open=opened)
        return PollOutcome(planned=tuple(s.describe() for s in plan.steps), news=news)
    return _act(client, host, pulls, plan, judged=judged, config=config, now=now, ref=ref,
                reviewer=reviewer)  # fmt: skip


def _act(
    client: GitHubClient,
    host: GitHubPoll,
    pulls: tuple[PolledPull, ...],
    plan: PollPlan,
    *,
    judged: dict[str, str],
    config: RepoConfig,
    now: datetime,
    ref: str,
    reviewer: Reviewer | None,
) -> PollOutcome:
    """Take the plan's steps, in order; a gate's judged head is remembered."""
    found = {p.number: p for p in pulls}
    lines, merges, merged, waits = [], [], [], list(plan.waits)
    for step in plan.steps:
        if step.kind == "gate":
            result = gate_pull(client, host.name, step.number, config=config, ref=ref, now=now,
                               reviewer=reviewer)  # fmt: skip
            judged[str(step.number)] = step.head
            lines.append(result.line)
            merges += [result.merged_pull] if result.merged_pull else []
            merged += [step.number] if result.merged else []
            continue
        done = automerge(host, found[step.number], native=plan.native)
        if done.checked:
            judged[str(step.number)] = step.head
        lines.append(done.line)
        waits += [done.wait] if done.wait else []
        merged += [step.number] if done.merged else []
    gone = {s for p in pulls if p.number in merged for s in p.signals}
    news = PullNews(waits=tuple(sorted(waits, key=lambda w: w.number)), pending=plan.pending,
                    judged=judged, open=tuple(found), merged=tuple(sorted(gone)))  # fmt: skip
    return PollOutcome(lines=tuple(lines), merges=tuple(merges), merged=tuple(merged), news=news)


def automerge(host: GitHubPoll, pull: PolledPull, *, native: bool) -> _Done:
    """Merge an opted-in PR, or turn GitHub's auto-merge on, unless its guard refuses."""
    move = automerge_move(pull, host.guard(pull, pull.base), native=native)
    number = pull.number
    if move.kind == "refuse" and pull.auto_merge:
        host.disable_auto_merge(pull)  # the new head broke the guard: GitHub must not merge
    if move.kind in ("refuse", "wait"):
        kind = "refused" if move.kind == "refuse" else "waiting"
        wait = PullWait(number=number, kind=kind, why=move.why)
        line = f"automerge left PR #{number}: {move.why}"
        return _Done(line=line, wait=wait, checked=pull.auto_merge and move.kind == "wait")
    if move.kind == "enable" and host.enable_auto_merge(pull):
        wait = PullWait(number=number, kind="waiting", why=move.why)
        line = f"turned GitHub's auto-merge on for PR #{number}"
        return _Done(line=line, wait=wait, checked=True)
    try:
        host.merge(pull)
    except GitHubError as e:
        if e.status not in MERGE_REFUSALS:
            raise
        why = f"GitHub refused the merge ({e.status}): {e}"
        wait = PullWait(number=number, kind="refused", why=why)
        return _Done(line=f"did not merge PR #{number}: {why}", wait=wait)
    return _Done(line=f"merged PR #{number} (automerge: every check passed)", merged=True)
