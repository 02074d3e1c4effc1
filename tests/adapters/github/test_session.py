"""The data plane's environment: read once; its event inputs, summary, outputs and client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from prime_action.adapters.github.session import DataPlaneEnv
from prime_action.domain.errors import ConfigError

BASE = {"GITHUB_REPOSITORY": "acme/.github", "GITHUB_TOKEN": "s3cret"}


@pytest.mark.parametrize(
    ("extra", "field", "expected"),
    [
        ({}, "repository", "acme/.github"),
        ({}, "api_url", "https://api.github.com"),
        ({"GITHUB_API_URL": "https://ghe.test/api/v3"}, "api_url", "https://ghe.test/api/v3"),
        ({}, "ref", None),
        ({"GITHUB_REF": "refs/heads/main"}, "ref", "refs/heads/main"),
        ({"GITHUB_RUN_ID": "4242"}, "run_id", 4242),
        ({"GITHUB_RUN_ID": "not-a-number"}, "run_id", None),
        ({}, "run_id", None),
        ({"GITHUB_EVENT_PATH": "/runner/e.json"}, "event_path", Path("/runner/e.json")),
        ({}, "config_path", None),
        ({"PRIME_CONFIG": "org.yml"}, "config_path", "org.yml"),
        ({}, "temp", Path()),
        ({"RUNNER_TEMP": "/runner/tmp"}, "temp", Path("/runner/tmp")),
        ({"PRIME_WRITE_SPACING": "0.5"}, "write_spacing", 0.5),
    ],
)
def test_each_variable_becomes_its_field(extra: dict[str, str], field: str, expected: Any) -> None:
    assert getattr(DataPlaneEnv.from_environ(BASE | extra), field) == expected


def test_the_repo_option_stands_in_for_github_repository() -> None:
    env = DataPlaneEnv.from_environ({"GITHUB_TOKEN": "t"}, repo="acme/api")
    assert env.repository == "acme/api"
    assert DataPlaneEnv.from_environ(BASE, repo="acme/api").repository == "acme/api"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"GITHUB_REPOSITORY": "acme/api"}, "GITHUB_TOKEN not set"),
        ({"GITHUB_TOKEN": "t"}, "GITHUB_REPOSITORY not set"),
        ({"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": ""}, "GITHUB_TOKEN, GITHUB_REPOSITORY not set"),
    ],
)
def test_a_missing_token_or_repository_is_a_config_error_naming_it(
    environ: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError, match=f"environment: {named}: run in GitHub Actions"):
        DataPlaneEnv.from_environ(environ)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"inputs": {"attempt": "a1", "repo": "acme/api"}}, {"attempt": "a1", "repo": "acme/api"}),
        ({"inputs": None}, {}),
        ({"schedule": "0 * * * *"}, {}),
        (["not", "an", "object"], {}),
    ],
)
def test_inputs_are_the_workflow_dispatch_inputs_of_the_event(
    tmp_path: Path, payload: object, expected: dict[str, str]
) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    env = DataPlaneEnv.from_environ(BASE | {"GITHUB_EVENT_PATH": str(event)})
    assert env.inputs() == expected


def test_without_an_event_file_there_are_no_inputs(tmp_path: Path) -> None:
    env = DataPlaneEnv.from_environ(BASE | {"GITHUB_EVENT_PATH": str(tmp_path / "absent.json")})
    assert env.inputs() == {}
    assert DataPlaneEnv.from_environ(BASE).inputs() == {}


def test_an_unreadable_event_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text("{broken", encoding="utf-8")
    env = DataPlaneEnv.from_environ(BASE | {"GITHUB_EVENT_PATH": str(event)})
    with pytest.raises(ConfigError, match=f"{event}: cannot read the event payload"):
        env.inputs()


def test_publish_appends_the_summary_and_one_line_per_output(tmp_path: Path) -> None:
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    summary.write_text("before\n", encoding="utf-8")
    env = DataPlaneEnv.from_environ(
        BASE | {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    )
    env.publish("## done\n", {"dispatched": "2", "note": "two\nlines  here"})
    assert summary.read_text(encoding="utf-8") == "before\n## done\n"
    assert output.read_text(encoding="utf-8") == "dispatched=2\nnote=two lines here\n"


def test_publish_outside_actions_writes_nothing(tmp_path: Path) -> None:
    DataPlaneEnv.from_environ(BASE).publish("summary", {"k": "v"})
    assert list(tmp_path.iterdir()) == []


def test_the_client_is_aimed_at_the_api_url_with_the_write_spacing() -> None:
    env = DataPlaneEnv.from_environ(
        BASE | {"GITHUB_API_URL": "https://ghe.test/api/v3", "PRIME_WRITE_SPACING": "0"}
    )
    client = env.client()
    try:
        assert client.github.requester.base_url == "https://ghe.test/api/v3"
    finally:
        client.close()


def test_gh_token_stands_in_for_github_token() -> None:
    gh = "gh-token"
    env = DataPlaneEnv.from_environ({"GITHUB_REPOSITORY": "acme/api", "GH_TOKEN": gh})
    assert env.token == gh


@pytest.mark.parametrize(("takes_repo", "offered"), [(True, True), (False, False)])
def test_repo_is_offered_only_by_commands_that_take_it(takes_repo: bool, offered: bool) -> None:
    with pytest.raises(ConfigError) as caught:
        DataPlaneEnv.from_environ({"GITHUB_TOKEN": "t"}, takes_repo=takes_repo)
    assert ("--repo" in str(caught.value)) == offered
