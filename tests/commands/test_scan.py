"""`prime scan PATH`: the table, the JSON report and its schema, and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from prime_action.cli import main
from prime_action.eyes import SIGNAL_NAMES
from prime_action.schemas import shipped
from tests.signals.snapshots import write_tree as tree

SHA = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab"
WORKFLOW = (
    "name: CI\non:\n  push:\npermissions:\n  contents: read\njobs:\n  test:\n"
    f"    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@{SHA}\n"
    f"      - uses: astral-sh/setup-uv@{SHA}\n      - run: uv run pytest\n"
)
DEPENDABOT = (
    "version: 2\nupdates:\n"
    "  - package-ecosystem: pip\n    directory: /\n    schedule: {interval: weekly}\n"
    "  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n"
)
# A repository that does everything the signals ask for.
HEALTHY = {
    "README.md": "# demo\n",
    "LICENSE": "MIT\n",
    "SECURITY.md": "Report privately.\n",
    ".github/CODEOWNERS": "* @octocat\n",
    ".editorconfig": "root = true\n",
    "AGENTS.md": "Run the tests.\n",
    "CONTRIBUTING.md": "Open a PR.\n",
    ".gitignore": "dist/\n",
    ".github/ISSUE_TEMPLATE/bug.yml": "name: Bug\n",
    ".github/workflows/ci.yml": WORKFLOW,
    ".github/dependabot.yml": DEPENDABOT,
    "pyproject.toml": "[project]\nname = 'demo'\n\n[tool.ruff]\nline-length = 100\n",
    "src/demo/__init__.py": "",
}


def scan_json(root: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["scan", str(root), "--format", "json"]) == 0
    report: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return report


def test_scan_prints_a_table_of_every_signal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(tree(tmp_path, {"app.py": ""}))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["STATUS", "SIGNAL", "SEVERITY", "DETAIL"]
    rows = [line.split()[1] for line in lines[1 : 1 + len(SIGNAL_NAMES)]]
    assert rows == list(SIGNAL_NAMES)
    assert lines[-1].startswith(f"{len(SIGNAL_NAMES)} signals: ")


def test_scan_reports_twelve_or_more_signals_on_a_healthy_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = scan_json(tree(tmp_path, HEALTHY), capsys)
    statuses = {item["name"]: item["status"] for item in report}
    assert len(statuses) >= 12
    # Growth mode is off without a seed.yaml.
    assert {n for n, s in statuses.items() if s != "ok"} == {"ci", "stale-prs", "growth"}
    assert (statuses["ci"], statuses["stale-prs"], statuses["growth"]) == (
        "unknown",
        "skipped",
        "skipped",
    )


def test_scan_json_validates_against_the_shipped_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = scan_json(tree(tmp_path, {"app.py": "", "package.json": "{}"}), capsys)
    schema = json.loads(shipped("signals"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    assert any(item["fix"] for item in report)


def test_scan_applies_the_repo_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = (
        "signals:\n  license:\n    enabled: false\n  readme:\n    weight: 9\nstale_pr_days: 3\n"
    )
    report = scan_json(tree(tmp_path, {".github/prime.yml": config}), capsys)
    items = {item["name"]: item for item in report}
    assert (items["license"]["status"], items["license"]["detail"]) == (
        "skipped",
        "disabled in config",
    )
    assert items["readme"]["weight"] == 9.0


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param(
            {".github/prime.yml": "signals:\n  licence: {enabled: false}\n"},
            "prime.yml: key 'signals.licence': no such signal",
            id="misspelt_signal_name",
        ),
        pytest.param(
            {".github/prime.yml": "stale_pr_days: never\n"},
            "prime.yml:1: key 'stale_pr_days'",
            id="invalid_config_value_with_its_line",
        ),
        pytest.param(
            {".github/workflows/ci.yml": b"on: push\n\xff\n"},
            "ci.yml: cannot be read as UTF-8 text",
            id="undecodable_workflow",
        ),
    ],
)
def test_scan_exits_2_naming_the_file_at_fault(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes],
    message: str,
) -> None:
    assert main(["scan", str(tree(tmp_path, files))]) == 2
    assert message in capsys.readouterr().err


def test_scan_of_a_missing_directory_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(tmp_path / "nope")]) == 2
    assert "nope: is not a directory" in capsys.readouterr().err


def test_scan_rejects_an_unknown_format(tmp_path: Path) -> None:
    assert main(["scan", str(tmp_path), "--format", "xml"]) == 2


def test_a_custom_signal_from_the_repo_config_is_scanned_and_fixed_locally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "custom_signals:\n"
        "  - {name: changelog, glob: CHANGELOG.md, severity: low,\n"
        "     fix: {path: CHANGELOG.md, content: '# Changelog'}}\n"
    )
    root = tree(tmp_path, {**HEALTHY, ".github/prime.yml": config})
    statuses = {item["name"]: item["status"] for item in scan_json(root, capsys)}
    assert statuses["changelog"] == "failing"
    assert main(["fix", "--local", str(root), "changelog"]) == 0
    assert (root / "CHANGELOG.md").read_text() == "# Changelog\n"
    capsys.readouterr()
    assert {i["name"]: i["status"] for i in scan_json(root, capsys)}["changelog"] == "ok"


@pytest.mark.parametrize("org", [False, True])
def test_prime_init_then_scan_fails_no_signal_because_of_prime_s_own_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], org: bool
) -> None:
    root = tree(tmp_path, HEALTHY)
    before = {i["name"]: i["status"] for i in scan_json(root, capsys)}
    args = [
        "init",
        str(root),
        "--repo",
        "acme/demo",
        "--ref",
        "a" * 40,
        *(["--org"] if org else []),
    ]
    assert main(args) == 0
    capsys.readouterr()
    after = {i["name"]: i["status"] for i in scan_json(root, capsys)}
    assert sorted((root / ".github" / "workflows").iterdir()) != []
    assert after == before
