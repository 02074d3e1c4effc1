"""The local eyes' input: a checkout's file listing plus the few files detectors ask for."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from pathspec import GitIgnoreSpec

from prime_action.config.models import RepoConfig
from prime_action.domain.errors import ConfigError
from prime_action.eyes import wanted_files
from prime_action.signals.base import RepoSnapshot
from prime_action.signals.ecosystems import IGNORED_DIRS

# Directories never walked: vendored and generated code (as the detectors ignore it anyway),
# Prime's own local memory, and tool caches that can hold many thousands of files.
SKIPPED_DIRS = IGNORED_DIRS | {
    ".prime",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    "venv",
}


def _unreadable(error: OSError) -> None:
    msg = f"cannot be listed ({error.strerror}); fix its permissions"
    raise ConfigError(msg, file=str(error.filename)) from error


class _Ignores:
    """The checkout's `.gitignore` files (and `.git/info/exclude`), each for its own folder."""

    def __init__(self, root: Path) -> None:
        self._specs: list[tuple[str, GitIgnoreSpec]] = []
        self._read(root / ".git" / "info" / "exclude", "")

    def _read(self, file: Path, base: str) -> None:
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return  # an unreadable ignore file ignores nothing, as git does
        self._specs.append((base, GitIgnoreSpec.from_lines(lines)))

    def enter(self, directory: Path, base: str) -> None:
        """Read the `.gitignore` of a folder being walked (base: its posix path + "/")."""
        if (directory / ".gitignore").is_file():
            self._read(directory / ".gitignore", base)

    def ignored(self, path: str) -> bool:
        """Whether git ignores a path (a folder's path ends with "/")."""
        return any(
            path.startswith(base) and spec.match_file(path[len(base) :])
            for base, spec in self._specs
        )


def list_paths(root: Path) -> tuple[str, ...]:
    """Every file under root git would track, as sorted posix paths relative to it.

    Git-ignored files (build output such as `target/`) and SKIPPED_DIRS are left out: the
    listing is the local twin of one recursive tree listing of the pushed branch on GitHub.

    Args:
        root: the checkout's top directory.

    Returns:
        The listing.

    Raises:
        ConfigError: a directory cannot be listed.
    """
    found: list[str] = []
    ignores = _Ignores(root)
    for directory, dirs, files in os.walk(root, onerror=_unreadable):
        rel = Path(directory).relative_to(root).as_posix()
        base = "" if rel == "." else f"{rel}/"
        ignores.enter(Path(directory), base)
        dirs[:] = sorted(
            d for d in dirs if d not in SKIPPED_DIRS and not ignores.ignored(f"{base}{d}/")
        )
        found.extend(f"{base}{name}" for name in files if not ignores.ignored(f"{base}{name}"))
    return tuple(sorted(found))


def read_files(root: Path, paths: set[str]) -> dict[str, str]:
    """Read the given files as UTF-8 text.

    Args:
        root: the checkout's top directory.
        paths: posix paths relative to root.

    Returns:
        path -> text.

    Raises:
        ConfigError: a file cannot be read or is not UTF-8; the message names it.
    """
    texts: dict[str, str] = {}
    for path in sorted(paths):
        try:
            texts[path] = (root / path).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            msg = f"cannot be read as UTF-8 text ({e}); fix its encoding or permissions"
            raise ConfigError(msg, file=str(root / path)) from e
    return texts


def local_snapshot(root: Path, config: RepoConfig, now: datetime) -> RepoSnapshot:
    """Snapshot a local checkout for the detectors: no CI state and no pull requests.

    Args:
        root: the checkout's top directory.
        config: the repo config; only files enabled detectors want are read.
        now: the moment of the snapshot (the shell's clock).

    Returns:
        The snapshot, with `remote=False`, `ci=None` and `open_prs=None`.

    Raises:
        ConfigError: root is not a directory, or a wanted file is unreadable.
    """
    if not root.is_dir():
        msg = "is not a directory; give the path of a checkout"
        raise ConfigError(msg, file=str(root))
    paths = list_paths(root)
    files = read_files(root, wanted_files(paths, config))
    return RepoSnapshot(paths=paths, files=files, now=now)
