"""The LLM reviewer of agent PRs: its prompt, its answer checked against the diff, and what the
answer may add to the gate's verdict (findings only: it never turns a failing gate into a merge)."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import Field, ValidationError

from prime_action.brain.llm import LLM, Message
from prime_action.brain.prompt import clip, fence
from prime_action.brain.sanitize import clean
from prime_action.domain.errors import LLMError
from prime_action.domain.models import Usage
from prime_action.domain.values import Frozen
from prime_action.growth.merge_gate import Verdict
from prime_action.growth.review import FileChange
from prime_action.growth.seed import Seed
from prime_action.templating import render

# The diff the model reads; files beyond it are named, not shown.
MAX_DIFF_CHARS = 60_000
# An identity document (CLAUDE.md, AGENTS.md) as the model reads it.
MAX_DOC_CHARS = 8_000
MAX_FINDINGS = 20
MAX_MESSAGE = 500
MAX_SUMMARY = 1000

Severity = Literal["error", "warning", "note"]
ReviewVerdict = Literal["approve", "changes"]


class ReviewFinding(Frozen):
    """One thing the reviewer says is wrong: where (a path, maybe a line of the new file), what."""

    path: str = Field(min_length=1, max_length=500)
    line: int | None = Field(default=None, ge=1)
    severity: Severity = "warning"
    message: str = Field(min_length=1, max_length=4000)


class ReviewAnswer(Frozen):
    """The model's structured answer (also the JSON Schema it is asked for)."""

    verdict: ReviewVerdict
    summary: str = Field(default="", max_length=4000)
    findings: tuple[ReviewFinding, ...] = Field(default=(), max_length=100)


class Rules(Frozen):
    """What the diff is held to: the seed's rules, or else the repository's agent documents."""

    constraints: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()
    # path -> text of CLAUDE.md / AGENTS.md (only without a seed).
    docs: dict[str, str] = Field(default_factory=dict)


class LLMReview(Frozen):
    """One review call: the admitted answer (None: no usable answer), its cost, and why not."""

    answer: ReviewAnswer | None = None
    usage: Usage = Usage()
    note: str = ""


def answer_schema() -> dict[str, Any]:
    """The JSON Schema of the answer, for structured output."""
    return ReviewAnswer.model_json_schema()


def seed_rules(seed: Seed) -> Rules:
    """The seed's constraints and coding standards as sentences for the prompt."""
    limits = seed.constraints
    constraints = [
        f"max_lines_per_file: {limits.max_lines_per_file}",
        f"max_function_lines: {limits.max_function_lines}",
        f"max_new_dependencies_per_pr: {limits.max_new_dependencies_per_pr}",
        f"dependency_allowlist: {', '.join(limits.dependency_allowlist) or '(none)'}",
        *(f"module {r.source} must not import {r.target}" for r in limits.forbidden_imports),
    ]
    style = seed.coding_standards
    standards = [*style.style]
    standards += [f"formatter: {style.formatter}"] if style.formatter else []
    standards += [f"linter: {style.linter}"] if style.linter else []
    return Rules(constraints=tuple(constraints), standards=tuple(standards))


def numbered(change: FileChange) -> str:
    """One file of the diff as the model reads it: added lines with their new numbers."""
    added = [f"+{line.number}: {line.text}" for line in change.added]
    removed = [f"-: {text}" for text in change.removed]
    state = "deleted" if change.content is None else "changed"
    return "\n".join([f"## {change.path} ({state})", *added, *removed])


def bounded_diff(changes: tuple[FileChange, ...], bound: int) -> tuple[str, tuple[str, ...]]:
    """The diff's files in order while they fit in `bound` characters; the paths left out."""
    shown: list[str] = []
    omitted: list[str] = []
    used = 0
    for change in changes:
        text = numbered(change)
        if omitted or used + len(text) > bound:
            omitted.append(change.path)
            continue
        shown.append(text)
        used += len(text) + 1
    return "\n".join(shown), tuple(omitted)


