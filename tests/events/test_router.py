"""The router, fed GitHub's real example payloads: every trigger of DESIGN §3, and every refusal."""

from __future__ import annotations

from typing import get_args

import pytest

from prime_action.config.models import TrustSettings
from prime_action.domain.models import WakeReason
from prime_action.events.comments import command_words
from prime_action.events.model import Event
from prime_action.events.router import ROUTES, route
from prime_action.events.verdict import Ignore, Wake
from tests.events.payloads import PRIME, by, event

TRUST = TrustSettings()
DASHBOARD_BODY = "<!-- prime:dashboard -->\n## Prime\n- [x] <!-- prime:retry=ci --> retry ci"
TRACKING_BODY = "<!-- prime:signal=ci -->\nCI fails on main."
PRIME_PR = {"pull_request.head.ref": "prime/ci"}
PRIME_SUITE = {"check_suite.pull_requests.0.head.ref": "prime/growth.parser.tokenizer"}
# The dashboard as Prime writes it: its issue, its marker; a maintainer ticks a box.
PRIME_DASHBOARD = {"issue.user.login": PRIME, "issue.body": DASHBOARD_BODY}


def _reason(verdict: Wake | Ignore) -> str:
    return verdict.reason


# One real payload per trigger and action of DESIGN §3, changed only where a variant needs it.
WAKES = [
    pytest.param("schedule", {}, "schedule", id="a scheduled tick wakes on schedule"),
    pytest.param("workflow_dispatch", {}, "manual", id="the wake-now button wakes manually"),
    pytest.param("issues.opened", {}, "issue-opened", id="an opened issue wakes"),
    pytest.param("issues.edited", {}, "issue-edited", id="an edited issue wakes"),
    pytest.param("issues.labeled", {}, "issue-labeled", id="a labelled issue wakes"),
    pytest.param("issues.closed", {}, "issue-closed", id="a closed issue wakes"),
    pytest.param(
        "issues.edited",
        PRIME_DASHBOARD,
        "dashboard-edited",
        id="a maintainer ticking a box on prime's dashboard wakes dashboard-edited",
    ),
    pytest.param(
        "issue_comment.created",
        {"comment.body": "/prime skip ci"},
        "command",
        id="a prime command from the owner wakes with a command",
    ),
    pytest.param(
        "workflow_run.completed",
        {"workflow_run.conclusion": "failure"},
        "ci-failed",
        id="a failed run on the default branch wakes ci-failed",
    ),
    pytest.param(
        "workflow_run.completed",
        {"workflow_run.conclusion": "timed_out"},
        "ci-failed",
        id="a timed out run on the default branch wakes ci-failed",
    ),
    pytest.param(
        "workflow_run.completed",
        {},
        "ci-recovered",
        id="a successful run on the default branch wakes ci-recovered",
    ),
    pytest.param(
        "pull_request.closed",
        {**PRIME_PR, "pull_request.merged": True},
        "pr-merged",
        id="prime's merged pull request wakes pr-merged",
    ),
    pytest.param(
        "pull_request.closed",
        PRIME_PR,
        "pr-closed-unmerged",
        id="prime's pull request closed unmerged wakes pr-closed-unmerged",
    ),
    pytest.param(
        "check_suite.completed",
        PRIME_SUITE,
        "pr-gate",
        id="checks completed on prime's pull request wake the growth gate",
    ),
    pytest.param(
        "issue_comment.created",
        {"comment.body": "/prime rename the helper", "issue.pull_request": {"url": "u"}},
        "pr-followup",
        id="an instruction on a pull request wakes pr-followup",
    ),
    pytest.param(
        "issue_comment.created",
        {"comment.body": "/prime please look at CI first", **PRIME_DASHBOARD},
        "conversation",
        id="free text to prime on its dashboard wakes conversation",
    ),
    pytest.param("push", {}, "push", id="a push to the default branch wakes"),
    pytest.param(
        "repository_dispatch",
        {"action": "prime-job-result"},
        "job-result",
        id="a runner's report wakes job-result",
    ),
    pytest.param(
        "repository_dispatch",
        {"action": "prime-delegate"},
        "delegate",
        id="org prime delegating work wakes delegate",
    ),
    pytest.param(
        "repository_dispatch",
        {"action": "prime-wake"},
        "org-wake",
        id="org prime's wake call wakes org-wake",
    ),
]


