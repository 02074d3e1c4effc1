"""One name everywhere: the action's home, the distribution, the commands and the schemas' ids."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from prime_action.domain.release import ACTION_REPOSITORY, DISTRIBUTION, SCHEMA_BASE_URL
from prime_action.schemas import MODELS, shipped
from prime_action.workflows import templates_dir

ROOT = Path(__file__).resolve().parents[1]
# `uses: OWNER/REPO[/path]@ref`: the repository part of every action reference.
USES = re.compile(r"uses:\s*[\"']?([\w.-]+/[\w.-]+)(?:/[\w./-]+)?@")
# Other publishers' actions that the templates and Prime's own workflows use on purpose.
THIRD_PARTY = {
    "actions/checkout",
    "actions/setup-python",
    "actions/create-github-app-token",
    "actions/upload-artifact",
    "actions/download-artifact",
    "pypa/gh-action-pypi-publish",
}


def pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def action_home() -> str:
    """The repository action.yml says it is published from (its first comment)."""
    first = (ROOT / "action.yml").read_text(encoding="utf-8").splitlines()[0]
    found = re.search(r"github\.com/([\w.-]+/[\w.-]+)", first)
    assert found, "action.yml's first line names its home: github.com/OWNER/REPO"
    return found.group(1).rstrip(".:")


def prime_uses(text: str) -> list[str]:
    return [repo for repo in USES.findall(text) if repo not in THIRD_PARTY]


def test_action_yml_home_is_the_one_action_repository() -> None:
    assert action_home() == ACTION_REPOSITORY


def test_the_distribution_and_its_links_use_the_same_names() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    assert project["name"] == DISTRIBUTION
    assert project["urls"]["Source"] == f"https://github.com/{ACTION_REPOSITORY}"


def test_both_commands_run_the_same_cli() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    assert project["scripts"] == {
        "prime": "prime_action.cli:main",
        "prime-action": "prime_action.cli:main",
    }


def test_every_prime_uses_in_readme_and_templates_names_the_action_home() -> None:
    texts = [ROOT / "README.md", *sorted(templates_dir().rglob("*.j2"))]
    found = {path.name: prime_uses(path.read_text(encoding="utf-8")) for path in texts}

    wrong = {name: repos for name, repos in found.items() if set(repos) - {ACTION_REPOSITORY}}
    assert wrong == {}
    assert found["README.md"], "the README shows the uses: line"


def test_the_uses_scan_catches_another_owner() -> None:
    assert prime_uses("uses: OWNER/prime-action@v1") == ["OWNER/prime-action"]
    assert prime_uses("- uses: actions/checkout@0123") == []


@pytest.mark.parametrize("name", sorted(MODELS))
def test_schema_ids_point_into_the_action_repository(name: str) -> None:
    schema = json.loads(shipped(name))
    assert schema["$id"] == f"{SCHEMA_BASE_URL}{name}.schema.json"
    assert f"/{ACTION_REPOSITORY}/" in schema["$id"]
