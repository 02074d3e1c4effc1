"""Which repositories Org Prime looks after (org config: archived, forks, topics, globs)."""

from __future__ import annotations

import fnmatch

from prime_action.config.org import OrgConfig
from prime_action.org.model import Excluded, RepoFacts


def matches(repo: str, patterns: tuple[str, ...]) -> bool:
    """A glob matches `OWNER/NAME` or `NAME`, case-insensitively like GitHub's names."""
    full = repo.lower()
    name = full.partition("/")[2]
    return any(
        fnmatch.fnmatchcase(full, p.lower()) or fnmatch.fnmatchcase(name, p.lower())
        for p in patterns
    )


def opted_in(repo: str, config: OrgConfig) -> bool:
    """Whether Org Prime may dispatch into a repository without a Repo Prime."""
    return matches(repo, config.dispatch_unmanaged)


def exclusion(facts: RepoFacts, config: OrgConfig) -> str | None:
    """Why the org config leaves a repository out, or None when it is included.

    Args:
        facts: the repository (only its name, flags and topics are looked at).
        config: the org config.

    Returns:
        The filter that excluded it, e.g. "archived", or None.
    """
    if facts.archived and not config.archived:
        return "archived"
    if facts.fork and not config.forks:
        return "fork"
    if config.topics and not set(config.topics) & set(facts.topics):
        return f"none of the topics {', '.join(config.topics)}"
    if not matches(facts.repo, config.include):
        return "not matched by include"
    if matches(facts.repo, config.exclude):
        return "matched by exclude"
    return None


def select(
    repos: tuple[RepoFacts, ...], config: OrgConfig
) -> tuple[tuple[RepoFacts, ...], tuple[Excluded, ...]]:
    """Split the listing into the repositories looked after and those left out (with why)."""
    kept: list[RepoFacts] = []
    left: list[Excluded] = []
    for facts in repos:
        reason = exclusion(facts, config)
        if reason is None:
            kept.append(facts)
        else:
            left.append(Excluded(repo=facts.repo, reason=reason))
    return tuple(kept), tuple(left)