@pytest.mark.parametrize(("stem", "changes", "expected"), WAKES)
def test_each_trigger_wakes_with_its_reason(
    stem: str, changes: dict[str, object], expected: str
) -> None:
    verdict = route(event(stem, changes), TRUST)

    assert isinstance(verdict, Wake)
    assert verdict.reason == expected


@pytest.mark.parametrize(
    ("stem", "changes", "expected"),
    [
        pytest.param(
            "issue_comment.created",
            {},
            "comment is not a /prime command",
            id="a plain comment is ignored",
        ),
        pytest.param(
            "issue_comment.created",
            {"comment.body": "/primer skip ci"},
            "comment is not a /prime command",
            id="a longer word starting with prime is no command",
        ),
        pytest.param(
            "issue_comment.created",
            {"comment.body": "/prime skip ci", "comment.author_association": "NONE"},
            "untrusted actor Codertocat (NONE) sent a command",
            id="a command from a stranger is ignored",
        ),
        pytest.param(
            "issue_comment.created",
            {"comment.body": "/prime skip ci", "comment.author_association": "CONTRIBUTOR"},
            "untrusted actor Codertocat (CONTRIBUTOR) sent a command",
            id="a command from a past contributor is ignored",
        ),
        pytest.param(
            "workflow_run.completed",
            {"workflow_run.conclusion": "cancelled"},
            "workflow run concluded cancelled: neither failed nor passed",
            id="a cancelled run is ignored",
        ),
        pytest.param(
            "workflow_run.completed",
            {"workflow_run.conclusion": "failure", "workflow_run.head_branch": "feature"},
            "workflow run on feature, not the default branch",
            id="a failure on another branch is ignored",
        ),
        pytest.param(
            "workflow_run.completed",
            {"workflow_run.conclusion": "failure", "workflow_run.event": "pull_request"},
            "workflow run of a pull_request event, not of the default branch",
            id="a fork's pull request from its own default branch is ignored",
        ),
        pytest.param(
            "pull_request.closed",
            {},
            "pull request #2 is not Prime's (changes)",
            id="closing someone else's pull request is ignored",
        ),
        pytest.param(
            "pull_request.closed",
            {**PRIME_PR, "pull_request.head.repo.full_name": "mallory/Hello-World"},
            "pull request #2 comes from mallory/Hello-World",
            id="closing a fork's prime branch is nobody saying no to prime",
        ),
        pytest.param(
            "push",
            {"ref": "refs/tags/v1.0"},
            "push to refs/tags/v1.0, not the default branch",
            id="a pushed tag is ignored",
        ),
        pytest.param(
            "push",
            {"ref": "refs/heads/prime/ci"},
            "push to refs/heads/prime/ci, not the default branch",
            id="a push to another branch is ignored",
        ),
        pytest.param(
            "repository_dispatch",
            {},
            "no handler for repository_dispatch/on-demand-test",
            id="somebody else's dispatch is ignored",
        ),
        pytest.param(
            "issues.labeled",
            {"action": "assigned"},
            "no handler for issues/assigned",
            id="an issue action prime has no use for is ignored",
        ),
    ],
)
def test_irrelevant_events_are_ignored_with_a_reason(
    stem: str, changes: dict[str, object], expected: str
) -> None:
    assert route(event(stem, changes), TRUST) == Ignore(reason=expected)


@pytest.mark.parametrize(
    ("stem", "changes"),
    [
        pytest.param("issues.opened", by(PRIME, "Bot"), id="prime opening an issue"),
        pytest.param("issues.labeled", by(PRIME, "Bot"), id="prime labelling an issue"),
        pytest.param("issues.edited", by(PRIME, "Bot"), id="prime rewriting its dashboard"),
        pytest.param("issue_comment.created", by(PRIME, "Bot"), id="prime commenting"),
        pytest.param(
            "issue_comment.created",
            {**by("prime-app[bot]", "Bot"), "comment.body": "Retrying.\n<!-- prime:comment=k -->"},
            id="prime commenting through an app with another login",
        ),
        pytest.param(
            "issues.opened",
            {"issue.body": TRACKING_BODY},
            id="an issue opened with prime's marker",
        ),
        pytest.param("push", by(PRIME, "Bot"), id="prime pushing"),
        pytest.param(
            "pull_request.closed", {**PRIME_PR, **by(PRIME, "Bot")}, id="prime closing its PR"
        ),
    ],
)
def test_prime_ignores_its_own_events(stem: str, changes: dict[str, object]) -> None:
    assert route(event(stem, changes), TRUST) == Ignore(reason="own event: no wake loops")


