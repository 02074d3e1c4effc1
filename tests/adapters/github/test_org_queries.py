"""Org Prime's GraphQL texts and how their answers become values: no request is made here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from prime_action.adapters.github.org_queries import (
    FILES_PER_QUERY,
    PAGE,
    Listed,
    files_query,
    listed,
    pulls,
)
from prime_action.signals.base import CiStatus, PullRequestInfo


def _node(**extra: Any) -> dict[str, Any]:
    return {"nameWithOwner": "acme/api", **extra}


def _commit(rollup: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    return {
        "defaultBranchRef": {
            "name": "main",
            "target": {"oid": "abc", "statusCheckRollup": rollup, **extra},
        }
    }


def _check(name: str, status: str, conclusion: str | None) -> dict[str, Any]:
    return {"__typename": "CheckRun", "name": name, "status": status, "conclusion": conclusion}


def test_the_batch_sizes_stay_within_githubs_limits() -> None:
    assert PAGE <= 100
    assert FILES_PER_QUERY <= 100


def test_a_files_query_names_repositories_and_blobs_as_variables_never_in_the_text() -> None:
    text, variables = files_query([("acme/api", ["b0", "b1"]), ("acme/web", [])])
    assert variables == {
        "o0": "acme",
        "n0": "api",
        "b0_0": "b0",
        "b0_1": "b1",
        "o1": "acme",
        "n1": "web",
    }
    assert "acme" not in text
    assert "r0: repository(owner: $o0, name: $n0)" in text
    assert "f1: object(oid: $b0_1)" in text
    assert "$b0_1: GitObjectID!" in text
    assert "r1: repository(owner: $o1, name: $n1) { pullRequests(" in text


def test_an_empty_repository_is_listed_as_empty_without_ci() -> None:
    assert listed(_node(defaultBranchRef=None)) == Listed(repo="acme/api", empty=True)


def test_a_listing_node_gives_flags_topics_state_and_every_blob_three_levels_deep() -> None:
    tree = {"entries": [
        {"path": "README.md", "type": "blob", "oid": "r"},
        {"path": "src", "type": "tree", "oid": "t", "object": {"entries": [
            {"path": "src/a.py", "type": "blob", "oid": "a"},
            {"path": "src/pkg", "type": "tree", "oid": "p", "object": {"entries": [
                {"path": "src/pkg/b.py", "type": "blob", "oid": "b"},
            ]}},
        ]}},
    ]}  # fmt: skip
    node = _node(
        isArchived=True,
        isFork=True,
        repositoryTopics={"nodes": [{"topic": {"name": "python"}}, None]},
        state={"text": "{}"},
        **_commit(None, tree=tree),
    )
    found = listed(node, "FORBIDDEN: hidden")
    assert (found.archived, found.fork, found.topics) == (True, True, ("python",))
    assert found.state_text == "{}"
    assert found.blobs == {"README.md": "r", "src/a.py": "a", "src/pkg/b.py": "b"}
    assert (found.empty, found.error) == (False, "FORBIDDEN: hidden")


@pytest.mark.parametrize(
    ("rollup", "expected"),
    [
        (None, CiStatus(state="none", sha="abc")),
        ({"state": "SUCCESS", "contexts": {"nodes": []}}, CiStatus(state="success", sha="abc")),
        ({"state": "PENDING", "contexts": {"nodes": []}}, CiStatus(state="pending", sha="abc")),
        ({"state": "EXPECTED", "contexts": {"nodes": []}}, CiStatus(state="pending", sha="abc")),
        ({"state": "ERROR", "contexts": {"nodes": []}}, CiStatus(state="failure", sha="abc")),
        (
            {"state": "FAILURE", "contexts": {"nodes": [
                _check("test", "COMPLETED", "FAILURE"),
                _check("lint", "COMPLETED", "SUCCESS"),
                {"__typename": "StatusContext", "context": "ci/legacy", "state": "ERROR"},
            ]}},
            CiStatus(state="failure", sha="abc", failing=("ci/legacy", "test")),
        ),
        (
            # A failing check decides even while the rollup still says pending.
            {"state": "PENDING", "contexts": {"nodes": [
                _check("build", "COMPLETED", "TIMED_OUT"),
                _check("test", "IN_PROGRESS", None),
            ]}},
            CiStatus(state="failure", sha="abc", failing=("build",)),
        ),
    ],
)  # fmt: skip
def test_ci_is_read_from_the_status_check_rollup(
    rollup: dict[str, Any] | None, expected: CiStatus
) -> None:
    assert listed(_node(**_commit(rollup))).ci == expected


def test_open_pull_requests_of_a_files_answer_become_values() -> None:
    answer = {"pullRequests": {"nodes": [
        {"number": 3, "title": "Fix", "isDraft": True, "updatedAt": "2026-03-01T10:00:00Z",
         "headRefName": "prime/ci", "author": {"login": "bot"}},
        {"number": 4, "title": "Ghost", "isDraft": False, "updatedAt": "2026-03-02T10:00:00Z",
         "headRefName": "feature", "author": None},
        None,
    ]}}  # fmt: skip
    assert pulls(answer) == (
        PullRequestInfo(number=3, title="Fix", author="bot", draft=True, by_prime=True,
                        updated_at=datetime(2026, 3, 1, 10, tzinfo=UTC)),
        PullRequestInfo(number=4, title="Ghost", author="", draft=False, by_prime=False,
                        updated_at=datetime(2026, 3, 2, 10, tzinfo=UTC)),
    )  # fmt: skip
    assert pulls({}) == ()
