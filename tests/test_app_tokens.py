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


def mint_steps(text: str) -> list[dict[str, Any]]:
    """The pinned create-github-app-token step of each job that uses a token (one per job:
    the runner's fetch and propose jobs each mint their own, for what that job does)."""
    found = []
    for job in yaml.safe_load(text)["jobs"].values():
        mints = [s for s in job["steps"] if MINT.fullmatch(str(s.get("uses", "")))]
        assert len(mints) <= 1, "at most one create-github-app-token step per job"
        if tokens(job["steps"]):
            assert len(mints) == 1, "a job given a token mints it"
        found += mints
    assert found, "a pinned create-github-app-token step"
    assert all(mint["id"] == "app" for mint in found)
    return found


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
    text = source()
    all_steps = steps(text)
    for mint in mint_steps(text):
        assert bool(evaluate(mint["if"], contexts(app=app))) is app
    values = {evaluate(token, contexts(app=app)) for token in tokens(all_steps)}
    assert values == {"ghs_app" if app else FALLBACK[name.rsplit(maxsplit=1)[-1]]}


@pytest.mark.parametrize("name", ["dispatch", "runner"])
def test_data_plane_tokens_reach_only_the_repositories_they_write(name: str) -> None:
    mints = mint_steps(TEMPLATES[name]())

    assert all("owner" not in m["with"] for m in mints)  # an owner alone: every installed repo
    if name == "runner":  # fetch reads the target; propose writes it and the ledger here
        assert [
            (m["with"]["repositories"], m["with"].get("permission-contents")) for m in mints
        ] == [
            ("${{ steps.target.outputs.name }}", "read"),
            ("${{ steps.target.outputs.name }},${{ github.event.repository.name }}", "write"),
        ]


def test_every_permission_asked_for_is_one_the_readme_lists_for_the_app() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = readme[readme.index("The App's repository permissions") :]
    readme = readme[: readme.index("\n\n", readme.index("| permission |"))]
    listed = set(re.findall(r"^\| `([\w-]+): (?:read|write)`", readme, re.MULTILINE))
    asked = {
        key.removeprefix("permission-")
        for text in TEMPLATES.values()
        for mint in mint_steps(text())
        for key in mint["with"]
        if key.startswith("permission-")
    }
    assert asked
    assert asked <= listed