@pytest.mark.parametrize(
    ("stem", "changes", "expected"),
    [
        pytest.param(
            "issues.labeled",
            {"issue.user.login": PRIME, "issue.body": TRACKING_BODY},
            Wake(
                reason="issue-labeled",
                detail="issue #1 labeled by Codertocat",
                signal="ci",
                issue=1,
            ),
            id="a human labelling prime's tracking issue wakes for its signal",
        ),
        pytest.param(
            "issues.closed",
            {"issue.user.login": PRIME, "issue.body": TRACKING_BODY},
            Wake(
                reason="issue-closed",
                detail="issue #1 closed by Codertocat",
                signal="ci",
                issue=1,
            ),
            id="a human closing prime's tracking issue is heard as a no",
        ),
        pytest.param(
            "issues.edited",
            PRIME_DASHBOARD,
            Wake(reason="dashboard-edited", detail="dashboard #1 edited by Codertocat", issue=1),
            id="a human ticking prime's dashboard is no own event",
        ),
    ],
)
def test_humans_acting_on_prime_issues_still_wake_it(
    stem: str, changes: dict[str, object], expected: Wake
) -> None:
    assert route(event(stem, changes), TRUST) == expected


@pytest.mark.parametrize(
    ("stem", "changes"),
    [
        pytest.param("issues.opened", by("dependabot[bot]", "Bot"), id="a bot opening an issue"),
        pytest.param(
            "issue_comment.created",
            {**by("renovate[bot]", "Bot"), "comment.body": "/prime retry ci"},
            id="a bot sending a command",
        ),
        pytest.param("push", by("some-tool[bot]", "User"), id="a push by a login marked as bot"),
        pytest.param(
            "pull_request.closed",
            {**PRIME_PR, **by("stale[bot]", "Bot")},
            id="a bot closing prime's pull request",
        ),
    ],
)
def test_bots_not_allow_listed_are_ignored(stem: str, changes: dict[str, object]) -> None:
    verdict = route(event(stem, changes), TRUST)

    assert isinstance(verdict, Ignore)
    assert verdict.reason.endswith("is not in trust.bots")


def test_an_allow_listed_bot_wakes_prime() -> None:
    trust = TrustSettings(bots=("dependabot[bot]",))

    verdict = route(event("issues.opened", by("dependabot[bot]", "Bot")), trust)

    assert _reason(verdict) == "issue-opened"


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        pytest.param("prime-job-result", "job-result", id="a standalone runner's report"),
        pytest.param("prime-wake", "org-wake", id="a wake call through the default token"),
    ],
)
def test_dispatches_sent_as_prime_still_wake_it(action: str, expected: str) -> None:
    # GITHUB_TOKEN may send repository_dispatch, and its sender is then Prime's own login.
    dispatched = event("repository_dispatch", {"action": action, **by(PRIME, "Bot")})

    assert _reason(route(dispatched, TRUST)) == expected


def test_the_wake_button_pressed_by_an_app_still_wakes() -> None:
    pressed = event("workflow_dispatch", by("prime-org[bot]", "Bot"))

    assert _reason(route(pressed, TRUST)) == "manual"


