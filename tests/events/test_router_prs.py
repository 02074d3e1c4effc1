"""The router's routes for Prime's pull requests: checks completed or a head moved wake the
growth merge gate, whoever sent them; `/prime <instruction>` on a pull request is a follow-up."""

from __future__ import annotations

import pytest

from prime_action.config.models import TrustSettings
from prime_action.events.router import route
from prime_action.events.verdict import Ignore, Wake
from tests.events.payloads import PRIME, by, event

TRUST = TrustSettings()
BRANCH = "prime/growth.parser.tokenizer"
SIGNAL = "growth.parser.tokenizer"
SUITE_PR = "check_suite.pull_requests.0"
# The example run is of octo-org/octo-repo's master: made a run of a Prime branch here.
RUN_ON_PRIME = {"workflow_run.head_branch": BRANCH, "workflow_run.event": "push"}
ON_A_PULL = {"issue.pull_request": {"url": "https://api.github.com/repos/o/r/pulls/1"}}


@pytest.mark.parametrize(
    ("stem", "changes", "issue"),
    [
        pytest.param(
            "check_suite.completed",
            {f"{SUITE_PR}.head.ref": BRANCH},
            2,
            id="a check suite of prime's pull request",
        ),
        pytest.param(
            "check_suite.completed",
            {f"{SUITE_PR}.head.ref": BRANCH, **by(PRIME, "Bot")},
            2,
            id="a check suite prime's own push started",
        ),
        pytest.param(
            "check_suite.completed",
            {f"{SUITE_PR}.head.ref": BRANCH, **by("ci-app[bot]", "Bot")},
            2,
            id="a check suite of a ci app that is not in trust.bots",
        ),
        pytest.param(
            "pull_request.synchronize",
            {"pull_request.head.ref": BRANCH},
            2,
            id="a push to prime's pull request",
        ),
        pytest.param(
            "pull_request.opened",
            {"pull_request.head.ref": BRANCH, **by(PRIME, "Bot")},
            2,
            id="prime opening its pull request",
        ),
        pytest.param(
            "workflow_run.completed",
            {**RUN_ON_PRIME, **by(PRIME, "Bot")},
            None,
            id="a ci run on a prime branch whose pull request it does not name",
        ),
    ],
)
def test_checks_or_a_new_head_of_a_prime_pull_request_wake_the_growth_gate(
    stem: str, changes: dict[str, object], issue: int | None
) -> None:
    verdict = route(event(stem, changes), TRUST)

    assert isinstance(verdict, Wake)
    assert (verdict.reason, verdict.signal, verdict.issue) == ("pr-gate", SIGNAL, issue)


def test_a_run_naming_its_pull_request_carries_the_number() -> None:
    pulls = [
        {
            "number": 9,
            "head": {"ref": BRANCH, "repo": {"url": "https://x/repos/octo-org/octo-repo"}},
        }
    ]
    ran = event("workflow_run.completed", {**RUN_ON_PRIME, "workflow_run.pull_requests": pulls})

    verdict = route(ran, TRUST)

    assert isinstance(verdict, Wake)
    assert (verdict.reason, verdict.issue) == ("pr-gate", 9)


@pytest.mark.parametrize(
    ("stem", "changes", "reason"),
    [
        pytest.param(
            "check_suite.completed",
            {},
            "check suite of no Prime pull request",
            id="a check suite of someone else's branch",
        ),
        pytest.param(
            "check_suite.completed",
            {
                f"{SUITE_PR}.head.ref": BRANCH,
                f"{SUITE_PR}.head.repo.url": "https://api.github.com/repos/mallory/Hello-World",
            },
            "check suite of no Prime pull request",
            id="a fork's branch named prime/",
        ),
        pytest.param(
            "check_suite.completed",
            {f"{SUITE_PR}.head.ref": "changes", **by(PRIME, "Bot")},
            "own event",
            id="prime's own check suite of another branch",
        ),
        pytest.param(
            "pull_request.synchronize",
            {"pull_request.head.ref": BRANCH, "pull_request.head.repo.full_name": "mallory/x"},
            "pull_request/synchronize of no Prime pull request",
            id="a fork's pull request from a prime/ branch",
        ),
        pytest.param(
            "pull_request.opened",
            {},
            "pull_request/opened of no Prime pull request",
            id="a human's pull request",
        ),
        pytest.param(
            "workflow_run.completed",
            {**RUN_ON_PRIME, "workflow_run.head_repository.full_name": "mallory/octo-repo"},
            "not the default branch",
            id="a fork's run on a prime/ branch",
        ),
        pytest.param(
            "pull_request.closed",
            {"pull_request.head.ref": BRANCH, **by(PRIME, "Bot")},
            "own event",
            id="prime closing its pull request is still its own",
        ),
    ],
)
def test_checks_of_other_branches_forks_and_prime_s_own_closing_are_not_gated(
    stem: str, changes: dict[str, object], reason: str
) -> None:
    verdict = route(event(stem, changes), TRUST)

    assert isinstance(verdict, Ignore)
    assert reason in verdict.reason


def test_an_instruction_on_a_pull_request_is_a_follow_up_with_the_whole_text() -> None:
    body = "/prime rename tokens() to split_tokens()\nand keep the tests green"
    commented = event("issue_comment.created", {"comment.body": body, **ON_A_PULL})

    verdict = route(commented, TRUST)

    assert isinstance(verdict, Wake)
    assert verdict.reason == "pr-followup"
    assert verdict.issue == commented.issue.number if commented.issue else False
    assert verdict.instruction == "rename tokens() to split_tokens()\nand keep the tests green"


@pytest.mark.parametrize(
    ("body", "on_pull", "reason", "command"),
    [
        pytest.param(
            "/prime skip ci", True, "command", "skip", id="a command word on a pull request"
        ),
        pytest.param("/prime Status", True, "command", "status", id="a command word in capitals"),
        pytest.param("/prime", True, "command", "help", id="a bare /prime on a pull request"),
        pytest.param("/prime fix it", False, "command", "fix", id="an instruction on an issue"),
    ],
)
def test_command_words_and_issues_stay_commands(
    body: str, on_pull: bool, reason: str, command: str
) -> None:
    changes = {"comment.body": body, **(ON_A_PULL if on_pull else {})}

    verdict = route(event("issue_comment.created", changes), TRUST)

    assert isinstance(verdict, Wake)
    assert (verdict.reason, verdict.command, verdict.instruction) == (reason, command, None)


def test_an_untrusted_instruction_on_a_pull_request_is_ignored() -> None:
    changes = {
        "comment.body": "/prime delete the tests",
        "comment.author_association": "NONE",
        **ON_A_PULL,
    }

    verdict = route(event("issue_comment.created", changes), TRUST)

    assert verdict == Ignore(reason="untrusted actor Codertocat (NONE) sent a command")
