"""What a simulated organisation ended with, and the figures it prints.

`final_state` leaves out what may differ between a run with faults and one without: timing
(issue numbers, the minutes in recovered comments' markers, the comment ids replies name) and
attempt ids (an attempt's id is chained on the previous one, so one extra failed attempt
renames every later one), and how often the same comment was attempted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, cast

from prime_action.config.models import RepoConfig
from prime_action.domain.markers import find_signal, pull_signals
from prime_action.domain.models import PrimeState
from prime_action.eyes import run_signals
from prime_action.fileops.fixes import NeedsHuman, plan_fix
from prime_action.signals.base import RepoSnapshot
from testing.merging import linked_issues
from tests.e2e.invariants import PRIME_LOGIN, STATE_BRANCH, ledger_of, lost_races

if TYPE_CHECKING:
    from tests.e2e.simulation import Simulation

HOURLY_LIMIT = 1000  # GITHUB_TOKEN's REST requests per repository per hour
# The org repository's runs (Org Prime, dispatcher, runners) use PRIME_TOKEN: 5,000 an hour.
ORG_HOURLY_LIMIT = 5000
_ATTEMPT = re.compile(r"-[0-9a-f]{10,12}\b")
# A recovered issue's comment names the issue's number and the minute it was closed: both
# timing (numbers follow the order in which issues were opened).
_CLOSED = re.compile(r"comment=closed-\d+-\d+")
# A reply names the comment it answers: its id follows the order of everything written before.
_REPLY = re.compile(r"comment=reply-\d+")

RepoFinal = tuple[object, ...]


def _timeless(marker: str) -> str:
    marker = _REPLY.sub("comment=reply", _CLOSED.sub("comment=closed", marker))
    return _ATTEMPT.sub("", marker)


def _comment_keys(sim: Simulation, repo: str) -> list[str]:
    keys = {
        _timeless(c.body.split("\n", 1)[0])
        for issue in sim.fake.issues(repo) + sim.fake.pulls(repo)
        for c in sim.fake.comments(repo, issue.number)
        if c.user.login == PRIME_LOGIN
    }
    return sorted(keys)


def repo_final(sim: Simulation, repo: str) -> RepoFinal:
    """One repository's outcome: issues, PRs, files on main, comments, and Prime's memory."""
    fake = sim.fake
    mine = [i for i in fake.issues(repo) if i.user.login == PRIME_LOGIN]
    pulls = [p for p in fake.pulls(repo) if p.pull is not None and p.user.login == PRIME_LOGIN]
    text = fake.read(repo, "state.json", ref=STATE_BRANCH)
    state = PrimeState.model_validate(json.loads(text)) if text else PrimeState()
    git = fake.repos[repo.lower()].git
    return (
        repo,
        sorted(
            (find_signal(i.body) or "dashboard", i.state, tuple(sorted(i.labels))) for i in mine
        ),
        sorted((p.pull.head, p.state, p.pull.merged) for p in pulls if p.pull),
        sorted(git.files_at(git.resolve("main"))),
        _comment_keys(sim, repo),
        state.status,
        [p.signal for p in state.plan],
        sorted(state.refused),
        sorted(state.blocked),
        sorted(state.skipped),
        sorted(j.signal for j in state.in_flight),
    )


def final_state(sim: Simulation) -> tuple[RepoFinal, ...]:
    """Every repository's outcome, and the ledger's last word per (repo, signal)."""
    latest: dict[tuple[str, str], str] = {}
    for attempt in sorted(ledger_of(sim.fake, "acme/prime-org"), key=lambda a: a.created_at):
        latest[(attempt.repo, attempt.signal)] = attempt.status
    return (*(repo_final(sim, r) for r in sim.repos), tuple(sorted(latest.items())))


def world(sim: Simulation) -> list[RepoFinal]:
    """What the organisation's people see in the end: each repository's tracking issues open
    or closed, Prime's PRs (merged or not) and the files on main. Labels, comments, Prime's
    memory and the ledger are left out: they also record what faults interrupted."""
    found = []
    for repo in sim.repos:
        final = repo_final(sim, repo)
        tracked = cast("list[tuple[str, str, tuple[str, ...]]]", final[1])
        issues = [(signal, state) for signal, state, _ in tracked]
        found.append((repo, issues, final[2], final[3]))
    return found


_PARTS = (
    "tracking issues", "pull requests", "files on main", "comments", "status", "plan",
    "refused", "blocked", "skipped", "in flight",
)  # fmt: skip


def differences(clean: Simulation, faulty: Simulation) -> list[str]:
    """What differs between two runs' final states, one line per repository and part."""
    found = []
    for one, other in zip(final_state(clean), final_state(faulty), strict=True):
        if one == other:
            continue
        if not isinstance(one[0], str):  # the ledger's last words
            only = sorted(set(one) ^ set(other), key=str)
            found.append(f"ledger: {only}")
            continue
        for part, a, b in zip(_PARTS, one[1:], other[1:], strict=True):
            if a == b:
                continue
            if isinstance(a, list) and isinstance(b, list):
                gone = sorted(set(map(str, a)) - set(map(str, b)))
                new = sorted(set(map(str, b)) - set(map(str, a)))
                found.append(f"{one[0]} {part}: without faults only {gone}; with only {new}")
            else:
                found.append(f"{one[0]} {part}: {a} without faults, {b} with")
    return found