@pytest.mark.parametrize(
    ("body", "command", "args"),
    [
        pytest.param("/prime skip ci", "skip", ("ci",), id="a command and its argument"),
        pytest.param("/prime SKIP ci", "skip", ("ci",), id="the command word in any case"),
        pytest.param(
            "\r\n  /prime retry ci now\r\nbecause the flake is fixed",
            "retry",
            ("ci", "now"),
            id="only the first line, past leading blank space",
        ),
        pytest.param("/prime pause", "pause", (), id="a command without arguments"),
        pytest.param("/prime", "help", (), id="a bare prime asks for help"),
    ],
)
def test_trusted_commands_are_parsed_into_word_and_arguments(
    body: str, command: str, args: tuple[str, ...]
) -> None:
    verdict = route(event("issue_comment.created", {"comment.body": body}), TRUST)

    assert isinstance(verdict, Wake)
    assert (verdict.command, verdict.command_args, verdict.issue) == (command, args, 1)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("/prime skip ci", ("skip", "ci"), id="words after the prefix"),
        pytest.param("/prime", (), id="no words after a bare prefix"),
        pytest.param("/primer skip", None, id="a longer word is no prefix"),
        pytest.param("please /prime skip ci", None, id="a prefix mid-sentence is no command"),
        pytest.param("", None, id="an empty comment is no command"),
    ],
)
def test_command_words_come_from_the_first_line_only(
    body: str, expected: tuple[str, ...] | None
) -> None:
    assert command_words(body) == expected


@pytest.mark.parametrize(
    ("associations", "sender_association", "expected"),
    [
        pytest.param(("OWNER",), "MEMBER", "untrusted actor", id="a member when only owners count"),
        pytest.param(("OWNER", "MEMBER"), "MEMBER", "command", id="a member when members count"),
        pytest.param(
            ("OWNER", "CONTRIBUTOR"), "CONTRIBUTOR", "command", id="contributors when configured"
        ),
    ],
)
def test_trusted_associations_are_configurable(
    associations: tuple[str, ...], sender_association: str, expected: str
) -> None:
    commented = event(
        "issue_comment.created",
        {"comment.body": "/prime wake", "comment.author_association": sender_association},
    )

    verdict = route(commented, TrustSettings(associations=associations))

    assert _reason(verdict).startswith(expected)


@pytest.mark.parametrize(
    ("associations", "editor_association", "expected"),
    [
        pytest.param(
            ("OWNER", "MEMBER", "COLLABORATOR"),
            None,
            "dashboard-edited",
            id="an unknown editor is trusted when every writer is",
        ),
        pytest.param(
            ("OWNER",),
            None,
            "untrusted actor Codertocat edited the dashboard #1",
            id="an unknown editor is not trusted when only owners are",
        ),
        pytest.param(
            ("OWNER",),
            "OWNER",
            "dashboard-edited",
            id="an editor the shell looked up as owner is trusted when only owners are",
        ),
        pytest.param(
            ("OWNER", "MEMBER", "COLLABORATOR"),
            "NONE",
            "untrusted actor Codertocat edited the dashboard #1",
            id="an editor the shell looked up as nobody is not trusted",
        ),
    ],
)
def test_dashboard_edits_count_only_from_trusted_editors(
    associations: tuple[str, ...], editor_association: str | None, expected: str
) -> None:
    edited = event("issues.edited", PRIME_DASHBOARD).model_copy(
        update={"editor_association": editor_association}
    )

    verdict = route(edited, TrustSettings(associations=associations))

    assert _reason(verdict) == expected


@pytest.mark.parametrize(
    ("association", "expected"),
    [
        pytest.param("OWNER", "dashboard-edited", id="the owner who wrote it"),
        pytest.param("NONE", "untrusted actor", id="a stranger who wrote it"),
    ],
)
def test_an_author_editing_the_dashboard_by_number_is_judged_by_their_association(
    association: str, expected: str
) -> None:
    # The fixture's editor is the issue's author, so the issue's association is theirs.
    edited = event("issues.edited", {"issue.author_association": association})

    assert _reason(route(edited, TRUST, dashboard_issue=1)).startswith(expected)


def test_a_dashboard_marker_in_someone_elses_issue_is_no_dashboard() -> None:
    forged = event("issues.edited", {"issue.body": DASHBOARD_BODY})

    assert _reason(route(forged, TRUST)) == "issue-edited"


def test_the_dashboard_is_found_by_number_too() -> None:
    edited = event("issues.edited", {"issue.user.login": PRIME, "issue.number": 42})

    verdict = route(edited, TRUST, dashboard_issue=42)

    assert verdict == Wake(
        reason="dashboard-edited", detail="dashboard #42 edited by Codertocat", issue=42
    )


