"""The lint-config signal: a linter configuration for every language in the tree."""

from __future__ import annotations

import pytest

from prime_action.signals.lint import LintConfig, lint_configs
from tests.signals.snapshots import snap


@pytest.mark.parametrize(
    ("paths", "files", "status"),
    [
        pytest.param(["app.py", "ruff.toml"], {}, "ok", id="ruff_toml_configures_python"),
        pytest.param(
            ["app.py"], {"pyproject.toml": "[tool.ruff.lint]\n"}, "ok", id="pyproject_ruff_section"
        ),
        pytest.param(["app.py"], {"setup.cfg": "[flake8]\n"}, "ok", id="setup_cfg_flake8_section"),
        pytest.param(
            ["app.py"], {"pyproject.toml": "[project]\n"}, "failing", id="pyproject_without_linter"
        ),
        pytest.param(["app.py"], {}, "failing", id="python_without_config_fails"),
        pytest.param(
            ["web/a.ts", "web/eslint.config.mjs"], {}, "ok", id="package_level_eslint_counts"
        ),
        pytest.param(
            ["a.js", "node_modules/x/.eslintrc.json"], {}, "failing", id="vendored_config_ignored"
        ),
        pytest.param(["a.js"], {"package.json": '{"eslintConfig": {}}'}, "ok", id="eslint_key"),
        pytest.param(["main.go", ".golangci.yml"], {}, "ok", id="golangci_configures_go"),
        pytest.param(["README.md", "data.csv"], {}, "skipped", id="no_source_is_skipped"),
    ],
)
def test_lint_config_passes_when_each_language_has_a_linter_config(
    paths: list[str], files: dict[str, str], status: str
) -> None:
    assert LintConfig().detect(snap(*paths, files=files)).status == status


def test_lint_config_names_each_unconfigured_language_and_its_default_config() -> None:
    signal = LintConfig().detect(snap("a.py", "b.py", "main.go", "tool.sh", "ruff.toml"))
    assert signal.detail == "no linter configured for: go, shell"
    assert signal.fix is not None
    assert signal.fix.runner == "fileops"
    assert "go (.golangci.yml), shell (.shellcheckrc)" in signal.fix.approach


def test_lint_config_fingerprint_changes_when_another_language_loses_its_config() -> None:
    go_only = LintConfig().detect(snap("main.go", "a.py", "ruff.toml"))
    both = LintConfig().detect(snap("main.go", "a.py"))
    assert go_only.fingerprint != both.fingerprint


def test_lint_configs_maps_languages_to_their_config_most_used_first() -> None:
    configs = lint_configs(snap("a.py", "b.py", "c.go", ".golangci.yaml"))
    assert configs == {"python": None, "go": ".golangci.yaml"}


def test_lint_config_wants_only_root_files_that_may_hold_a_linter_section() -> None:
    paths = ["pyproject.toml", "sub/pyproject.toml", "package.json", "Cargo.toml", "a.py"]
    assert tuple(LintConfig().wants(paths)) == ("Cargo.toml", "package.json", "pyproject.toml")