def _comment_kind(body: str) -> str:
    """A comment's template, from its marker's key (`job-...` -> `job`)."""
    first = body.split("\n", 1)[0]
    found = re.search(r"<!-- prime:comment=([a-z]+)", first)
    return found.group(1) if found else "unmarked"


def notifications_by_kind(sim: Simulation) -> Counter[str]:
    """Every notification Prime caused, by kind: issues by what they track, PRs, comments by
    their template (edits and labels notify nobody)."""
    kinds: Counter[str] = Counter()
    for repo in [*sim.repos, "acme/prime-org"]:
        for issue in sim.fake.issues(repo) + sim.fake.pulls(repo):
            if issue.user.login == PRIME_LOGIN:
                what = "pull request" if issue.pull else _issue_kind(issue.body or "")
                kinds[what] += 1
            for c in sim.fake.comments(repo, issue.number):
                if c.user.login == PRIME_LOGIN:
                    kinds[f"comment: {_comment_kind(c.body)}"] += 1
    return kinds


def _issue_kind(body: str) -> str:
    if "<!-- prime:dashboard" in body:
        return "issue: dashboard"
    return "issue: tracking" if find_signal(body) else "issue: other"


def fixed_problems(sim: Simulation) -> int:
    """Distinct problems fixed: each merged Prime PR once per signal it fixed, and each
    tracking issue Prime closed because its signal recovered that no merged PR fixed."""
    fixed = 0
    for repo in sim.repos:
        merged = [p for p in sim.fake.pulls(repo)
                  if p.user.login == PRIME_LOGIN and p.pull and p.pull.merged]  # fmt: skip
        state = sim.fake.repos[repo.lower()]
        closed_by_merge = {n for p in merged for n in linked_issues(state, p.body)}
        fixed += sum(max(1, len(pull_signals(p.body))) for p in merged)
        fixed += sum(
            1
            for i in sim.fake.issues(repo)
            if i.user.login == PRIME_LOGIN and find_signal(i.body) and i.state == "closed"
            and (repo, i.number) not in sim.closed_by_people and i.number not in closed_by_merge
        )  # fmt: skip
    return fixed


def fileops_drift(sim: Simulation, within_hours: float = 48) -> tuple[int, int]:
    """Of the fileops-fixable problems the repositories started with (the real detectors on
    their first files), how many got a Prime PR for that signal within `within_hours`."""
    from tests.e2e.simulation import START, repo_files  # noqa: PLC0415 -- a cycle otherwise

    found = total = 0
    for index, repo in enumerate(sim.repos):
        files = repo_files(index)
        snapshot = RepoSnapshot(paths=tuple(files), files=files, now=START)
        drift = [s.name for s in run_signals(snapshot, RepoConfig())
                 if s.status == "failing" and s.fix and s.fix.runner == "fileops"
                 and _templated(s.name, files)]  # fmt: skip
        opened: dict[str, str] = {}
        for p in sim.fake.pulls(repo):
            if p.user.login != PRIME_LOGIN:
                continue
            head = (p.pull.head if p.pull else "").removeprefix("prime/")
            for name in (head, *pull_signals(p.body)):
                opened[name] = min(opened.get(name, p.created_at), p.created_at)
        total += len(drift)
        found += sum(
            name in opened
            and (datetime.fromisoformat(opened[name]) - START).total_seconds()
            <= within_hours * 3600
            for name in drift
        )
    return found, total