@pytest.mark.parametrize(
    ("merged", "expected"),
    [
        pytest.param(True, "pr-merged", id="merged"),
        pytest.param(False, "pr-closed-unmerged", id="closed unmerged"),
    ],
)
def test_prime_pull_requests_name_their_signal(merged: bool, expected: WakeReason) -> None:
    closed = event("pull_request.closed", {**PRIME_PR, "pull_request.merged": merged})

    verdict = route(closed, TRUST)

    assert isinstance(verdict, Wake)
    assert (verdict.reason, verdict.signal, verdict.issue) == (expected, "ci", 2)


@pytest.mark.parametrize(
    ("client_payload", "signal", "issue"),
    [
        pytest.param({"signal": "ci", "issue": 7}, "ci", 7, id="a well-typed report"),
        pytest.param({"signal": 3, "issue": "7"}, None, None, id="mistyped values are dropped"),
        pytest.param({"issue": True}, None, None, id="a boolean is no issue number"),
        pytest.param({}, None, None, id="an empty payload"),
    ],
)
def test_a_job_result_carries_its_signal_and_issue_when_well_typed(
    client_payload: dict[str, object], signal: str | None, issue: int | None
) -> None:
    reported = event(
        "repository_dispatch", {"action": "prime-job-result", "client_payload": client_payload}
    )

    verdict = route(reported, TRUST)

    assert isinstance(verdict, Wake)
    assert (verdict.signal, verdict.issue) == (signal, issue)


def test_an_unknown_event_is_ignored_naming_it() -> None:
    assert route(Event(name="star", action="created", actor="octocat"), TRUST) == Ignore(
        reason="no handler for star/created"
    )


def test_a_hand_built_event_without_its_object_is_ignored_not_crashed() -> None:
    assert route(Event(name="issues", action="opened", actor="octocat"), TRUST) == Ignore(
        reason="issues/opened event without an issue"
    )


def test_every_trigger_of_design_section_3_has_a_handler() -> None:
    triggers = {
        ("schedule", None),
        ("workflow_dispatch", None),
        ("issues", "opened"),
        ("issues", "edited"),
        ("issues", "labeled"),
        ("issues", "closed"),
        ("issue_comment", "created"),
        ("workflow_run", "completed"),
        ("pull_request", "closed"),
        # The growth gate: a Prime PR's checks completed, or its head moved.
        ("check_suite", "completed"),
        ("pull_request", "opened"),
        ("pull_request", "synchronize"),
        ("push", None),
        ("repository_dispatch", "prime-job-result"),
        ("repository_dispatch", "prime-delegate"),
        ("repository_dispatch", "prime-wake"),
    }

    assert set(ROUTES) == triggers


def test_the_wake_table_reaches_every_wake_reason_but_local() -> None:
    # `local` is no GitHub event: `prime wake --local` gives it.
    reached = {param.values[2] for param in WAKES}

    assert reached == set(get_args(WakeReason)) - {"local"}


RESULT = {"attempt": "a1", "signal": "ci", "status": "blocked", "fingerprint": "f1", "runner": "x"}


@pytest.mark.parametrize(
    ("client_payload", "status"),
    [
        (RESULT, "blocked"),
        ({**RESULT, "status": "exploded"}, None),  # not an attempt status: no outcome
        ({"signal": "ci"}, None),
        ({}, None),
    ],
)
def test_job_result_wake_carries_a_well_formed_outcome_only(
    client_payload: dict[str, object], status: str | None
) -> None:
    changes = {"action": "prime-job-result", "client_payload": client_payload}
    gated = route(event("repository_dispatch", changes), TrustSettings())
    assert isinstance(gated, Wake)
    assert gated.reason == "job-result"
    assert (gated.result.status if gated.result else None) == status


