"""Closing semantics on GitHub's terms (issue 16): a drift fixed by a merged Prime PR and then
back is fixed again; a PR closed unmerged or an issue closed as not planned stays a 'no'
until the problem changes. Standalone mode, over the fake's closing keywords."""

from __future__ import annotations

import pytest

from prime_action.domain.markers import find_signal
from prime_action.eyes import SIGNAL_NAMES
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from testing.state import Issue
from tests.e2e.invariants import PRIME_LOGIN
from tests.e2e.test_data_plane import DataPlane

REPO = "acme/solo"
ONLY = ("license", "ci")  # every other detector is switched off: one problem to follow


def _config(tracking: str) -> str:
    off = "".join(f"  {name}:\n    enabled: false\n" for name in SIGNAL_NAMES if name not in ONLY)
    return f"version: 1\njobs:\n  tracking_issues: {tracking}\nsignals:\n{off}"


def _arrange(fake: FakeGitHub, tracking: str = "needed") -> None:
    files = {
        "README.md": "# solo\n",
        ".github/prime.yml": _config(tracking),
        RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True),
    }
    fake.add_repo(REPO, files)
    fake.set_ci(REPO, "success")


def _cycle(plane: DataPlane, stem: str = "workflow_dispatch", **changes: object) -> int:
    """One wake, then every runner it started and every result's wake; the dispatches made."""
    fake = plane.fake
    dispatched, reported = len(fake.dispatches), len(fake.repository_dispatches)
    assert plane.wake(REPO, stem, dict(changes))[0] == 0
    for index in range(dispatched, len(fake.dispatches)):
        assert plane.runner(index, repo=REPO) == (0, 0)
    for result in fake.repository_dispatches[reported:]:
        assert plane.job_result(REPO, result.client_payload)[0] == 0
    return len(fake.dispatches) - dispatched


def _open_pull(fake: FakeGitHub) -> Issue:
    (pull,) = [p for p in fake.pulls(REPO) if p.state == "open"]
    assert pull.user.login == PRIME_LOGIN
    return pull


def _closed(plane: DataPlane, pull: Issue, *, merged: bool) -> None:
    """A person merges (or closes) Prime's PR; GitHub's events wake Prime."""
    fake = plane.fake
    was_open = {i.number for i in fake.issues(REPO) if i.state == "open"}
    if merged:
        fake.merge(REPO, pull.number, user="maintainer")
    else:
        fake.close(REPO, pull.number, user="maintainer")
    changes = {
        "pull_request.number": pull.number,
        "pull_request.merged": merged,
        "pull_request.head.ref": pull.pull.head if pull.pull else "",
        "pull_request.body": pull.body,
        "pull_request.head.repo.full_name": REPO,
        "number": pull.number,
    }
    _cycle(plane, "pull_request.closed", **changes)
    for issue in fake.issues(REPO):
        if issue.number in was_open and issue.state == "closed":  # a closing keyword did it
            _cycle(plane, "issues.closed", **{"issue.number": issue.number,
                                              "issue.body": issue.body})  # fmt: skip


def _tracking(fake: FakeGitHub) -> list[Issue]:
    return [i for i in fake.issues(REPO) if find_signal(i.body) == "license"]


@pytest.mark.parametrize("tracking", ["needed", "always"])
def test_a_drift_fixed_by_a_merged_pr_and_back_again_is_fixed_again(
    plane: DataPlane,
    fake_github: FakeGitHub,
    tracking: str,
) -> None:
    _arrange(fake_github, tracking)
    assert _cycle(plane) == 1
    first = _open_pull(fake_github)
    _closed(plane, first, merged=True)
    assert fake_github.read(REPO, "LICENSE")
    if tracking == "always":  # the PR's `Fixes #n` closed the issue as completed
        (issue,) = _tracking(fake_github)
        assert (issue.state, issue.state_reason) == ("closed", "completed")
        assert f"Fixes #{issue.number}" in (first.body or "")
    else:
        assert _tracking(fake_github) == []

    fake_github.push(REPO, {"LICENSE": None}, author="maintainer")  # the drift comes back
    assert _cycle(plane, "push", ref="refs/heads/main") == 1
    second = _open_pull(fake_github)
    assert second.number != first.number
    _closed(plane, second, merged=True)
    assert fake_github.read(REPO, "LICENSE")
    if tracking == "always":
        assert all(i.state == "closed" for i in _tracking(fake_github))
    mine = [c for i in fake_github.issues(REPO) for c in fake_github.comments(REPO, i.number)]
    assert mine == []  # two problems fixed: two PRs, a dashboard, and not one comment


def test_a_pr_closed_unmerged_is_a_no_until_the_problem_changes(
    plane: DataPlane,
    fake_github: FakeGitHub,
) -> None:
    _arrange(fake_github)
    _cycle(plane)
    _closed(plane, _open_pull(fake_github), merged=False)
    assert _cycle(plane) == 0
    assert _cycle(plane, "push", ref="refs/heads/main") == 0
    assert len(fake_github.pulls(REPO)) == 1


def test_an_issue_closed_as_not_planned_is_a_no_and_one_closed_by_a_merge_is_not(
    plane: DataPlane,
    fake_github: FakeGitHub,
) -> None:
    _arrange(fake_github, "always")
    _cycle(plane)
    (issue,) = _tracking(fake_github)
    pull = _open_pull(fake_github)
    fake_github.close(REPO, pull.number, user="maintainer")  # the PR goes away quietly...
    fake_github.close(REPO, issue.number, "not_planned", user="maintainer")  # ...and: no
    _cycle(plane, "issues.closed", **{"issue.number": issue.number, "issue.body": issue.body})
    assert _cycle(plane) == 0
    assert issue.state == "closed"