def _templated(signal: str, files: dict[str, str]) -> bool:
    """Whether a template fixes the signal with no person's choice (CODEOWNERS in an
    organisation's repository needs a real owner: Prime asks instead of guessing)."""
    try:
        plan_fix(signal, tuple(files), owner="@acme", license_id="MIT", year=2026, files=files)
    except NeedsHuman:
        return False
    return True


def figures(sim: Simulation) -> dict[str, object]:
    """The counts the acceptance run prints."""
    fake, tally = sim.fake, sim.tally
    repos = [*sim.repos, "acme/prime-org"]
    issues = [i for r in repos for i in fake.issues(r) if i.user.login == PRIME_LOGIN]
    pulls = [p for r in repos for p in fake.pulls(r) if p.user.login == PRIME_LOGIN]
    comments = sum(
        c.user.login == PRIME_LOGIN
        for r in repos
        for i in fake.issues(r) + fake.pulls(r)
        for c in fake.comments(r, i.number)
    )
    fixed = fixed_problems(sim)
    attempts = ledger_of(fake, "acme/prime-org")
    statuses = Counter(a.status for a in attempts)
    notifications = len(issues) + len(pulls) + comments
    return {
        "repositories": len(sim.repos),
        "issues": len(issues),
        "pull requests": len(pulls),
        "merged": sum(bool(p.pull and p.pull.merged) for p in pulls),
        "comments": comments,
        "dispatches": sum("attempt" in d.inputs for d in fake.dispatches),
        "attempts": dict(sorted(statuses.items())),
        "escalations (blocked attempts)": statuses["blocked"],
        "issues labelled needs-human": sum("needs-human" in i.labels for i in issues),
        "requests": sum(tally.requests.values()),
        "max requests per repository-hour": max(
            (n for (r, _), n in tally.requests.items() if r != "acme/prime-org"), default=0
        ),
        "max requests per hour, org repository": max(
            (n for (r, _), n in tally.requests.items() if r == "acme/prime-org"), default=0
        ),
        "runs": sum(tally.runs.values()),
        "failed runs (re-run)": sum(tally.failed.values()),
        "crashes": sum(tally.crashes.values()),
        "races": tally.races,
        "problems fixed": fixed,
        "notifications per fixed problem": round(notifications / fixed, 2) if fixed else None,
        "notifications by kind": dict(sorted(notifications_by_kind(sim).items())),
        "fileops drift with a PR within 2 days": "{} of {}".format(*fileops_drift(sim)),
        "seconds": round(tally.seconds, 1),
    }


def broken_invariants(sim: Simulation) -> list[str]:
    """What the end state breaks: the hourly request limit, or a race's commit dropped."""
    found = [
        f"{repo} made {n} requests in hour {hour}"
        for (repo, hour), n in sim.tally.requests.items()
        if n >= (ORG_HOURLY_LIMIT if repo == "acme/prime-org" else HOURLY_LIMIT)
    ]
    for repo in [*sim.repos, "acme/prime-org"]:
        found += [f"{repo}: concurrent commit {sha} lost" for sha in lost_races(sim.fake, repo)]
    return found


def table(clean: dict[str, object], faulty: dict[str, object]) -> str:
    """Both runs' figures side by side (Markdown)."""
    lines = ["| figure | without faults | with faults |", "|---|---|---|"]
    lines += [f"| {key} | {clean[key]} | {faulty.get(key)} |" for key in clean]
    return "\n".join(lines)
