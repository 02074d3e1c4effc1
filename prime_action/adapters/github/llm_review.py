"""The LLM reviewer's side on GitHub: one pull request review per head commit, inline comments
on the lines it names, and the review call itself (budget, model, prompt)."""

from __future__ import annotations

import re
from datetime import datetime

from github.PullRequest import PullRequest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.growth import GitHubGrowth
from prime_action.brain.budget import budget_refusal, day_of, spent_today
from prime_action.brain.llm import LLM
from prime_action.brain.prompt import IDENTITY_DOCS
from prime_action.config.models import BrainSettings
from prime_action.domain.errors import GitHubError
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import Spend, Usage
from prime_action.domain.values import Frozen
from prime_action.growth.llm_review import (
    LLMReview,
    ReviewAnswer,
    ReviewFinding,
    ReviewVerdict,
    Rules,
    consult,
    review_messages,
    seed_rules,
    with_review,
)
from prime_action.growth.merge_gate import Evidence, Verdict
from prime_action.growth.review import FileChange
from prime_action.growth.seed import Seed
from prime_action.templating import render

REVIEW_KEY = "llm-review"
# The review's marker names the PR, the head and the verdict: `llm-review-12-<sha12>-changes`.
_POSTED = re.compile(
    rf"<!-- prime:comment={REVIEW_KEY}-(\d+)-([0-9a-f]{{12}})-(approve|changes) -->"
)


def review_marker(number: int, head: str, verdict: ReviewVerdict) -> str:
    """The review's marker: one review per (PR, head commit), carrying its verdict."""
    return comment_marker(f"{REVIEW_KEY}-{number}-{head[:12]}-{verdict}")


# Always COMMENT: Prime's PRs are its token's own, and GitHub refuses APPROVE and
# REQUEST_CHANGES on one's own PR (422), and APPROVE from Actions unless a repository allows
# it; a COMMENT review neither blocks nor counts as an approval, so the gate alone decides.
REVIEW_EVENT = "COMMENT"


def inline_comment(finding: ReviewFinding) -> dict[str, object]:
    """A finding on its line: `line` in the new file, `side` RIGHT (the change's side)."""
    body = render("growth/llm-review-line.md.j2", finding=finding).strip()
    return {"path": finding.path, "line": finding.line, "side": "RIGHT", "body": body}


class Reviewer:
    """The LLM reviewer of one wake: its model, the budget, and what it spent."""

    def __init__(self, llm: LLM, settings: BrainSettings, spend: Spend, now: datetime) -> None:
        self._llm = llm
        self._settings = settings
        self._spend = spend
        self._now = now
        self.usage = Usage()
        self.budget_usd = settings.budget_usd_per_day

    def review(
        self, changes: tuple[FileChange, ...], rules: Rules, title: str, repo: str
    ) -> LLMReview:
        """One review call within the day's budget (refused: no review, the gate decides)."""
        today = spent_today(self._spend, self._now) + self.usage.cost_usd
        refusal = budget_refusal(Spend(day=day_of(self._now), usd_today=today),
                                 self._settings.budget_usd_per_day, self._now)  # fmt: skip
        if refusal:
            return LLMReview(note=refusal)
        done = consult(self._llm, review_messages(changes, rules, title), changes, repo)
        self.usage = Usage(
            prompt_tokens=self.usage.prompt_tokens + done.usage.prompt_tokens,
            completion_tokens=self.usage.completion_tokens + done.usage.completion_tokens,
            cost_usd=self.usage.cost_usd + done.usage.cost_usd,
        )
        return done


class Posted(Frozen):
    """The review posted at a head already: its verdict."""

    verdict: ReviewVerdict


def history(client: GitHubClient, pull: PullRequest) -> tuple[Posted | None, int]:
    """The LLM review of the PR's current head, if one was posted, and how many earlier heads
    a review asked to change (one listing)."""
    reviews = client.read(f"reviews of PR #{pull.number}", lambda: list(pull.get_reviews()))
    head = pull.head.sha[:12]
    here: Posted | None = None
    changed: set[str] = set()
    for review in reviews:
        found = _POSTED.search(review.body or "")
        if found is None or int(found[1]) != pull.number:
            continue
        if found[2] == head:
            here = Posted(verdict="changes" if found[3] == "changes" else "approve")
        elif found[3] == "changes":
            changed.add(found[2])
    return here, len(changed)


def posted(client: GitHubClient, pull: PullRequest) -> Posted | None:
    """The LLM review of the PR's current head, if one was posted (one listing)."""
    return history(client, pull)[0]


def post_review(client: GitHubClient, pull: PullRequest, answer: ReviewAnswer) -> None:
    """Post the review on the PR's head: inline comments where a line is given.

    GitHub answers 422 when a comment's line is not in the diff; the review is then posted
    once more with every finding in its body, so one review per head is still written.
    """
    inline = tuple(f for f in answer.findings if f.line is not None)
    general = tuple(f for f in answer.findings if f.line is None)
    try:
        _post(client, pull, answer, general, inline)
    except GitHubError as e:
        if e.status != 422 or not inline:
            raise
        _post(client, pull, answer, answer.findings, ())


def _post(
    client: GitHubClient,
    pull: PullRequest,
    answer: ReviewAnswer,
    general: tuple[ReviewFinding, ...],
    inline: tuple[ReviewFinding, ...],
) -> None:
    head = pull.head.sha
    marker = review_marker(pull.number, head, answer.verdict)
    body = render("growth/llm-review.md.j2", marker=marker, head=head, answer=answer,
                  general=general, inline=len(inline))  # fmt: skip
    payload = {"commit_id": head, "body": body, "event": REVIEW_EVENT,
               "comments": [inline_comment(f) for f in inline]}  # fmt: skip
    client.write(
        f"review PR #{pull.number}",
        lambda: pull.requester.requestJsonAndCheck("POST", f"{pull.url}/reviews", input=payload),
    )


# What stands for the findings of an earlier run's review of this head that asked for changes
# (the rework was not sent: that run stopped between the review and the follow-up).
EARLIER_CHANGES = ReviewFinding(
    path="(pull request)", message="the LLM reviewer asked for changes at this head; see its review"
)


def reviewed(
    client: GitHubClient,
    pull: PullRequest,
    *,
    repo: str,
    seed: Seed,
    evidence: Evidence,
    verdict: Verdict,
    reviewer: Reviewer | None,
) -> Verdict:
    """The verdict with the LLM reviewer's findings added: one review posted per head.

    A head reviewed already is not asked again: its posted verdict stands. No answer (the
    budget, a failed call, an invalid reply) leaves the mechanical verdict alone.
    """
    if reviewer is None or verdict.status == "pending":
        return verdict
    limit = seed.automation_contract.max_review_rounds
    earlier = posted(client, pull)
    if earlier is not None and earlier.verdict == "approve":
        return verdict
    if earlier is not None:
        answer = ReviewAnswer(verdict="changes", findings=(EARLIER_CHANGES,))
        return with_review(verdict, answer, evidence.rounds, limit)
    done = reviewer.review(evidence.changes, seed_rules(seed), pull.title, repo)
    if done.answer is None:
        return verdict
    post_review(client, pull, done.answer)
    return with_review(verdict, done.answer, evidence.rounds, limit)


def identity_rules(host: GitHubGrowth, ref: str) -> Rules:
    """Without a seed: the repository's CLAUDE.md and AGENTS.md at `ref` (a read each)."""
    docs = {path: text for path in IDENTITY_DOCS if (text := host.text_at(path, ref)) is not None}
    return Rules(docs=docs)
