"""Flows on Prime's PRs: the growth gate (judge an ai-task PR, then send it back, merge it or
ask), and follow-up messages (`/prime <instruction>` dispatches the agent on the PR's branch)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.growth import (
    REFUSED_PREFIX,
    GitHubGrowth,
    dispatch_agent,
    maintain,
    send_back,
    signal_of,
)
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.adapters.github.llm_review import Reviewer, reviewed
from prime_action.config.models import RepoConfig
from prime_action.dispatch.cycle import DispatchReport
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import MergedPull
from prime_action.domain.values import Frozen
from prime_action.events.model import Event
from prime_action.events.verdict import Wake
from prime_action.growth.maintainer import decide
from prime_action.growth.merge_gate import Evidence, Verdict, judge
from prime_action.growth.seed import SEED_PATH, parse_seed
from prime_action.runners.boundary import BRANCH_PREFIX, branch_name
from prime_action.runners.report import tracking_issue
from prime_action.templating import render

if TYPE_CHECKING:
    from github.PullRequest import PullRequest


class GateResult(Frozen):
    """What the gate did for one PR: its verdict (None: not judged), a line, and a merge."""

    verdict: Verdict | None = None
    line: str
    merged: bool = False
    # For the growth report: the merge, its review rounds, lines and coverage.
    merged_pull: MergedPull | None = None


def gate_pull(
    client: GitHubClient,
    repo: str,
    number: int,
    *,
    config: RepoConfig,
    ref: str,
    now: datetime,
    reviewer: Reviewer | None = None,
) -> GateResult:
    """Judge PR `number` of `repo` and act on the verdict.

    Args:
        client: the GitHub client.
        repo: OWNER/NAME.
        number: the pull request.
        config: the repository's config (labels, jobs).
        ref: the ref the runner workflow is dispatched on (the default branch).
        now: the current moment.
        reviewer: the LLM reviewer (None: no model configured); its findings can only add
            to the gate's.

    Returns:
        The verdict (None: not an open ai-task PR of Prime's), a line saying what was done,
        and whether it merged the PR.
    """
    host = GitHubGrowth(client, repo)
    pull = host.pull(number)
    signal = signal_of(pull)
    if signal is None or pull.state != "open":
        return GateResult(line=f"PR #{number} is not an open ai-task PR of Prime's; nothing to do")
    text = host.text_at(SEED_PATH, pull.base.ref)
    if text is None:
        return GateResult(line=f"{repo} has no {SEED_PATH} on {pull.base.ref}; growth mode is off")
    seed = parse_seed(text)
    issues = GitHubIssueStore(client, repo, config.labels)
    ticket = tracking_issue(issues, signal)
    if ticket is None:
        return GateResult(line=f"PR #{number}: the ticket of {signal} is not open; nothing to do")
    evidence = host.evidence(seed, pull)
    verdict = judge(seed, evidence)
    # A head sent back already waits for a new push: the reviewer is not asked about it.
    held = sent_back(host, pull, verdict)
    if not held:
        verdict = reviewed(client, pull, repo=repo, seed=seed, evidence=evidence, verdict=verdict,
                           reviewer=reviewer)  # fmt: skip
        held = sent_back(host, pull, verdict)
    if held:
        line = f"PR #{number} was sent back at this head already; waiting for a new push"
        return GateResult(verdict=verdict, line=line)
    if verdict.status in ("rework", "needs-human"):
        report = send_back(host, client, pull, ticket=ticket, verdict=verdict, seed=seed,
                           config=config, ref=ref, now=now)  # fmt: skip
        done = "labelled needs-human" if verdict.status == "needs-human" else "sent back"
        line = f"PR #{number} {done} (round {verdict.round}): {len(verdict.findings)} finding(s)"
        return GateResult(verdict=verdict, line=line + dispatch_note(report))
    policy = seed.automation_contract.merge_policy
    owners = host.owners(pull, evidence) if policy.mode == "auto" else ()
    approvals = host.approvals(pull) if owners else ()
    move = decide(verdict, policy, host.requested(pull), owners, approvals)
    line = maintain(host, pull, move, ticket)
    merge = None
    if move.kind == "merge" and not line.startswith(REFUSED_PREFIX):
        marker = comment_marker(f"growth-merged-{number}")
        issues.close_issue(ticket, render("growth/merged.md.j2", marker=marker, pull=number))
        merge = merged_pull(number, signal, evidence, now)
    return GateResult(verdict=verdict, line=line, merged=merge is not None, merged_pull=merge)


def sent_back(host: GitHubGrowth, pull: PullRequest, verdict: Verdict) -> bool:
    """Whether a failing verdict's head got its follow-up already (a read, only on failure)."""
    return verdict.status in ("rework", "needs-human") and host.rounds(pull)[1]


def merged_pull(number: int, signal: str, evidence: Evidence, now: datetime) -> MergedPull:
    """The growth report's record of a merge: rounds sent back, lines changed, coverage."""
    lines = sum(len(c.added) + len(c.removed) for c in evidence.changes)
    return MergedPull(pull=number, signal=signal, at=now, rounds=evidence.rounds, lines=lines,
                      coverage=evidence.coverage_head)  # fmt: skip


def held_back(report: DispatchReport) -> str:
    """Why the dispatcher started nothing (an error, or its rule's reason)."""
    return report.error or next((s.reason for s in report.skipped), "nothing to dispatch")


def dispatch_note(report: DispatchReport | None) -> str:
    """What became of the agent attempt, for the gate's line ('' when none was asked for)."""
    if report is None:
        return ""
    if report.dispatched:
        return f"; agent attempt {report.dispatched[0].id} dispatched"
    return f"; no agent attempt started: {held_back(report)}"


def follow_up(
    client: GitHubClient,
    repo: str,
    number: int,
    instruction: str,
    *,
    comment_id: int,
    actor: str,
    config: RepoConfig,
    ref: str,
    now: datetime,
) -> str:
    """Hand a trusted `/prime <instruction>` on a Prime PR to the agent, on the PR's branch.

    Answered once (the reply's marker carries the comment's id): a rerun neither dispatches
    nor replies again. The dispatcher's rules hold (one attempt of a signal at a time).

    Args:
        client: the GitHub client.
        repo: OWNER/NAME.
        number: the pull request commented on.
        instruction: the comment's text after `/prime` (untrusted words for the agent).
        comment_id: the comment's id.
        actor: who asked.
        config: the repository's config (jobs limits).
        ref: the ref the runner workflow is dispatched on (the default branch).
        now: the current moment.

    Returns:
        A line saying what was done.
    """
    host = GitHubGrowth(client, repo)
    pull = host.pull(number)
    head = pull.head.repo.full_name if pull.head.repo else None
    if not pull.head.ref.startswith(BRANCH_PREFIX) or head != repo or pull.state != "open":
        return f"PR #{number} is not an open Prime PR of {repo}; the instruction is not for Prime"
    marker = comment_marker(f"followup-{comment_id}")
    if host.answered(pull, marker):
        return f"the instruction on PR #{number} was answered already"
    signal = pull.head.ref.removeprefix(BRANCH_PREFIX)
    approach = render("pulls/followup.txt.j2", pull=number, branch=pull.head.ref, actor=actor,
                      instruction=instruction).strip()  # fmt: skip
    report = dispatch_agent(client, repo, signal, approach, reason=f"follow-up on PR #{number}",
                            config=config, ref=ref, now=now)  # fmt: skip
    attempt = report.dispatched[0].id if report.dispatched else None
    why = held_back(report)
    body = render("pulls/followup-reply.md.j2", marker=marker, attempt=attempt,
                  branch=branch_name(signal), reason=why)  # fmt: skip
    host.comment(pull, body)
    if attempt:
        return f"PR #{number}: the agent runner started on {pull.head.ref} (attempt {attempt})"
    return f"PR #{number}: the agent runner was not started: {why}"


# Wakes about one of Prime's pull requests: the growth gate judges it, or a follow-up message
# goes to the agent.
PULL_FLOWS = frozenset({"pr-gate", "pr-followup"})


def pull_flow(
    client: GitHubClient,
    repo: str,
    event: Event,
    gated: Wake,
    *,
    config: RepoConfig,
    now: datetime,
    dry_run: bool = False,
    on_merge: Callable[[MergedPull], None] | None = None,
    reviewer: Reviewer | None = None,
) -> tuple[str, bool]:
    """Run the growth gate (pr-gate) or hand a follow-up to the agent (pr-followup).

    Returns:
        A line saying what was done, and whether the wake goes on into its cycle: only after
        a merge, so that the architect writes the next ticket at once (and `on_merge` hears
        of it, for the growth report). A dry run does nothing. `reviewer` (a model is
        configured) reviews the PR's head for the gate.
    """
    if dry_run:
        return f"dry run: {gated.detail}; nothing judged or dispatched", False
    ref = event.default_branch or "main"
    if gated.reason == "pr-followup":
        if gated.issue is None or event.comment is None:
            return f"{gated.detail}: no pull request or comment in the event", False
        line = follow_up(client, repo, gated.issue, gated.instruction or "",
                         comment_id=event.comment.id, actor=event.actor, config=config, ref=ref,
                         now=now)  # fmt: skip
        return line, False
    branch = branch_name(gated.signal or "")
    number = gated.issue or GitHubGrowth(client, repo).open_pull_of(branch)
    if number is None:
        return f"{branch} has no open pull request; nothing to judge", False
    result = gate_pull(client, repo, number, config=config, ref=ref, now=now, reviewer=reviewer)
    if result.merged_pull is not None and on_merge is not None:
        on_merge(result.merged_pull)
    return result.line, result.merged
