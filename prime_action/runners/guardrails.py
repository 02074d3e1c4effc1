"""The PR boundary's rules as pure functions: guardrails, limits, dedup, conflicts, authorship.

Every function takes values and returns a reason (a string saying why not) or None; the
boundary calls them with what it read from the repository. Time comes in as `now`.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
from collections.abc import Mapping
from datetime import datetime, timedelta

import pathspec

from prime_action.config.models import GuardrailSettings, PrSettings
from prime_action.domain.markers import find_data
from prime_action.domain.models import Attempt
from prime_action.domain.values import Frozen

WORKFLOWS_DIR = ".github/workflows/"
PRIME_COMMIT_PREFIX = "prime: "
_CONTENT = re.compile(r"<!-- prime:content=([0-9a-f]{16}) -->")


# The config sections are the rules' values: one definition, documented in prime.yml.
Guardrails = GuardrailSettings
Limits = PrSettings


class PullInfo(Frozen):
    """A pull request of the target repository as the rules see it."""

    number: int
    url: str
    head: str  # the head branch
    head_sha: str
    state: str  # open | closed
    created_at: datetime
    title: str = ""
    body: str = ""
    merged: bool = False


class Activity(Frozen):
    """Prime's PRs across the organisation (counted by the caller, e.g. from the ledger)."""

    opened_last_hour: int = 0
    open_now: int = 0


def normalise(path: str) -> str:
    """A repository path without a leading slash."""
    return path.lstrip("/")


def is_workflow(path: str) -> bool:
    """Whether a path is a GitHub Actions workflow file (case-insensitively, as GitHub)."""
    return normalise(path).lower().startswith(WORKFLOWS_DIR)


def matches(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether a path matches any pattern, read as .gitignore reads them (pathspec).

    `docs` is the file or folder `docs` at any depth (never `docs-evil/`), `src/*.py` only
    files directly in `src/`, `**/*.pem` a root `key.pem` too, `.env` also `app/.env`, and a
    trailing `/` a folder with everything below it.
    """
    return bool(patterns) and _spec(patterns).match_file(normalise(path))


@functools.lru_cache(maxsize=64)
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def changed_lines(before: str | None, after: str) -> int:
    """Lines added plus lines removed between two texts."""
    diff = difflib.unified_diff((before or "").splitlines(), after.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def check_guardrails(
    files: Mapping[str, str], before: Mapping[str, str | None], rails: Guardrails
) -> str | None:
    """Why a change may not be pushed (paths outside the contract, too big), or None.

    Args:
        files: path -> new content.
        before: path -> content on the default branch (None: a new file).
        rails: the repository's guardrails.

    Returns:
        The reason naming the path or the budget and the config key, or None.
    """
    paths = sorted(normalise(p) for p in files)
    outside = [p for p in paths if rails.write_paths and not matches(p, rails.write_paths)]
    if outside:
        return f"{', '.join(outside)} outside guardrails.write_paths {list(rails.write_paths)}"
    forbidden = [p for p in paths if matches(p, rails.forbidden_paths)]
    if forbidden:
        return f"{', '.join(forbidden)} matches guardrails.forbidden_paths"
    if len(paths) > rails.max_files:
        return f"{len(paths)} files changed, over guardrails.max_files ({rails.max_files})"
    lines = sum(changed_lines(before.get(p), text) for p, text in files.items())
    if lines > rails.max_lines:
        return f"{lines} lines changed, over guardrails.max_lines ({rails.max_lines})"
    return None


def content_hash(files: Mapping[str, str]) -> str:
    """A short hash of a change's content (paths and texts), the same for the same change."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(f"{normalise(path)}\0{files[path]}\0".encode())
    return digest.hexdigest()[:16]


def content_digests(body: str) -> list[str]:
    """The content hashes a PR body carries (a grouped PR carries one per change)."""
    return _CONTENT.findall(body)


def content_marker(digest: str) -> str:
    """The hidden marker that records a PR's content hash in its body."""
    return f"<!-- prime:content={digest} -->"


def content_of(body: str) -> str:
    """The content hash a PR body's marker records ("" when it has none)."""
    found = _CONTENT.findall(body)
    return found[0] if found else ""


def same_change(pulls: tuple[PullInfo, ...], digest: str) -> PullInfo | None:
    """An open PR whose body says it carries exactly this change."""
    return next(
        (p for p in pulls if p.state == "open" and digest in _CONTENT.findall(p.body)), None
    )


def refused_change(pulls: tuple[PullInfo, ...], digest: str) -> PullInfo | None:
    """A PR carrying exactly this change that a person closed unmerged: their "no" to it.

    One Prime closed itself (idle, superseded; its body says `closed_by: prime`) is no "no".
    """
    return next(
        (
            p
            for p in pulls
            if p.state == "closed"
            and not p.merged
            and digest in _CONTENT.findall(p.body)
            and find_data(p.body).get("closed_by") != "prime"
        ),
        None,
    )


def human_commits(messages: tuple[str, ...]) -> int:
    """How many commits (by message, past the default branch) Prime did not write."""
    return sum(1 for m in messages if not m.startswith(PRIME_COMMIT_PREFIX))


def conflict(paths: tuple[str, ...], touched: Mapping[int, tuple[str, ...]]) -> str | None:
    """Which other open PR touches the same files, if any (the lowest number wins)."""
    wanted = {normalise(p) for p in paths}
    for number in sorted(touched):
        shared = sorted(wanted & set(touched[number]))
        if shared:
            return f"open PR #{number} also changes {', '.join(shared)}; skipped until it closes"
    return None


def check_limits(
    pulls: tuple[PullInfo, ...],
    org: Activity,
    limits: Limits,
    *,
    signal: str,
    now: datetime,
    prefix: str,
) -> str | None:
    """Why a new PR may not be opened now (rate and concurrency limits), or None.

    Security signals pass the concurrency limits (open PRs) but never the hourly rates.
    """
    mine = [p for p in pulls if p.head.startswith(prefix)]
    recent = sum(1 for p in mine if p.created_at > now - timedelta(hours=1))
    open_now = sum(1 for p in mine if p.state == "open")
    if recent >= limits.per_hour:
        return f"{recent} Prime PRs opened here in the last hour (prs.per_hour: {limits.per_hour})"
    if org.opened_last_hour >= limits.org_per_hour:
        return (
            f"{org.opened_last_hour} Prime PRs opened in the organisation in the last hour "
            f"(prs.org_per_hour: {limits.org_per_hour})"
        )
    if signal in limits.security_signals:
        return None
    if open_now >= limits.max_open:
        return f"{open_now} Prime PRs open here (prs.max_open: {limits.max_open})"
    if org.open_now >= limits.org_max_open:
        return (
            f"{org.open_now} Prime PRs open in the organisation "
            f"(prs.org_max_open: {limits.org_max_open})"
        )
    return None


def org_activity(attempts: tuple[Attempt, ...], now: datetime, open_now: int) -> Activity:
    """Prime's PRs across the organisation: opened in the last hour (from the ledger's PR
    URLs), and open now (counted on GitHub by the caller: the ledger does not see merges)."""
    recent = {a.pr_url for a in attempts if a.pr_url and a.updated_at > now - timedelta(hours=1)}
    return Activity(opened_last_hour=len(recent), open_now=open_now)
