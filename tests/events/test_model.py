"""Parsing GitHub's example payloads into Events, and refusing malformed ones by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prime_action.domain.errors import ConfigError
from prime_action.events.model import Comment, Event, Issue, PullRequest, WorkflowRun
from prime_action.events.payload import load_event, parse_event
from tests.events.payloads import FIXTURES, by, event, payload

ISSUE = Issue(
    number=1,
    title="Spelling error in the README file",
    body="It looks like you accidently spelled 'commit' with two 't's.",
    labels=("bug",),
    state="open",
    author="Codertocat",
)

# Every vendored fixture, named `<event>.<action>` or `<event>`.
EVERY_FIXTURE = sorted(p.stem for p in FIXTURES.glob("*.json"))


@pytest.mark.parametrize("stem", EVERY_FIXTURE)
def test_every_vendored_payload_parses_into_an_event_of_its_repository(stem: str) -> None:
    name, _, action = stem.partition(".")

    parsed = load_event(name, FIXTURES / f"{stem}.json")

    assert parsed.name == name
    assert parsed.action == (action or parsed.action)
    assert parsed.repository in ("Codertocat/Hello-World", "octo-org/octo-repo")


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        pytest.param(
            "issues.opened",
            {"issue": ISSUE, "author_association": "OWNER", "repository": "Codertocat/Hello-World"},
            id="an issue event carries the issue and its author's association",
        ),
        pytest.param(
            "issues.closed",
            {"issue": ISSUE.model_copy(update={"state": "closed", "body": ""})},
            id="a closed issue says so",
        ),
        pytest.param(
            "issue_comment.created",
            {
                "comment": Comment(
                    id=492700400,
                    body="You are totally right! I'll get this fixed right away.",
                    author="Codertocat",
                ),
                "issue": ISSUE,
                "author_association": "OWNER",
            },
            id="a comment event carries the comment and the comment author's association",
        ),
        pytest.param(
            "workflow_run.completed",
            {
                "workflow_run": WorkflowRun(
                    id=289782451,
                    name="",
                    conclusion="success",
                    head_branch="master",
                    event="repository_dispatch",
                    head_repo="octo-org/octo-repo",
                ),
                "default_branch": "master",
                "author_association": None,
            },
            id="a workflow run event carries the run's conclusion and branch",
        ),
        pytest.param(
            "pull_request.closed",
            {
                "pull_request": PullRequest(
                    number=2,
                    merged=False,
                    head_ref="changes",
                    head_repo="Codertocat/Hello-World",
                    author="Codertocat",
                    labels=("bug",),
                )
            },
            id="a pull request event carries its head branch and whether it merged",
        ),
        pytest.param(
            "push",
            {"ref": "refs/heads/master", "default_branch": "master", "actor": "Codertocat"},
            id="a push carries its ref",
        ),
        pytest.param(
            "repository_dispatch",
            {"action": "on-demand-test", "client_payload": {}, "repository": "octo-org/octo-repo"},
            id="a repository dispatch carries its event type as the action",
        ),
        pytest.param(
            "workflow_dispatch",
            {"action": None, "ref": "refs/heads/main", "actor": "octocat"},
            id="a workflow dispatch carries its ref and who pressed the button",
        ),
        pytest.param(
            "schedule",
            {"actor": "", "repository": "octo-org/octo-repo", "default_branch": "main"},
            id="a scheduled run has no sender",
        ),
    ],
)
def test_payload_fields_land_in_the_event(stem: str, expected: dict[str, object]) -> None:
    parsed = event(stem)

    assert {key: getattr(parsed, key) for key in expected} == expected


def test_a_bare_schedule_payload_from_older_runners_parses() -> None:
    parsed = parse_event("schedule", {"schedule": "17 */6 * * *"})

    assert parsed == Event(name="schedule")


def test_an_event_prime_has_no_use_for_keeps_its_name_action_and_sender() -> None:
    parsed = parse_event("star", {"action": "created", "sender": {"login": "octocat"}})

    assert (parsed.name, parsed.action, parsed.actor) == ("star", "created", "octocat")


def test_a_dispatch_with_a_client_payload_keeps_it_as_data() -> None:
    body = {"signal": "ci", "issue": 7, "nested": {"ok": True}}

    parsed = event("repository_dispatch", {"client_payload": body})

    assert parsed.client_payload == body


def test_a_pull_request_from_a_deleted_fork_has_no_head_repository() -> None:
    parsed = event("pull_request.closed", {"pull_request.head.repo": None})

    assert parsed.pull_request is not None
    assert parsed.pull_request.head_repo is None


@pytest.mark.parametrize(
    ("login", "kind", "expected"),
    [
        pytest.param("Codertocat", "User", False, id="a user is no bot"),
        pytest.param("dependabot[bot]", "Bot", True, id="an app is a bot"),
        pytest.param(
            "renovate[bot]", "User", True, id="a bracketed login is a bot whatever its type"
        ),
    ],
)
def test_bots_are_known_by_type_or_login(login: str, kind: str, expected: bool) -> None:
    assert event("issues.opened", by(login, kind)).is_bot is expected


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        pytest.param(
            "issues",
            payload("issues.opened") | {"issue": None},
            "GITHUB_EVENT_PATH: issues event: 'issue' must be a JSON object",
            id="an issues event whose issue is null names the issue",
        ),
        pytest.param(
            "issues",
            {k: v for k, v in payload("issues.opened").items() if k != "issue"},
            "GITHUB_EVENT_PATH: issues event has no 'issue' object",
            id="an issues event without an issue names the missing object",
        ),
        pytest.param(
            "issue_comment",
            {k: v for k, v in payload("issue_comment.created").items() if k != "comment"},
            "GITHUB_EVENT_PATH: issue_comment event has no 'comment' object",
            id="a comment event without a comment names the missing object",
        ),
        pytest.param(
            "issues",
            payload("issues.opened", {"issue.number": "one"}),
            "GITHUB_EVENT_PATH: issues event: 'issue.number': Input should be a valid integer",
            id="a mistyped field is named with its path",
        ),
        pytest.param(
            "workflow_run",
            payload("workflow_run.completed", {"workflow_run.event": None}),
            "GITHUB_EVENT_PATH: workflow_run event: 'workflow_run.event': Input should be",
            id="a workflow run without its triggering event is named",
        ),
        pytest.param(
            "push",
            {k: v for k, v in payload("push").items() if k != "ref"},
            "GITHUB_EVENT_PATH: push event has no 'ref' field",
            id="a push without a ref names the missing field",
        ),
        pytest.param(
            "push",
            {k: v for k, v in payload("push").items() if k != "repository"},
            "GITHUB_EVENT_PATH: push event has no 'repository' object",
            id="a push without a repository cannot know the default branch",
        ),
        pytest.param(
            "issues",
            [payload("issues.opened")],
            "GITHUB_EVENT_PATH: issues event payload must be a JSON object, not array",
            id="an array is no payload",
        ),
        pytest.param(
            "schedule",
            None,
            "GITHUB_EVENT_PATH: schedule event payload must be a JSON object, not null",
            id="null is no payload",
        ),
    ],
)
def test_malformed_payloads_are_config_errors_naming_the_key(
    name: str, body: object, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_event(name, body)

    assert str(caught.value).startswith(message)
    assert caught.value.exit_code == 2


def test_loading_reads_the_file_github_actions_names(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload("push")), encoding="utf-8")

    assert load_event("push", path) == event("push")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            b"{\n  not json", "event payload is not valid JSON", id="broken JSON is named"
        ),
        pytest.param(b"\xff\xfe\x00", "event payload is not valid JSON", id="bytes are no JSON"),
        pytest.param(
            b"[]", "issues event payload must be a JSON object", id="an array is no payload"
        ),
        pytest.param(b"{}", "issues event has no 'repository' object", id="an empty object"),
    ],
)
def test_a_bad_payload_file_is_a_config_error_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "event.json"
    path.write_bytes(content)

    with pytest.raises(ConfigError) as caught:
        load_event("issues", path)

    assert caught.value.file == str(path)
    assert message in str(caught.value)


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text('{"action": "opened",\n  oops}', encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_event("issues", path)

    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{path}:2: event payload is not valid JSON")


def test_a_missing_payload_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"

    with pytest.raises(ConfigError, match="check GITHUB_EVENT_PATH") as caught:
        load_event("push", path)

    assert caught.value.file == str(path)
