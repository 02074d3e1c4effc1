"""What must hold after any run of `prime` over the fake GitHub, whatever the input was.

Shared by the bad-input corpus and the simulated organisation: no duplicate tracking issue,
dashboard or comment; everything Prime wrote carries a `<!-- prime:` marker; no token printed.
Over a long simulation also: no two open PRs per branch, no job dispatched twice, no second
open attempt per (repo, signal), no ref moved past a commit it did not build on (a lost
update), no concluded attempt changed, no concurrent writer's commit dropped.
"""

from __future__ import annotations

from collections import Counter

from prime_action.dispatch.ledger import LEDGER_FILE, OPEN, parse_ledger
from prime_action.domain.markers import DASHBOARD, PREFIX, find_signal
from prime_action.domain.models import Attempt
from testing.github import FakeGitHub
from testing.gitstore import Commit

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


# -- across runs: what a long simulation must keep (tests/e2e/simulation.py) -------------------

RACE = "prime-test: a concurrent writer"  # the message of commits a simulated race adds
STATE_BRANCH = "prime-state"
CONCLUDED = frozenset({"success", "failed", "blocked", "cancelled"})


def open_pull_duplicates(fake: FakeGitHub, repo: str) -> list[str]:
    """Two open Prime pull requests from the same branch (one branch per signal)."""
    heads = Counter(
        p.pull.head
        for p in fake.pulls(repo)
        if p.state == "open" and p.user.login == PRIME_LOGIN and p.pull is not None
    )
    return [f"two open pull requests from {head}" for head, n in heads.items() if n > 1]


def dispatch_duplicates(fake: FakeGitHub) -> list[str]:
    """A runner job started twice: two workflow_dispatches with the same attempt id."""
    ids = Counter(d.inputs.get("attempt") for d in fake.dispatches if "attempt" in d.inputs)
    return [f"attempt {a} dispatched {n} times" for a, n in ids.items() if n > 1]


def ledger_of(fake: FakeGitHub, repo: str) -> tuple[Attempt, ...]:
    """The attempt ledger on a repository's prime-state branch."""
    return parse_ledger(fake.read(repo, LEDGER_FILE, STATE_BRANCH) or "")


def ledger_problems(attempts: tuple[Attempt, ...], fake: FakeGitHub) -> list[str]:
    """Two open attempts for one (repo, signal), or a dispatched job the ledger does not know."""
    opened = Counter((a.repo, a.signal) for a in attempts if a.status in OPEN)
    found = [f"{r} {s}: {n} attempts open" for (r, s), n in opened.items() if n > 1]
    known = {a.id for a in attempts}
    found += [
        f"attempt {d.inputs['attempt']} dispatched but not in the ledger"
        for d in fake.dispatches
        if "attempt" in d.inputs and d.inputs["attempt"] not in known
    ]
    return found


class Watch:
    """Invariants over time: refs only move forward, concluded attempts stay as they ended."""

    def __init__(self) -> None:
        self.heads: dict[tuple[str, str], str] = {}
        self.concluded: dict[str, str] = {}
        self.violations: list[str] = []

    def after_run(self, fake: FakeGitHub, written: list[str], ledger_repo: str) -> None:
        """Check the repositories a run wrote to, and the ledger; raise on the first problem."""
        for repo in written:
            check(fake, repo)
            assert open_pull_duplicates(fake, repo) == [], repo
            for branch in (STATE_BRANCH, "main"):
                self._forward(fake, repo, branch)
        if ledger_repo in written:
            attempts = ledger_of(fake, ledger_repo)
            assert ledger_problems(attempts, fake) == []
            self._concluded(attempts)
        assert dispatch_duplicates(fake) == []

    def _forward(self, fake: FakeGitHub, repo: str, branch: str) -> None:
        """A lost update shows as a ref that moved to a commit not built on the old one."""
        head = fake.ref(repo, branch)
        old = self.heads.get((repo, branch))
        if head is None:
            return
        if old is not None and old != head:
            git = fake.repos[repo.lower()].git
            assert git.is_ancestor(old, head), f"{repo} {branch}: {old} lost (now {head})"
        self.heads[(repo, branch)] = head

    def _concluded(self, attempts: tuple[Attempt, ...]) -> None:
        for attempt in attempts:
            before = self.concluded.get(attempt.id)
            assert before is None or before == attempt.status, (
                f"attempt {attempt.id} was {before}, now {attempt.status}"
            )
            if attempt.status in CONCLUDED:
                self.concluded[attempt.id] = attempt.status


def lost_races(fake: FakeGitHub, repo: str) -> list[str]:
    """Commits of simulated concurrent writers that the branch no longer contains."""
    git = fake.repos[repo.lower()].git
    head = git.resolve(STATE_BRANCH)
    return [
        sha
        for sha, found in git.objects.items()
        if isinstance(found, Commit) and found.message == RACE
        and (head is None or not git.is_ancestor(sha, head))
    ]  # fmt: skip
