"""The lint-config signal: every language that matters in the tree is linted."""

from __future__ import annotations

import pytest

from prime_action.signals.lint import LintConfig, lint_configs
from tests.signals.snapshots import snap


def many(extension: str, n: int = 5, folder: str = "src") -> list[str]:
    """n source files of one language: enough for it to matter."""
    return [f"{folder}/m{i}.{extension}" for i in range(n)]


PY = many("py")


@pytest.mark.parametrize(
    ("paths", "files", "status"),
    [
        pytest.param([*PY, "ruff.toml"], {}, "ok", id="ruff_toml_configures_python"),
        pytest.param(
            PY, {"pyproject.toml": "[tool.ruff.lint]\n"}, "ok", id="pyproject_ruff_section"
        ),
        pytest.param(PY, {"setup.cfg": "[flake8]\n"}, "ok", id="setup_cfg_flake8_section"),
        pytest.param(
            PY, {"pyproject.toml": "[project]\n"}, "failing", id="pyproject_without_linter"
        ),
        pytest.param(PY, {}, "failing", id="python_without_config_fails"),
        pytest.param(
            [*many("ts", folder="web"), "web/eslint.config.mjs"],
            {},
            "ok",
            id="package_level_eslint_counts",
        ),
        pytest.param(
            [*many("js"), "node_modules/x/.eslintrc.json"],
            {},
            "failing",
            id="vendored_config_ignored",
        ),
        pytest.param(many("js"), {"package.json": '{"eslintConfig": {}}'}, "ok", id="eslint_key"),
        pytest.param(
            [*many("js"), "examples/.eslintrc.json"], {}, "failing", id="sample_config_ignored"
        ),
        pytest.param([*many("go"), ".golangci.yml"], {}, "ok", id="golangci_configures_go"),
        pytest.param(
            many("ts"),
            {"package.json": '{"devDependencies": {"xo": "^1"}}'},
            "ok",
            id="xo_in_package_json_lints",
        ),
        pytest.param(
            PY,
            {".github/workflows/ci.yml": "jobs:\n  l:\n    steps:\n      - run: ruff check .\n"},
            "ok",
            id="ci_running_ruff_lints",
        ),
        pytest.param(
            many("go"),
            {".github/workflows/ci.yml": "jobs:\n  l:\n    steps:\n      - run: make lint\n"},
            "ok",
            id="ci_running_make_lint_lints",
        ),
        pytest.param(
            PY, {".pre-commit-config.yaml": "repos: []\n# hooks\n"}, "ok", id="pre_commit_lints"
        ),
        pytest.param(
            [*many("go", 40), "tool.sh", "Formula/x.rb", "web/stub.js"],
            {".github/workflows/ci.yml": "jobs:\n  l:\n    steps:\n      - run: go vet ./...\n"},
            "ok",
            id="minor_languages_need_no_linter",
        ),
        pytest.param(
            [*many("c", 60), *many("py", 5, "scripts")], {}, "ok", id="share_counts_other_languages"
        ),
        pytest.param(["README.md", "data.csv"], {}, "skipped", id="no_source_is_skipped"),
    ],
)
def test_lint_config_passes_when_each_language_has_a_linter_config(
    paths: list[str], files: dict[str, str], status: str
) -> None:
    assert LintConfig().detect(snap(*paths, files=files)).status == status


def test_lint_config_names_each_unconfigured_language_and_its_default_config() -> None:
    signal = LintConfig().detect(snap(*PY, *many("go"), *many("sh"), "ruff.toml"))
    assert signal.detail == "no linter configured or run for: go, shell"
    assert signal.fix is not None
    assert signal.fix.runner == "fileops"
    assert "go (.golangci.yml), shell (.shellcheckrc)" in signal.fix.approach


def test_lint_config_fingerprint_changes_when_another_language_loses_its_config() -> None:
    go_only = LintConfig().detect(snap(*many("go"), *PY, "ruff.toml"))
    both = LintConfig().detect(snap(*many("go"), *PY))
    assert go_only.fingerprint != both.fingerprint


def test_lint_configs_maps_languages_to_their_config_most_used_first() -> None:
    paths = [*many("py", 6), *many("go"), ".golangci.yaml"]
    assert lint_configs(paths, {}) == {"python": None, "go": ".golangci.yaml"}


def test_lint_config_wants_only_root_files_that_may_hold_a_linter_section() -> None:
    paths = ["pyproject.toml", "sub/pyproject.toml", "package.json", "Cargo.toml", "a.py"]
    assert tuple(LintConfig().wants(paths)) == ("Cargo.toml", "package.json", "pyproject.toml")
