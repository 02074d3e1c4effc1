"""The functional core imports no I/O library: values in, values out (STYLE: functional core)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "prime_action"
# The Clock port's module holds the one real clock the shell injects.
CLOCK = PACKAGE / "domain" / "clock.py"
CORE = (
    "domain",
    "brain",
    "repo",
    "signals",
    "events",
    "fileops",
    "org",
    "dispatch",
    "runners",
    "growth",
    "eyes.py",
    "markdown.py",
    "config/models.py",
    "config/org.py",
)
# Libraries that reach the network, the process environment or the file system.
FORBIDDEN = (
    "github",
    "litellm",
    "requests",
    "urllib",
    "http",
    "socket",
    "subprocess",
    "os",
    "shutil",
)
CORE_MODULES = sorted(
    path
    for part in CORE
    for path in ((PACKAGE / part).rglob("*.py") if (PACKAGE / part).is_dir() else [PACKAGE / part])
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_imports_no_io_library(path: Path) -> None:
    assert not _imports(path) & set(FORBIDDEN)


def test_core_reads_no_environment_and_no_clock() -> None:
    for path in CORE_MODULES:
        text = path.read_text(encoding="utf-8")
        assert "environ" not in text, path
        assert path == CLOCK or "datetime.now(" not in text, path
        assert "time.time(" not in text, path


def test_the_check_finds_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from github import Github\nimport os.path\n")
    assert _imports(bad) & set(FORBIDDEN) == {"github", "os"}
