"""The simulated people of the simulated organisation: what they do, hour by hour.

The schedule is fixed by repository index and hour (the same with and without faults); what
people act on (which PR, which issue) is read from the world, as a person would see it. Every
change a person makes on GitHub is followed by the event GitHub would send to the repository's
Prime workflow.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from prime_action.domain.markers import DASHBOARD, find_signal
from testing.state import Issue
from tests.e2e.invariants import PRIME_LOGIN

if TYPE_CHECKING:
    from tests.e2e.simulation import Simulation

REVIEW_AFTER_HOURS = 3  # a Prime PR is looked at once it is this old
HUMAN = "octocat"


def act(sim: Simulation, hour: int, *, scheduled: bool = True) -> None:
    """Everything people do in `hour` across the organisation; in the quiet hours at the end
    (`scheduled` False) they only go on reviewing Prime's PRs, so none is left waiting."""
    for index, repo in enumerate(sim.repos):
        review(sim, repo, index)
        kind = index % 6
        if not scheduled:
            continue
        if kind == 1 and hour == 2 + index % 12:
            set_ci(sim, repo, "failure")
        if kind == 1 and hour == 30 + index % 12:
            set_ci(sim, repo, "success")
        if kind == 2 and hour == 10:
            close_tracking_issue(sim, repo)
        if kind == 3 and hour == 14:
            command(sim, repo, "/prime status")
        if kind == 4 and hour == 20:
            skip_first_signal(sim, repo)
        if kind == 5 and hour == 30:
            tick(sim, repo, "<!-- prime:wake -->")


def prime_pulls(sim: Simulation, repo: str) -> list[Issue]:
    """Prime's open pull requests in a repository."""
    return [
        p
        for p in sim.fake.pulls(repo)
        if p.state == "open" and p.user.login == PRIME_LOGIN and p.pull is not None
    ]


def review(sim: Simulation, repo: str, index: int) -> None:
    """Merge Prime's PRs once they are old enough; one in five is closed unmerged instead."""
    for pull in prime_pulls(sim, repo):
        age = sim.now - datetime.fromisoformat(pull.created_at)
        if age.total_seconds() < REVIEW_AFTER_HOURS * 3600:
            continue
        signal = (pull.pull.head if pull.pull else "").removeprefix("prime/")
        merge = (index + len(signal)) % 5 != 0
        was_open = {i.number for i in sim.fake.issues(repo) if i.state == "open"}
        if merge:
            _merge(sim, repo, pull)
            sim.wake(repo, "push", {"ref": "refs/heads/main"})
        else:
            _close(sim, repo, pull)
        sim.wake(repo, "pull_request.closed", _pull_changes(repo, pull, merged=merge))
        for issue in sim.fake.issues(repo):  # closed by the PR's closing keyword
            if issue.number in was_open and issue.state == "closed":
                changes = {"issue.number": issue.number, "issue.body": issue.body,
                           "issue.title": issue.title}  # fmt: skip
                sim.wake(repo, "issues.closed", changes)


def _merge(sim: Simulation, repo: str, pull: Issue) -> None:
    """A person merges in the web UI (the signal then recovers, linked issues close)."""
    sim.fake.merge(repo, pull.number, user=HUMAN)
    state = sim.ci.get(repo, "success")
    sim.fake.set_ci(repo, state, failing=["test"] if state == "failure" else ())


def _close(sim: Simulation, repo: str, pull: Issue) -> None:
    sim.fake.close(repo, pull.number, user=HUMAN)


def _pull_changes(repo: str, pull: Issue, *, merged: bool) -> dict[str, Any]:
    head = pull.pull.head if pull.pull else ""
    return {
        "number": pull.number,
        "pull_request.number": pull.number,
        "pull_request.merged": merged,
        "pull_request.head.ref": head,
        "pull_request.body": pull.body,
        "pull_request.head.repo.full_name": repo,
        "pull_request.base.ref": "main",
    }


def set_ci(sim: Simulation, repo: str, state: str) -> None:
    """CI on main breaks or is fixed by a person; the finished CI run wakes Prime."""
    sim.ci[repo] = state
    sim.fake.set_ci(repo, state, failing=["test"] if state == "failure" else ())
    changes = {"workflow_run.conclusion": state, "workflow_run.head_branch": "main"}
    sim.wake(repo, "workflow_run.completed", changes)


def _tracking(sim: Simulation, repo: str) -> list[Issue]:
    return [
        i
        for i in sim.fake.issues(repo)
        if i.state == "open" and i.user.login == PRIME_LOGIN and find_signal(i.body)
    ]


def close_tracking_issue(sim: Simulation, repo: str) -> None:
    """A maintainer says no to the oldest open tracking issue (not CI) by closing it."""
    found = [i for i in _tracking(sim, repo) if find_signal(i.body) != "ci"]
    if not found:
        return
    issue = found[0]
    sim.fake.close(repo, issue.number, "not_planned", user=HUMAN)
    sim.closed_by_people.add((repo, issue.number))
    changes = {"issue.number": issue.number, "issue.body": issue.body, "issue.title": issue.title}
    sim.wake(repo, "issues.closed", changes)


def _dashboard(sim: Simulation, repo: str) -> Issue | None:
    found = [i for i in sim.fake.issues(repo) if DASHBOARD in (i.body or "")]
    return found[0] if found else None


def command(sim: Simulation, repo: str, text: str, number: int | None = None) -> None:
    """A maintainer comments a `/prime` command (on the dashboard unless told otherwise)."""
    board = _dashboard(sim, repo)
    target = number or (board.number if board else None)
    if target is None:
        return
    comment = sim.fake.add_comment(repo, target, text, user=HUMAN)
    changes = {"comment.id": comment, "comment.body": text, "issue.number": target}
    sim.wake(repo, "issue_comment.created", changes)


def skip_first_signal(sim: Simulation, repo: str) -> None:
    """A maintainer tells Prime to leave the first open tracking issue's signal alone."""
    found = [s for i in _tracking(sim, repo) if (s := find_signal(i.body)) and s != "ci"]
    if found:
        command(sim, repo, f"/prime skip {found[0]}")


def tick(sim: Simulation, repo: str, marker: str) -> None:
    """A maintainer ticks a dashboard box; the edit wakes Prime."""
    board = _dashboard(sim, repo)
    box = f"- [ ] {marker}"
    if board is None or box not in (board.body or ""):
        return
    board.body = (board.body or "").replace(box, f"- [x] {marker}", 1)
    board.updated_at = sim.fake.timestamp()
    changes = {"issue.number": board.number, "issue.body": board.body, "issue.title": board.title}
    sim.wake(repo, "issues.edited", changes)
