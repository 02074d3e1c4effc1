"""The Actions environment: variables and inputs in, one frozen value out, a missing one named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.domain.errors import ConfigError

BASE = {
    "GITHUB_REPOSITORY": "acme/api",
    "GITHUB_EVENT_NAME": "schedule",
    "GITHUB_EVENT_PATH": "/runner/event.json",
    "GITHUB_TOKEN": "s3cret",
}


@pytest.mark.parametrize(
    ("extra", "field", "expected"),
    [
        ({}, "repository", "acme/api"),
        ({}, "event_path", Path("/runner/event.json")),
        ({}, "api_url", "https://api.github.com"),
        ({"GITHUB_API_URL": "https://ghe.test/api/v3"}, "api_url", "https://ghe.test/api/v3"),
        ({"GITHUB_API_URL": ""}, "api_url", "https://api.github.com"),
        ({}, "step_summary", None),
        ({"GITHUB_STEP_SUMMARY": "/runner/s.md"}, "step_summary", Path("/runner/s.md")),
        ({"GITHUB_OUTPUT": "/runner/out"}, "output", Path("/runner/out")),
        ({}, "config_path", ".github/prime.yml"),
        ({"PRIME_CONFIG": "ops/prime.yml"}, "config_path", "ops/prime.yml"),
        ({}, "write_spacing", 1.0),
        ({"PRIME_WRITE_SPACING": "0"}, "write_spacing", 0.0),
        ({}, "model", None),
        ({"PRIME_MODEL": ""}, "model", None),
        ({"PRIME_MODEL": "openai/gpt-4o"}, "model", "openai/gpt-4o"),
        ({}, "dry_run", False),
        ({"PRIME_DRY_RUN": "true"}, "dry_run", True),
        ({"PRIME_DRY_RUN": " TRUE "}, "dry_run", True),
        ({"PRIME_DRY_RUN": "false"}, "dry_run", False),
        ({"PRIME_DRY_RUN": ""}, "dry_run", False),
        ({}, "org_token", None),
        ({"PRIME_ORG_TOKEN": "org-t0ken"}, "org_token", "org-t0ken"),
    ],
)
def test_each_variable_becomes_its_field_with_its_default_when_unset_or_empty(
    extra: dict[str, str], field: str, expected: Any
) -> None:
    assert getattr(ActionsEnv.from_environ(BASE | extra), field) == expected


@pytest.mark.parametrize("name", sorted(BASE))
@pytest.mark.parametrize("value", [None, ""])
def test_a_missing_or_empty_required_variable_is_a_config_error_naming_it(
    name: str, value: str | None
) -> None:
    environ = {k: v for k, v in BASE.items() if k != name} | (
        {name: value} if value is not None else {}
    )
    with pytest.raises(
        ConfigError, match=f"environment: {name} not set: run inside GitHub Actions"
    ):
        ActionsEnv.from_environ(environ)


def test_every_missing_variable_is_named_in_one_error() -> None:
    with pytest.raises(ConfigError, match=r"GITHUB_REPOSITORY, GITHUB_EVENT_NAME, .*GITHUB_TOKEN"):
        ActionsEnv.from_environ({})


@pytest.mark.parametrize("value", ["yes", "1", "on"])
def test_a_dry_run_input_other_than_true_or_false_is_refused_with_the_fix(value: str) -> None:
    with pytest.raises(ConfigError, match=f"action inputs: input 'dry-run' is '{value}'; use true"):
        ActionsEnv.from_environ(BASE | {"PRIME_DRY_RUN": value})


def test_the_tokens_never_appear_in_the_values_repr() -> None:
    env = ActionsEnv.from_environ(BASE | {"PRIME_ORG_TOKEN": "org-t0ken"})
    assert "s3cret" not in repr(env)
    assert "org-t0ken" not in repr(env)


def test_gh_token_stands_in_for_github_token_which_wins_when_both_are_set() -> None:
    without = {k: v for k, v in BASE.items() if k != "GITHUB_TOKEN"}
    gh = "gh-token"
    assert ActionsEnv.from_environ({**without, "GH_TOKEN": gh}).token == gh
    assert ActionsEnv.from_environ({**BASE, "GH_TOKEN": "gh"}).token == BASE["GITHUB_TOKEN"]


def test_the_error_offers_only_what_the_command_has() -> None:
    with pytest.raises(ConfigError) as caught:
        ActionsEnv.from_environ({}, hint=", or use --local PATH")
    assert str(caught.value).endswith("GH_TOKEN works too), or use --local PATH")
    with pytest.raises(ConfigError) as plain:
        ActionsEnv.from_environ({})
    assert "--local" not in str(plain.value)
