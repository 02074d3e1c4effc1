"""Policy: every proposed action is checked against an allow-list; refusals are kept."""

from __future__ import annotations

import pytest

from prime_action.brain.policy import check_action, enforce
from prime_action.config.models import RepoConfig
from prime_action.domain.models import (
    Action,
    CloseIssue,
    CommentIssue,
    CreateIssue,
    Decision,
    Label,
    PrimeState,
    SubmitJob,
    Wait,
)
from tests.values import issue, picture, signal

PICTURE = picture(
    (signal("license"), signal("ci", "ok"), signal("codeowners")),
    (issue(3, "license"), issue(9, "ci")),
    PrimeState(skipped=("codeowners",)),
    RepoConfig.model_validate({"jobs": {"runners": ["fileops"]}}),
)


@pytest.mark.parametrize(
    ("action", "refusal"),
    [
        (CommentIssue(issue=3, body="hi"), ""),
        (CommentIssue(issue=41, body="hi"), "issue #41 is not one of Prime's own issues"),
        (CommentIssue(signal="nope", body="hi"), "unknown signal 'nope'"),
        (CloseIssue(issue=3, signal="ci", reason="x"), "issue #3 tracks 'license', not 'ci'"),
        (Label(issue=3, add=("needs-human",)), ""),
        (Label(issue=3, add=("wontfix",)), "label(s) wontfix not in the allowed set"),
        (SubmitJob(signal="license", runner="fileops", approach="a"), ""),
        (
            SubmitJob(signal="license", runner="agent", approach="a"),
            "runner 'agent' is not allowed",
        ),
        (SubmitJob(signal="ci", runner="fileops", approach="a"), "'ci' is not in the plan"),
        (SubmitJob(signal="codeowners", runner="fileops", approach="a"), "skipped by a maintainer"),
        (CreateIssue(signal="license", title="t"), "already has an open tracking issue"),
        (Wait(reason="nothing"), ""),
    ],
)
def test_policy_allows_or_refuses_each_action(action: Action, refusal: str) -> None:
    reason = check_action(action, PICTURE)
    assert (refusal in reason) if refusal else reason == ""
    if refusal:
        assert reason


def test_refused_actions_are_dropped_with_their_reason_and_allowed_ones_kept() -> None:
    proposed = Decision(
        actions=(CommentIssue(issue=3, body="ok"), CommentIssue(issue=41, body="foreign")),
        summary="s",
    )
    decision = enforce(proposed, PICTURE)
    assert [a.type for a in decision.actions] == ["comment-issue"]
    assert len(decision.dropped) == 1
    assert decision.dropped[0].action["issue"] == 41


@pytest.mark.parametrize(("proposed", "clamped"), [(0.01, 0.25), (500.0, 72.0), (6.0, 6.0)])
def test_next_wake_is_clamped_to_the_configured_range(proposed: float, clamped: float) -> None:
    decision = enforce(Decision(next_wake_hours=proposed, summary="s"), PICTURE)
    assert decision.next_wake_hours == clamped
