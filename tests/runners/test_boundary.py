"""The PR boundary: one branch per signal, no diff no PR, never over a human's commits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from prime_action.runners.boundary import BoundaryError, Pull, propose

BODY = "<!-- prime:comment=pr-license -->\nFixes #3"


@dataclass
class MemoryHost:
    """A repository in memory: commits are file maps, branches point at commit indexes."""

    commits: list[dict[str, str]] = field(default_factory=lambda: [{"README.md": "hi"}])
    branches: dict[str, int] = field(default_factory=lambda: {"main": 0})
    pulls: list[Pull] = field(default_factory=list)
    forced: int = 0

    def default_branch(self) -> tuple[str, str]:
        return "main", str(self.branches["main"])

    def branch_head(self, branch: str) -> str | None:
        return str(self.branches[branch]) if branch in self.branches else None

    def files_at(self, sha: str, paths: tuple[str, ...]) -> dict[str, str | None]:
        return {p: self.commits[int(sha)].get(p) for p in paths}

    def commit(
        self, branch: str, parent: str, files: Mapping[str, str], message: str, *, create: bool
    ) -> str:
        assert create == (branch not in self.branches)
        if not create and self.branches[branch] != int(parent):
            self.forced += 1  # moving a branch off its head would need a force-push
        self.commits.append(self.commits[int(parent)] | dict(files))
        self.branches[branch] = len(self.commits) - 1
        return str(self.branches[branch])

    def find_pull(self, branch: str) -> Pull | None:
        return self.pulls[0] if self.pulls else None

    def open_pull(
        self, branch: str, base: str, title: str, body: str, labels: tuple[str, ...]
    ) -> Pull:
        self.pulls.append(
            Pull(number=9, url="https://github.test/acme/api/pull/9", title=title, body=body)
        )
        return self.pulls[0]

    def update_pull(self, number: int, title: str, body: str) -> Pull:
        self.pulls[0] = self.pulls[0].model_copy(update={"title": title, "body": body})
        return self.pulls[0]


def test_a_change_opens_one_pull_request_from_the_signal_branch() -> None:
    host = MemoryHost()

    proposal = propose(host, "license", {"LICENSE": "MIT"}, title="Add a license", body=BODY)

    assert proposal.pull is not None
    assert proposal.committed
    assert host.commits[host.branches["prime/license"]]["LICENSE"] == "MIT"


def test_no_diff_means_no_branch_and_no_pull_request() -> None:
    host = MemoryHost(commits=[{"LICENSE": "MIT"}])

    proposal = propose(host, "license", {"LICENSE": "MIT"}, title="t", body=BODY)

    assert proposal.pull is None
    assert "no diff" in proposal.note
    assert set(host.branches) == {"main"}


def test_a_rerun_commits_nothing_twice_and_keeps_the_one_pull_request() -> None:
    host = MemoryHost()
    propose(host, "license", {"LICENSE": "MIT"}, title="t", body=BODY)
    commits = len(host.commits)

    again = propose(host, "license", {"LICENSE": "MIT"}, title="t2", body=BODY)

    assert not again.committed
    assert len(host.commits) == commits
    assert len(host.pulls) == 1
    assert host.pulls[0].title == "t2"


def test_a_human_commit_on_the_branch_is_built_upon_never_overwritten() -> None:
    host = MemoryHost()
    propose(host, "license", {"LICENSE": "MIT"}, title="t", body=BODY)
    host.commits.append(host.commits[-1] | {"NOTES.md": "by a human"})
    host.branches["prime/license"] = len(host.commits) - 1

    propose(host, "license", {"LICENSE": "MIT\nmore"}, title="t", body=BODY)

    head = host.commits[host.branches["prime/license"]]
    assert head["NOTES.md"] == "by a human"
    assert head["LICENSE"] == "MIT\nmore"
    assert host.forced == 0


@pytest.mark.parametrize("path", [".github/workflows/ci.yml", "/.GitHub/Workflows/x.yml"])
def test_workflow_files_are_refused_unless_permitted(path: str) -> None:
    with pytest.raises(BoundaryError, match="workflow files need explicit permission"):
        propose(MemoryHost(), "ci", {path: "on: push"}, title="t", body=BODY)

    allowed = propose(MemoryHost(), "ci", {path: "x"}, title="t", body=BODY, allow_workflows=True)
    assert allowed.pull is not None


def test_a_body_without_the_prime_marker_is_refused() -> None:
    with pytest.raises(BoundaryError, match="hidden marker"):
        propose(MemoryHost(), "license", {"LICENSE": "MIT"}, title="t", body="Fixes #3")
