"""Config errors name the file, the line and the key; a missing file means all defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from prime_action.config.loader import load_config, parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.config.org import OrgConfig
from prime_action.domain.errors import ConfigError
from prime_action.signals.workflows import Broken, parse_workflow
from tests.values import alias_bomb

FILE = ".github/prime.yml"


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("wake:\n  idle_hours: soon\n", f"{FILE}:2:", "wake.idle_hours"),
        ("brain:\n  modle: gpt-4o\n", f"{FILE}:2:", "unknown key"),
        ("signals:\n  ci:\n    enabled: maybe\n", f"{FILE}:3:", "signals.ci.enabled"),
        ("jobs:\n  runners: [fileops, robot]\n", f"{FILE}:2:", "jobs.runners.1"),
        ("wake: {min_hours: 10, max_hours: 1}\n", f"{FILE}:1:", "min_hours must not exceed"),
        ("version: 2\n", f"{FILE}:1:", "version"),
        ("key: [unclosed\n", f"{FILE}:2:", "not valid YAML"),
        ("- a list\n", f"{FILE}:1:", "must be a mapping"),
        ("trust:\n  associations: [owners]\n", f"{FILE}:2:", "trust.associations.0"),
        ("license: NOPE-1.0\n", f"{FILE}:1:", "use one of MIT, Apache-2.0, BSD-3-Clause, ISC"),
    ],
)
def test_bad_config_error_names_file_line_and_key(text: str, where: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, RepoConfig, FILE)
    assert str(caught.value).startswith(where)
    assert words in str(caught.value)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("text", ["", "# only a comment\n", "version: 1\n"])
def test_empty_config_is_all_defaults(text: str) -> None:
    assert parse_yaml(text, RepoConfig, FILE) == RepoConfig()


def test_missing_file_is_all_defaults_and_unreadable_file_is_an_error(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.yml", OrgConfig) == OrgConfig()
    bad = tmp_path / "prime.yml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match=r"prime\.yml: cannot be read"):
        load_config(bad, RepoConfig)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (alias_bomb(), "once its aliases are expanded"),
        ("a: &a [1, *a]\n", "a cycle"),
        ("[" * 20_000 + "]" * 20_000, "YAML"),
        ("x: " + "y" * 1_000_001, "over the 1,000,000 characters Prime reads"),
    ],
    ids=["alias bomb", "recursive alias", "deep nesting", "too large"],
)
def test_hostile_yaml_is_a_config_error_naming_the_file_not_a_hang(text: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml(text, RepoConfig, ".github/prime.yml")
    assert caught.value.file == ".github/prime.yml"
    assert words in str(caught.value)


def test_associations_and_license_ids_are_read_in_any_case() -> None:
    config = parse_yaml(
        "trust: {associations: [owner, Member]}\nlicense: apache-2.0\n", RepoConfig, FILE
    )
    assert (config.trust.associations, config.license) == (("OWNER", "MEMBER"), "Apache-2.0")


def test_ordinary_anchors_and_aliases_still_read() -> None:
    text = "labels: &l {automated: bot}\ntrust:\n  associations: &who [OWNER, MEMBER]\n"
    assert parse_yaml(text, RepoConfig, "c").trust.associations == ("OWNER", "MEMBER")


def test_a_hostile_workflow_is_a_broken_workflow_not_a_crash() -> None:
    broken = parse_workflow(".github/workflows/ci.yml", alias_bomb())
    assert isinstance(broken, Broken)
    assert broken.problem == "stands for over 100,000 values once its aliases are expanded"
