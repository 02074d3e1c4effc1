"""`prime growth gate`'s flow: judge one ai-task PR, then send it back, merge it, or ask."""

from __future__ import annotations

from datetime import datetime

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.growth import GitHubGrowth, maintain, send_back, signal_of
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.config.models import RepoConfig
from prime_action.domain.markers import comment_marker
from prime_action.growth.gate import Verdict, judge
from prime_action.growth.maintainer import decide
from prime_action.growth.seed import SEED_PATH, parse_seed
from prime_action.templating import render


def gate_pull(
    client: GitHubClient, repo: str, number: int, *, config: RepoConfig, ref: str, now: datetime
) -> tuple[Verdict | None, str]:
    """Judge PR `number` of `repo` and act on the verdict.

    Args:
        client: the GitHub client.
        repo: OWNER/NAME.
        number: the pull request.
        config: the repository's config (labels, jobs).
        ref: the ref the runner workflow is dispatched on (the default branch).
        now: the current moment.

    Returns:
        The verdict (None: not an open ai-task PR of Prime's) and a line saying what was done.
    """
    host = GitHubGrowth(client, repo)
    pull = host.pull(number)
    signal = signal_of(pull)
    if signal is None or pull.state != "open":
        return None, f"PR #{number} is not an open ai-task PR of Prime's; nothing to do"
    text = host.text_at(SEED_PATH, pull.base.ref)
    if text is None:
        return None, f"{repo} has no {SEED_PATH} on {pull.base.ref}; growth mode is off"
    seed = parse_seed(text)
    issues = GitHubIssueStore(client, repo, config.labels)
    ticket = next(
        (i.number for i in issues.tracking_issues() if i.signal == signal and i.state == "open"),
        None,
    )
    if ticket is None:
        return None, f"PR #{number}: the ticket of {signal} is not open; nothing to do"
    verdict = judge(seed, host.evidence(seed, pull))
    if verdict.status in ("rework", "needs-human") and host.rounds(pull)[1]:
        return verdict, f"PR #{number} was sent back at this head already; waiting for a new push"
    if verdict.status in ("rework", "needs-human"):
        send_back(host, client, pull, ticket=ticket, verdict=verdict, seed=seed, config=config,
                  ref=ref, now=now)  # fmt: skip
        done = "labelled needs-human" if verdict.status == "needs-human" else "sent back"
        return (
            verdict,
            f"PR #{number} {done} (round {verdict.round}): {len(verdict.findings)} finding(s)",
        )
    move = decide(verdict, seed.automation_contract.merge_policy, host.requested(pull))
    line = maintain(host, pull, move, ticket)
    if move.kind == "merge":
        marker = comment_marker(f"growth-merged-{number}")
        issues.close_issue(ticket, render("growth/merged.md.j2", marker=marker, pull=number))
    return verdict, line
