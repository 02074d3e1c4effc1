"""Custom signals: a file matching a glob must (not) exist or (not) contain a pattern."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from prime_action.config.models import CustomFix, CustomSignal, RepoConfig, SignalSettings
from prime_action.eyes import run_signals, unknown_signals, wanted_files
from prime_action.fileops.fixes import plan_fix
from prime_action.signals.custom import CustomDetector
from tests.signals.snapshots import remote, snap

CHANGELOG = CustomSignal(name="changelog", glob="CHANGELOG.md", severity="low")


@pytest.mark.parametrize(
    ("spec", "paths", "files", "status"),
    [
        pytest.param(CHANGELOG, ["CHANGELOG.md"], {}, "ok", id="exists_found"),
        pytest.param(CHANGELOG, ["README.md"], {}, "failing", id="exists_missing"),
        pytest.param(
            CustomSignal(name="no-env", glob="*.env", check="absent"),
            ["prod.env"],
            {},
            "failing",
            id="absent_found",
        ),
        pytest.param(
            CustomSignal(name="no-env", glob="*.env", check="absent"),
            ["a.py"],
            {},
            "ok",
            id="absent_ok",
        ),
        pytest.param(
            CustomSignal(name="spdx", glob="src/*.py", check="contains", pattern="SPDX-License"),
            [],
            {"src/a.py": "# SPDX-License-Identifier: MIT\n", "src/b.py": "print()\n"},
            "failing",
            id="contains_missing_in_one",
        ),
        pytest.param(
            CustomSignal(name="spdx", glob="src/*.py", check="contains", pattern="SPDX-License"),
            [],
            {"src/a.py": "# SPDX-License-Identifier: MIT\n"},
            "ok",
            id="contains_everywhere",
        ),
        pytest.param(
            CustomSignal(name="spdx", glob="src/*.py", check="contains", pattern="SPDX"),
            ["README.md"],
            {},
            "skipped",
            id="contains_without_files_is_skipped",
        ),
        pytest.param(
            CustomSignal(name="no-todo", glob="*.md", check="lacks", pattern=r"\bTODO\b"),
            [],
            {"README.md": "TODO: write\n"},
            "failing",
            id="lacks_found",
        ),
    ],
)
def test_a_custom_signal_checks_its_glob_and_pattern(
    spec: CustomSignal, paths: list[str], files: dict[str, str], status: str
) -> None:
    signal = CustomDetector.of(spec).detect(snap(*paths, files=files))
    assert (signal.name, signal.status, signal.severity) == (spec.name, status, spec.severity)


def test_a_failing_custom_signal_names_the_offending_files_and_the_configured_detail() -> None:
    spec = CustomSignal(name="no-env", glob="*.env", check="absent", detail="no env files")
    signal = CustomDetector.of(spec).detect(snap("prod.env", "dev.env"))
    assert signal.detail == "no env files (dev.env; prod.env)"


def test_custom_signals_run_after_the_built_in_ones_with_their_settings() -> None:
    config = RepoConfig(
        custom_signals=(CHANGELOG,), signals={"changelog": SignalSettings(severity="high")}
    )
    results = run_signals(remote("README.md"), config)
    assert results[-1].name == "changelog"
    assert (results[-1].status, results[-1].severity) == ("failing", "high")
    assert unknown_signals(config) == ()


def test_a_contains_check_asks_for_its_files() -> None:
    spec = CustomSignal(name="spdx", glob="src/*.py", check="contains", pattern="SPDX")
    config = RepoConfig(custom_signals=(spec,))
    assert {"src/a.py"} <= wanted_files(["src/a.py", "README.md"], config)


def test_a_custom_signal_cannot_replace_a_built_in_one() -> None:
    config = RepoConfig(custom_signals=(CustomSignal(name="license", glob="X", check="absent"),))
    names = [r.name for r in run_signals(remote("X", "LICENSE"), config)]
    assert names.count("license") == 1


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"name": "x", "glob": "*", "check": "contains"}, "needs a `pattern`"),
        ({"name": "x", "glob": "*", "check": "lacks", "pattern": "("}, "not a valid regex"),
        ({"name": "Bad Name", "glob": "*"}, "pattern"),
    ],
)
def test_a_bad_custom_signal_is_a_config_error(entry: dict[str, str], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        CustomSignal.model_validate(entry)


def test_a_custom_fix_creates_its_file_once() -> None:
    fix = CustomFix(path="CHANGELOG.md", content="# Changelog")
    spec = CHANGELOG.model_copy(update={"fix": fix})
    signal = CustomDetector.of(spec).detect(snap("README.md"))
    assert signal.fix is not None
    assert signal.fix.runner == "fileops"
    kwargs = {
        "owner": "@acme",
        "license_id": "MIT",
        "year": 2026,
        "custom_fixes": {"changelog": fix},
    }
    assert plan_fix("changelog", ["README.md"], **kwargs).create == {
        "CHANGELOG.md": "# Changelog\n"
    }
    assert plan_fix("changelog", ["CHANGELOG.md"], **kwargs).present == ("CHANGELOG.md",)
