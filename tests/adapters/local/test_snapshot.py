"""The local snapshot: the walk, what it skips, and what it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from prime_action.adapters.local.snapshot import list_paths, local_snapshot
from prime_action.config.models import RepoConfig, SignalSettings
from prime_action.domain.errors import ConfigError
from tests.signals.snapshots import NOW
from tests.signals.snapshots import write_tree as tree

WORKFLOW = "on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - run: make\n"


def test_list_paths_gives_sorted_posix_paths_relative_to_the_root(tmp_path: Path) -> None:
    tree(tmp_path, {"src/pkg/a.py": "", "README.md": "", ".github/workflows/ci.yml": ""})
    assert list_paths(tmp_path) == (".github/workflows/ci.yml", "README.md", "src/pkg/a.py")


@pytest.mark.parametrize(
    "skipped",
    [
        ".git/HEAD",
        "node_modules/x/package.json",
        ".venv/lib/site.py",
        ".prime/state.json",
        "web/node_modules/y/index.js",
        "src/__pycache__/a.pyc",
        "vendor/lib/go.mod",
    ],
)
def test_list_paths_skips_vendored_generated_and_private_folders(
    tmp_path: Path, skipped: str
) -> None:
    tree(tmp_path, {skipped: "", "README.md": ""})
    assert list_paths(tmp_path) == ("README.md",)


def test_list_paths_leaves_out_what_git_ignores(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            ".gitignore": "/target/\n*.log\n!keep.log\n",
            "target/debug/build/x/Cargo.toml": "",
            "src/main.rs": "",
            "src/debug.log": "",
            "keep.log": "",
            "web/.gitignore": "out/\n",
            "web/out/package.json": "",
            "web/package.json": "",
            "other/out/a.txt": "",
            ".git/info/exclude": "scratch.py\n",
            "scratch.py": "",
        },
    )
    assert list_paths(tmp_path) == (
        ".gitignore",
        "keep.log",
        "other/out/a.txt",
        "src/main.rs",
        "web/.gitignore",
        "web/package.json",
    )


def test_git_ignored_build_output_is_no_ecosystem_or_source(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "target\n", "Cargo.toml": "", "target/x/Cargo.toml": ""})
    snapshot = local_snapshot(tmp_path, RepoConfig(), NOW)
    assert not any(p.startswith("target/") for p in snapshot.paths)


def test_local_snapshot_reads_only_the_files_detectors_want(tmp_path: Path) -> None:
    tree(tmp_path, {".github/workflows/ci.yml": WORKFLOW, "README.md": "# hi", "a.py": ""})
    snapshot = local_snapshot(tmp_path, RepoConfig(), NOW)
    assert snapshot.files == {".github/workflows/ci.yml": WORKFLOW}
    assert "README.md" in snapshot.paths


def test_local_snapshot_knows_neither_ci_nor_pull_requests(tmp_path: Path) -> None:
    snapshot = local_snapshot(tree(tmp_path, {"README.md": ""}), RepoConfig(), NOW)
    assert (snapshot.remote, snapshot.ci, snapshot.open_prs, snapshot.now) == (
        False,
        None,
        None,
        NOW,
    )


def test_an_undecodable_wanted_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    tree(tmp_path, {".github/workflows/ci.yml": b"on: push\n\xff\xfe\n"})
    with pytest.raises(ConfigError, match=r"ci\.yml: cannot be read as UTF-8 text"):
        local_snapshot(tmp_path, RepoConfig(), NOW)


def test_an_undecodable_file_nobody_wants_is_never_read(tmp_path: Path) -> None:
    tree(tmp_path, {".github/workflows/ci.yml": b"\xff", "logo.png": b"\x89PNG\xff"})
    off = SignalSettings(enabled=False)
    workflow_readers = ("pinned-actions", "workflow-permissions", "lint-config")
    config = RepoConfig(signals=dict.fromkeys(workflow_readers, off))
    snapshot = local_snapshot(tmp_path, config, NOW)
    assert snapshot.files == {}
    assert "logo.png" in snapshot.paths


def test_a_wanted_broken_symlink_is_a_config_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "dependabot.yml").symlink_to(tmp_path / "missing.yml")
    with pytest.raises(ConfigError, match=r"dependabot\.yml: cannot be read"):
        local_snapshot(tmp_path, RepoConfig(), NOW)


def test_a_missing_root_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a directory"):
        local_snapshot(tmp_path / "nope", RepoConfig(), NOW)


def test_a_file_given_as_root_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a directory"):
        local_snapshot(tree(tmp_path, {"f": ""}) / "f", RepoConfig(), NOW)