@pytest.mark.parametrize("sender", [by("renovate[bot]", "Bot"), by(PRIME, "Bot")])
def test_a_failing_run_on_the_default_branch_wakes_prime_whoever_started_it(
    sender: dict[str, object],
) -> None:
    default = event("workflow_run.completed").default_branch
    changes = {
        **sender,
        "workflow_run.conclusion": "failure",
        "workflow_run.head_branch": default,
    }
    verdict = route(event("workflow_run.completed", changes), TRUST)
    assert isinstance(verdict, Wake)
    assert verdict.reason == "ci-failed"


def test_a_closed_grouped_pr_names_every_signal_its_body_carries() -> None:
    body = "<!-- prime:comment=pr-license -->\n<!-- prime:comment=pr-editorconfig -->\nAdds..."
    changes = {**PRIME_PR, "pull_request.head.ref": "prime/fileops", "pull_request.body": body}
    found = route(event("pull_request.closed", changes), TrustSettings())
    assert isinstance(found, Wake)
    assert (found.signal, found.signals) == ("fileops", ("license", "editorconfig"))


PRIME_TRACKING = {"issue.user.login": PRIME, "issue.body": TRACKING_BODY}


@pytest.mark.parametrize(
    ("changes", "mention", "expected"),
    [
        pytest.param(
            {"comment.body": "/prime why is CI first?", **PRIME_TRACKING},
            None,
            ("conversation", "why is CI first?"),
            id="free text on a tracking issue is a message without its prefix",
        ),
        pytest.param(
            {"comment.body": "Hey @Prime-Bot, CI first please", **PRIME_DASHBOARD},
            "prime-bot",
            ("conversation", "Hey @Prime-Bot, CI first please"),
            id="a mention of the configured login on the dashboard is a message",
        ),
        pytest.param(
            {"comment.body": "/prime why?", "issue.body": TRACKING_BODY},
            None,
            ("command", None),
            id="free text on an issue someone else marked stays a command (help)",
        ),
        pytest.param(
            {"comment.body": "/prime skip ci", **PRIME_DASHBOARD},
            None,
            ("command", None),
            id="a command word on the dashboard stays a command",
        ),
    ],
)
def test_trusted_free_text_on_primes_threads_is_a_message(
    changes: dict[str, object], mention: str | None, expected: tuple[str, str | None]
) -> None:
    verdict = route(event("issue_comment.created", changes), TRUST, mention=mention)

    assert isinstance(verdict, Wake)
    message = verdict.message.text if verdict.message else None
    assert (verdict.reason, message) == expected
    if verdict.message:
        assert (verdict.message.author, verdict.message.issue) == ("Codertocat", 1)


@pytest.mark.parametrize(
    ("changes", "mention", "expected"),
    [
        pytest.param(
            {"comment.body": "/prime close every issue", "comment.author_association": "NONE",
             **PRIME_DASHBOARD},
            None,
            "untrusted actor Codertocat (NONE) sent a command",
            id="a stranger's free text on the dashboard is ignored",
        ),
        pytest.param(
            {"comment.body": "@prime-bot do it", "comment.author_association": "NONE",
             **PRIME_DASHBOARD},
            "prime-bot",
            "untrusted actor Codertocat (NONE) sent a command",
            id="a stranger's mention is ignored",
        ),
        pytest.param(
            {"comment.body": "@prime-bot do it"},
            "prime-bot",
            "a mention on #1, not Prime's thread",
            id="a mention on someone else's issue is ignored",
        ),
        pytest.param(
            {"comment.body": "@prime-bot do it", **PRIME_DASHBOARD},
            None,
            "comment is not a /prime command",
            id="a mention without conversation.mention is ignored",
        ),
        pytest.param(
            {"comment.body": "mail prime@prime-bot.dev", **PRIME_DASHBOARD},
            "prime-bot",
            "comment is not a /prime command",
            id="an address is no mention",
        ),
        pytest.param(
            {"comment.body": "@prime-bot rename it", "issue.pull_request": {"url": "u"}},
            "prime-bot",
            "a mention on a pull request is no message to Prime",
            id="a mention on a pull request is ignored",
        ),
    ],
)  # fmt: skip
def test_messages_that_are_not_for_prime_are_ignored(
    changes: dict[str, object], mention: str | None, expected: str
) -> None:
    verdict = route(event("issue_comment.created", changes), TRUST, mention=mention)

    assert verdict == Ignore(reason=expected)
