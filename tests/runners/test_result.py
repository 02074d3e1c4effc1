"""A runner's result: which endings block at once, because the same input ends the same way."""

from __future__ import annotations

import pytest

from prime_action.runners.boundary import (
    BoundaryError,
    PathRefused,
    Proposal,
    Pull,
    WorkflowRefused,
)
from prime_action.runners.result import NOTHING_TO_CHANGE, from_proposal, from_refusal

PULL = Pull(number=3, url="https://github.test/acme/api/pull/3", title="t", body="b")


@pytest.mark.parametrize(
    ("proposal", "status", "reason"),
    [
        (Proposal(pull=PULL, committed=True), "success", "committed"),
        (Proposal(skipped=True, note="the PR limit"), "failed", "skipped: the PR limit"),
        (Proposal(note="no diff"), "blocked", f"{NOTHING_TO_CHANGE}no diff"),
    ],
    ids=["a-pr", "a-rule-said-not-now", "nothing-to-change"],
)
def test_only_a_pull_request_is_a_success_and_nothing_to_change_blocks(
    proposal: Proposal, status: str, reason: str
) -> None:
    outcome = from_proposal("a-1", "license", proposal).outcome
    assert (outcome.status, outcome.reason) == (status, reason)


@pytest.mark.parametrize(
    ("error", "status", "manual"),
    [
        (PathRefused("not pushed: x matches guardrails.forbidden_paths"), "blocked", {}),
        (WorkflowRefused({".github/workflows/ci.yml": "on: push\n"}), "blocked",
         {".github/workflows/ci.yml": "on: push\n"}),
        (BoundaryError("prime/ci has 1 commit(s) that Prime did not write"), "failed", {}),
    ],
    ids=["path-outside-the-contract", "workflow-file", "human-commits"],
)  # fmt: skip
def test_a_refused_path_blocks_at_once_and_other_refusals_fail(
    error: BoundaryError, status: str, manual: dict[str, str]
) -> None:
    result = from_refusal("a-1", error)
    assert (result.outcome.status, result.outcome.reason) == (status, str(error))
    assert result.manual == manual
