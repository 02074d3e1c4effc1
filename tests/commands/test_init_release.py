"""`prime init` pins Prime by commit: the release stamp or --ref, and its output lints clean."""

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

import prime_action
from prime_action import workflows
from prime_action.cli import main
from prime_action.domain.release import ACTION_REPOSITORY, Release, parse_stamp

ROOT = Path(__file__).resolve().parents[2]
SHA = "4f3c2b1a09876543210fedcba98765432100abcd"
RELEASE = Release(tag="v1.4.2", sha=SHA)


@pytest.fixture
def released(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Release:
    """This Prime as built by the release workflow: its stamp names the tag and the commit."""
    stamp = tmp_path / "stamp" / "release.json"
    stamp.parent.mkdir()
    stamp.write_text(json.dumps({"tag": RELEASE.tag, "sha": RELEASE.sha}), encoding="utf-8")
    monkeypatch.setattr(workflows, "stamp_path", lambda: stamp)
    return RELEASE


@pytest.fixture
def unreleased(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workflows, "stamp_path", lambda: tmp_path / "no-stamp.json")


def prime_uses_lines(root: Path) -> list[str]:
    lines = []
    for path in sorted((root / ".github" / "workflows").glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line and ACTION_REPOSITORY in line:
                lines.append(line.split("uses:", 1)[1].strip())
    return lines


def init(path: str, *argv: str) -> int:
    Path(path).mkdir(parents=True, exist_ok=True)
    return main(["init", path, *argv])


@pytest.mark.usefixtures("released")
@pytest.mark.parametrize("kind", [[], ["--org"]])
def test_a_release_pins_every_uses_to_its_commit_with_the_version(
    tmp_path: Path, kind: list[str]
) -> None:
    assert init(str(tmp_path / "r"), "--repo", "acme/api", *kind) == 0

    lines = prime_uses_lines(tmp_path / "r")
    assert len(lines) >= 2
    assert set(lines) == {f"{ACTION_REPOSITORY}@{SHA} # v1.4.2"}


@pytest.mark.usefixtures("unreleased")
def test_without_a_release_stamp_init_asks_for_a_ref_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(tmp_path), "--repo", "acme/api") == 2

    assert "--ref" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


@pytest.mark.usefixtures("unreleased")
def test_an_explicit_ref_pins_without_a_stamp_and_a_tag_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert init(str(tmp_path / "a"), "--ref", SHA) == 0
    assert set(prime_uses_lines(tmp_path / "a")) == {f"{ACTION_REPOSITORY}@{SHA}"}
    assert "warning" not in capsys.readouterr().err

    assert init(str(tmp_path / "b"), "--ref", "v1") == 0
    assert set(prime_uses_lines(tmp_path / "b")) == {f"{ACTION_REPOSITORY}@v1"}
    assert "not a commit SHA" in capsys.readouterr().err


def test_ref_and_action_ref_together_are_refused(tmp_path: Path) -> None:
    assert init(str(tmp_path), "--ref", SHA, "--action-ref", f"acme/fork@{SHA}") == 2
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{}",
        json.dumps({"tag": "v1.4.2", "sha": "main"}),
        json.dumps({"tag": "latest", "sha": SHA}),
        json.dumps({"tag": "v1.4.2", "sha": SHA.upper()}),
    ],
)
def test_a_damaged_stamp_pins_nothing(text: str) -> None:
    assert parse_stamp(text) is None


def test_the_stamp_script_writes_what_init_reads_and_refuses_a_wrong_tag(tmp_path: Path) -> None:
    package = tmp_path / "prime_action"
    package.mkdir()
    shutil.copy(ROOT / "prime_action" / "__init__.py", package / "__init__.py")
    version = prime_action.__version__
    script = str(ROOT / "scripts" / "stamp_release.py")

    wrong = subprocess.run(["python", script, "v999.0.0", SHA, str(package)], check=False)
    assert wrong.returncode == 2
    assert not (package / "release.json").exists()
    ok = subprocess.run(["python", script, f"v{version}", SHA, str(package)], check=False)
    assert ok.returncode == 0
    stamp = parse_stamp((package / "release.json").read_text(encoding="utf-8"))
    assert stamp == Release(tag=f"v{version}", sha=SHA)


@pytest.fixture
def initialised(tmp_path: Path, released: Release) -> list[Path]:
    """Every workflow `prime init` writes, for a repository and for the org repository."""
    assert init(str(tmp_path / "repo"), "--repo", "acme/api") == 0
    assert init(str(tmp_path / "org"), "--org", "--repo", "acme/prime-org") == 0
    return sorted(tmp_path.glob("*/.github/workflows/*.yml"))


def test_init_output_has_no_zizmor_finding_of_medium_or_higher(initialised: list[Path]) -> None:
    # Beside this interpreter first: the venv's tools, also when its bin is not on PATH.
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    assert zizmor, "zizmor is a dev dependency"
    found = subprocess.run(
        [zizmor, "--offline", "--no-progress", "--format", "json", "--min-severity", "medium",
         *map(str, initialised)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert json.loads(found.stdout) == []


def workflow_schema() -> dict[str, Any]:
    # schemastore's github-workflow schema, as check-jsonschema vendors it (offline).
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor")
    loaded = json.loads(vendored.joinpath("github-workflows.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_init_output_validates_against_schemastores_workflow_schema(
    initialised: list[Path],
) -> None:
    schema = workflow_schema()
    for path in initialised:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["on"] = doc.pop(True)  # YAML 1.1 reads the bare key `on` as true; GitHub does not
        jsonschema.validate(doc, schema)


def failing(root: Path, capsys: pytest.CaptureFixture[str]) -> set[str]:
    capsys.readouterr()
    assert main(["scan", str(root), "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)
    return {r["name"] for r in results if r["status"] in {"failing", "unknown"}}


@pytest.mark.usefixtures("released")
@pytest.mark.parametrize("ci", [False, True])
def test_scan_right_after_init_fails_no_signal_that_did_not_fail_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ci: bool
) -> None:
    if ci:
        workflows_dir = tmp_path / ".github" / "workflows"
        workflows_dir.mkdir(parents=True)
        (workflows_dir / "ci.yml").write_text(
            "name: CI\non: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - run: make\n",
            encoding="utf-8",
        )
    before = failing(tmp_path, capsys)

    assert init(str(tmp_path), "--repo", "acme/api") == 0

    after = failing(tmp_path, capsys)
    assert after <= before
    assert {"pinned-actions", "workflow-permissions", "dependabot"}.isdisjoint(after)


@pytest.mark.usefixtures("released")
def test_init_leaves_an_existing_dependabot_config_alone(tmp_path: Path) -> None:
    mine = tmp_path / ".github" / "dependabot.yml"
    mine.parent.mkdir()
    mine.write_text("version: 2\nupdates: []\n", encoding="utf-8")

    assert init(str(tmp_path), "--repo", "acme/api") == 0
    assert mine.read_text(encoding="utf-8") == "version: 2\nupdates: []\n"