def review_messages(
    changes: tuple[FileChange, ...], rules: Rules, title: str, bound: int = MAX_DIFF_CHARS
) -> tuple[Message, ...]:
    """The review prompt: the rules, then the diff and the PR's title fenced as data.

    Args:
        changes: the PR's changed files.
        rules: what the diff is held to.
        title: the PR's title (written by an agent: untrusted).
        bound: the most characters of diff shown.

    Returns:
        The system and user messages.
    """
    diff, omitted = bounded_diff(changes, bound)
    docs = {p: fence(clip(t, MAX_DOC_CHARS), p) for p, t in sorted(rules.docs.items())}
    user = render("prompts/review-user.md.j2", rules=rules, docs=docs, omitted=omitted,
                  title=fence(title, "the pull request's title"),
                  diff=fence(diff, "the pull request's diff"))  # fmt: skip
    system = render("prompts/review-system.md.j2", max_findings=MAX_FINDINGS)
    return Message(role="system", content=system), Message(role="user", content=user)


def parse_answer(text: str) -> ReviewAnswer:
    """The answer in a model's reply (a ```json fence around it is tolerated).

    Raises:
        ValueError: the reply is not JSON or not a review; the message says why.
    """
    stripped = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", text)
    try:
        return ReviewAnswer.model_validate(json.loads(stripped))
    except json.JSONDecodeError as e:
        msg = f"not JSON ({e.msg} at line {e.lineno} column {e.colno})"
        raise ValueError(msg) from e
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the answer"
        msg = f"not a review ({where}: {first['msg']}; {e.error_count()} error(s))"
        raise ValueError(msg) from e


def admit(answer: ReviewAnswer, changes: tuple[FileChange, ...], repo: str) -> ReviewAnswer:
    """The answer as Prime may act on it and post it.

    Findings on a path the diff does not change are dropped: the review is of this diff, and
    such a finding can be neither placed nor checked. A line that the change did not add
    loses its line (the finding stays, in the review's body). Text is sanitised; at most
    MAX_FINDINGS are kept. A "changes" with no finding left asks for nothing: it reads as
    "approve".
    """
    added = {c.path: {line.number for line in c.added} for c in changes}
    kept = [
        f.model_copy(update={"line": f.line if f.line in added[f.path] else None,
                             "message": clean(f.message, repo, MAX_MESSAGE)})
        for f in answer.findings
        if f.path in added
    ][:MAX_FINDINGS]  # fmt: skip
    verdict: ReviewVerdict = "changes" if answer.verdict == "changes" and kept else "approve"
    summary = clean(answer.summary, repo, MAX_SUMMARY)
    return ReviewAnswer(verdict=verdict, summary=summary, findings=tuple(kept))


def consult(
    llm: LLM, messages: tuple[Message, ...], changes: tuple[FileChange, ...], repo: str
) -> LLMReview:
    """One review call, no repair round (a review is worth one call): the admitted answer,
    or none with the reason, and what the call cost either way."""
    try:
        reply = llm.complete(messages, answer_schema())
    except LLMError as e:
        return LLMReview(note=f"the review call failed: {e}")
    try:
        answer = parse_answer(reply.text)
    except ValueError as e:
        return LLMReview(usage=reply.usage, note=f"the reviewer's answer is invalid: {e}")
    return LLMReview(answer=admit(answer, changes, repo), usage=reply.usage)


def finding_line(finding: ReviewFinding) -> str:
    """A finding as one line of a rework instruction."""
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    return f"{where}: {finding.message} (LLM reviewer, {finding.severity})"


def with_review(verdict: Verdict, answer: ReviewAnswer | None, rounds: int, limit: int) -> Verdict:
    """The gate's verdict with the reviewer's findings added; an approval changes nothing.

    Args:
        verdict: the mechanical gate's verdict.
        answer: the admitted review (None: no review).
        rounds: follow-ups sent on the PR for earlier heads.
        limit: the seed's max_review_rounds.

    Returns:
        The same verdict when the reviewer approves or did not answer, or while the gate
        waits for checks; else the verdict with the findings added, a pass becoming a
        rework (or needs-human on the last round) exactly as a failing gate would.
    """
    if answer is None or answer.verdict == "approve" or verdict.status == "pending":
        return verdict
    extra = tuple(finding_line(f) for f in answer.findings)
    if verdict.status != "pass":
        return verdict.model_copy(update={"findings": verdict.findings + extra})
    round_ = rounds + 1
    status = "needs-human" if round_ >= limit else "rework"
    return verdict.model_copy(update={"status": status, "findings": extra, "round": round_})
