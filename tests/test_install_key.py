"""The cache key of Prime's install: it changes with the action's sources, Python and extras."""

from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from prime_action.install_key import install_key, main, version_hash

ROOT = Path(__file__).resolve().parents[1]
RUNNER = {"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64"}


def copy_of_the_action(tmp_path: Path) -> Path:
    root = tmp_path / "action"
    root.mkdir()
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "prime_action", root / "prime_action")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def test_the_key_names_runner_python_extras_and_the_action_version(tmp_path: Path) -> None:
    root = copy_of_the_action(tmp_path)
    python = ".".join(str(n) for n in sys.version_info[:3])
    assert install_key(RUNNER, root) == f"prime-venv-Linux-X64-py{python}-base-{version_hash(root)}"
    assert "-llm-" in install_key(RUNNER | {"PRIME_MODEL": "openai/gpt-4o-mini"}, root)


def test_a_changed_source_changes_the_key_and_a_changed_test_does_not(tmp_path: Path) -> None:
    root = copy_of_the_action(tmp_path)
    before = version_hash(root)
    (root / "tests").mkdir()
    (root / "tests" / "test_x.py").write_text("x = 1\n")
    (root / "prime_action" / "__pycache__").mkdir(exist_ok=True)
    (root / "prime_action" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert version_hash(root) == before
    with (root / "templates" / "workflows" / "repo.yml.j2").open("a") as handle:
        handle.write("# changed\n")
    assert version_hash(root) != before


def test_the_key_reaches_the_step_outputs(tmp_path: Path) -> None:
    output = tmp_path / "output.txt"
    env = RUNNER | {"GITHUB_ACTION_PATH": str(ROOT), "GITHUB_OUTPUT": str(output)}
    assert main(env) == 0
    assert output.read_text() == f"key={install_key(env, ROOT)}\n"


def test_the_key_script_needs_only_the_standard_library() -> None:
    tree = ast.parse((ROOT / "prime_action" / "install_key.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {
        "__future__"
    }


def test_the_action_restores_the_install_from_a_pinned_cache_keyed_by_that_script() -> None:
    action: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    names = [step["name"] for step in steps]
    key, cache, install = (steps[names.index(n)] for n in (
        "Name Prime's install", "Restore Prime's install", "Install Prime",
    ))  # fmt: skip
    assert names.index("Restore Prime's install") < names.index("Install Prime")
    assert "prime_action/install_key.py" in key["run"]
    assert cache["uses"].startswith("actions/cache@")
    assert len(cache["uses"].split("@")[1]) == 40  # pinned by commit SHA
    assert cache["with"] == {
        "path": "${{ runner.temp }}/prime-venv",
        "key": "${{ steps.install-key.outputs.key }}",
    }
    assert "$RUNNER_TEMP/prime-venv" in install["run"]
    assert "import prime_action" in install["run"]  # a restored venv with no Python is rebuilt
