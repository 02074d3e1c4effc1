"""Cross-repository patterns: the same signal failing in several repositories, reported once."""

from __future__ import annotations

from prime_action.org.model import Pattern, RepoFacts

MIN_REPOS = 3


def failing_signals(facts: RepoFacts) -> tuple[str, ...]:
    """The signals failing in a repository, from its Repo Prime's state or the remote eyes."""
    signals = facts.state.signals if facts.managed and facts.state else facts.signals
    return tuple(sorted({s.name for s in signals if s.status == "failing"}))


def find_patterns(repos: tuple[RepoFacts, ...], min_repos: int = MIN_REPOS) -> tuple[Pattern, ...]:
    """Every signal failing in at least `min_repos` readable repositories.

    Args:
        repos: the repositories looked after.
        min_repos: how many repositories make a pattern (3 by default).

    Returns:
        Patterns, the most widespread first, then by signal name.
    """
    where: dict[str, list[str]] = {}
    for facts in repos:
        if facts.error is None:
            for signal in failing_signals(facts):
                where.setdefault(signal, []).append(facts.repo)
    found = [
        Pattern(signal=signal, repos=tuple(sorted(names)))
        for signal, names in where.items()
        if len(names) >= min_repos
    ]
    return tuple(sorted(found, key=lambda p: (-len(p.repos), p.signal)))
