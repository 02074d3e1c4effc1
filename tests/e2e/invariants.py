"""What must hold after any run of `prime` over the fake GitHub, whatever the input was.

Shared by the bad-input corpus and the simulated organisation: no duplicate tracking issue,
dashboard or comment; everything Prime wrote carries a `<!-- prime:` marker; no token printed.
"""

from __future__ import annotations

from collections import Counter

from prime_action.domain.markers import DASHBOARD, PREFIX, find_signal
from prime_action.testing.github import FakeGitHub

PRIME_LOGIN = "github-actions[bot]"


def duplicates(fake: FakeGitHub, repo: str) -> list[str]:
    """Everything Prime wrote twice in one repository (empty when all is well).

    Returns:
        One line per duplicate: a signal with two open tracking issues, a second dashboard,
        or a comment marker posted twice on the same issue.
    """
    mine = [i for i in fake.issues(repo) if i.user.login == PRIME_LOGIN]
    found = []
    open_signals = Counter(find_signal(i.body) for i in mine if i.state == "open")
    found += [f"two open issues for {s}" for s, n in open_signals.items() if s and n > 1]
    dashboards = [i.number for i in mine if DASHBOARD in (i.body or "")]
    if len(dashboards) > 1:
        found.append(f"dashboards {dashboards}")
    for issue in fake.issues(repo) + fake.pulls(repo):
        firsts = Counter(
            c.body.split("\n", 1)[0]
            for c in fake.comments(repo, issue.number)
            if c.user.login == PRIME_LOGIN
        )
        found += [f"#{issue.number}: {m} twice" for m, n in firsts.items() if n > 1]
    return found


def unmarked(fake: FakeGitHub, repo: str) -> list[str]:
    """Issues, pull requests and comments Prime wrote without a `<!-- prime:` marker."""
    found = []
    for issue in fake.issues(repo) + fake.pulls(repo):
        if issue.user.login == PRIME_LOGIN and PREFIX not in (issue.body or ""):
            found.append(f"#{issue.number} {issue.title!r}")
        found += [
            f"comment {c.id} on #{issue.number}"
            for c in fake.comments(repo, issue.number)
            if c.user.login == PRIME_LOGIN and PREFIX not in c.body
        ]
    return found


def check(fake: FakeGitHub, *repos: str) -> None:
    """Assert the invariants in every repository named."""
    for repo in repos:
        assert duplicates(fake, repo) == [], repo
        assert unmarked(fake, repo) == [], repo
