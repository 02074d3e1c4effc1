"""GitHub App tokens: the org, dispatcher and runner workflows mint one when an App is set up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from prime_action.workflows import (
    render_dispatch_workflow,
    render_onboard_workflow,
    render_org_workflow,
    render_runner_workflow,
)
from testing.expressions import evaluate

ROOT = Path(__file__).resolve().parents[1]
MINT = re.compile(r"actions/create-github-app-token@[0-9a-f]{40}")

TEMPLATES = {
    "org": lambda: render_org_workflow(repo="acme/prime-org"),
    "dispatch": lambda: render_dispatch_workflow(repo="acme/prime-org"),
    "runner": lambda: render_runner_workflow(standalone=False),
    "onboard": lambda: render_onboard_workflow(repo="acme/prime-org"),
}
REUSABLE = ["org", "dispatch", "run"]


def steps(text: str) -> list[dict[str, Any]]:
    doc = yaml.safe_load(text)
    return [step for job in doc["jobs"].values() for step in job["steps"]]


def mint_step(all_steps: list[dict[str, Any]]) -> dict[str, Any]:
    found = [step for step in all_steps if MINT.fullmatch(str(step.get("uses", "")))]
    assert len(found) == 1, "one pinned create-github-app-token step"
    assert found[0]["id"] == "app"
    return found[0]


def tokens(all_steps: list[dict[str, Any]]) -> list[str]:
    """Every token a Prime or checkout step is given."""
    given = [s.get("with", {}).get(k) for s in all_steps for k in ("github-token", "token")]
    return [str(token) for token in given if token]


def contexts(*, app: bool) -> dict[str, Any]:
    return {
        "vars": {"PRIME_APP_CLIENT_ID": "Iv23liAbc"} if app else {},
        "inputs": {"app-client-id": "Iv23liAbc" if app else ""},
        "steps": {"app": {"outputs": {"token": "ghs_app"}}} if app else {},
        "secrets": {"PRIME_TOKEN": "github_pat_x", "token": "github_pat_x"},
        "github": {"token": "ghs_job"},
    }


# Without an App: the PAT where one is needed (other repositories), else the job's token.
PAT, JOB = "github_pat_x", "ghs_job"
FALLBACK = {"org": PAT, "onboard": PAT, "dispatch": JOB, "runner": PAT, "run": PAT}
SOURCES = [(name, TEMPLATES[name]) for name in TEMPLATES] + [
    (f"reusable {name}", lambda name=name: (ROOT / ".github/workflows" / f"{name}.yml").read_text())
    for name in REUSABLE
]


@pytest.mark.parametrize(("name", "source"), SOURCES, ids=[name for name, _ in SOURCES])
@pytest.mark.parametrize("app", [True, False])
def test_the_app_token_is_minted_and_used_only_when_an_app_is_configured(
    name: str, source: Any, app: bool
) -> None:
    all_steps = steps(source())
    mint = mint_step(all_steps)

    assert bool(evaluate(mint["if"], contexts(app=app))) is app
    values = {evaluate(token, contexts(app=app)) for token in tokens(all_steps)}
    assert values == {"ghs_app" if app else FALLBACK[name.rsplit(maxsplit=1)[-1]]}


@pytest.mark.parametrize("name", ["dispatch", "runner"])
def test_data_plane_tokens_reach_only_the_repositories_they_write(name: str) -> None:
    mint = mint_step(steps(TEMPLATES[name]()))

    assert "owner" not in mint["with"]  # an owner alone means every repository installed
    if name == "runner":
        assert mint["with"]["repositories"] == (
            "${{ steps.target.outputs.name }},${{ github.event.repository.name }}"
        )


def test_every_permission_asked_for_is_one_the_readme_lists_for_the_app() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = readme[readme.index("The App's repository permissions") :]
    readme = readme[: readme.index("\n\n", readme.index("| permission |"))]
    listed = set(re.findall(r"^\| `([\w-]+): (?:read|write)`", readme, re.MULTILINE))
    asked = {
        key.removeprefix("permission-")
        for text in TEMPLATES.values()
        for key in mint_step(steps(text()))["with"]
        if key.startswith("permission-")
    }
    assert asked
    assert asked <= listed
