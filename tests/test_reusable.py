"""Prime's reusable workflows and the short callers `prime init --reusable` writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from prime_action.cli import main
from prime_action.domain.release import ACTION_REPOSITORY
from prime_action.workflows import REUSABLE, render_org_workflow, render_repo_workflow

ROOT = Path(__file__).resolve().parents[1]
OWN = ROOT / ".github" / "workflows"
SHA = "0123456789abcdef0123456789abcdef01234567"


def load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    if True in doc:
        doc["on"] = doc.pop(True)  # YAML 1.1 reads the bare key `on` as true; GitHub does not
    return doc


def workflow_schema() -> dict[str, Any]:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(vendored.joinpath("github-workflows.json").read_text(encoding="utf-8"))
    assert isinstance(schema, dict)
    return schema


@pytest.fixture(scope="module")
def callers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every caller, by the reusable workflow it calls."""
    base = tmp_path_factory.mktemp("callers")
    found: dict[str, Path] = {}
    for kind in ([], ["--org"]):
        root = base / ("org" if kind else "repo")
        root.mkdir()
        assert main(["init", str(root), "--repo", "acme/x", "--ref", SHA, "--reusable", *kind]) == 0
        for path in (root / ".github" / "workflows").glob("*.yml"):
            job = next(iter(load(path)["jobs"].values()))
            if "uses" not in job:
                continue  # prime-onboard.yml has no reusable form
            name = job["uses"].split("/.github/workflows/")[1].split(".yml@")[0]
            found[f"{root.name}:{name}"] = path
    return found


@pytest.mark.parametrize("name", sorted(set(REUSABLE.values())))
def test_each_reusable_workflow_is_called_by_workflow_call_and_validates(name: str) -> None:
    doc = load(OWN / f"{name}.yml")

    assert set(doc["on"]) == {"workflow_call"}
    jsonschema.validate(doc, workflow_schema())
    steps = [s for job in doc["jobs"].values() for s in job["steps"] if "uses" in s]
    assert any(step["uses"] == "$/" for step in steps)  # the action at the caller's commit


def test_callers_are_short_valid_and_call_the_pinned_reusable_workflows(
    callers: dict[str, Path],
) -> None:
    assert set(callers) == {"repo:wake", "repo:run", "org:org", "org:dispatch", "org:run"}
    for key, path in callers.items():
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 40, key
        jsonschema.validate(load(path), workflow_schema())
        uses = next(iter(load(path)["jobs"].values()))["uses"]
        assert uses == f"{ACTION_REPOSITORY}/.github/workflows/{key.split(':')[1]}.yml@{SHA}"


def test_each_caller_passes_what_its_reusable_workflow_declares(callers: dict[str, Path]) -> None:
    for key, path in callers.items():
        job = next(iter(load(path)["jobs"].values()))
        called = load(OWN / f"{key.split(':')[1]}.yml")
        contract = called["on"]["workflow_call"] or {}
        inputs, secrets = contract.get("inputs", {}), contract.get("secrets", {})
        given = job.get("with", {})
        assert set(given) <= set(inputs), key
        assert {n for n, i in inputs.items() if i.get("required")} <= set(given), key
        assert set(job.get("secrets", {})) <= set(secrets), key
        # A called job may ask for no more than its caller grants, or GitHub refuses the run.
        for called_job in called["jobs"].values():
            assert called_job["permissions"].items() <= job["permissions"].items(), key


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("wake", lambda: render_repo_workflow(repo="acme/api")),
        ("org", lambda: render_org_workflow(repo="acme/prime-org")),
    ],
)
def test_reusable_jobs_gate_events_like_the_full_workflows(name: str, template: Any) -> None:
    reusable = next(iter(load(OWN / f"{name}.yml")["jobs"].values()))
    full = next(iter(yaml.safe_load(template())["jobs"].values()))

    # The reusable job takes the mention login as an input; the full workflow has it written in
    # (no login by default).
    called = reusable["if"].replace("inputs.mention", "''")
    assert " ".join(called.split()) == " ".join(full["if"].split())


def test_callers_and_prime_s_own_workflows_have_no_zizmor_finding_of_medium_or_higher(
    callers: dict[str, Path],
) -> None:
    # Beside this interpreter first: the venv's tools, also when its bin is not on PATH.
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert zizmor, "zizmor is a dev dependency"
    paths = [
        *map(str, callers.values()),
        *map(str, sorted(OWN.glob("*.yml"))),
        str(ROOT / "action.yml"),
    ]
    found = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--format", "json", "--min-severity", "medium",
         *paths],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert json.loads(found.stdout) == []


def test_reusable_with_seed_is_refused(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path), "--seed", "--reusable"]) == 2
