"""The README's offline command blocks run as written, and its config examples load."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from prime_action import workflows
from prime_action.cli import main
from prime_action.config.loader import parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.config.org import OrgConfig

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Commands the README shows that this test does not run, each with why; any other command
# must run offline, so a new README command is either runnable or listed here.
NOT_RUN = {
    "python3 -m pip install .": "installs the package; the test runs the same CLI in-process",
    "bash .ci/run": "the whole CI run, of which this test is a part",
    "prime dispatch": "talks to GitHub (the org repository's ledger and workflows)",
    "prime jobs": "talks to GitHub (the attempt ledger)",
    "prime jobs cancel ATTEMPT_ID": "talks to GitHub (cancels a workflow run)",
}
CONFIGS = {"# .github/prime.yml": RepoConfig, "# .github/prime-org.yml": OrgConfig}


def blocks(kind: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [body for lang, body in BLOCK.findall(text) if lang == kind]


def commands(block: str) -> list[str]:
    """A shell block's commands: one a line, `&&` splitting, comments dropped."""
    found = []
    for line in block.splitlines():
        code = re.sub(r"\s+#.*$", "", line).strip()
        found.extend(part.strip() for part in code.split("&&") if part.strip())
    return found


@pytest.fixture
def released(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's Prime is a release: its stamp pins what `prime init` writes."""
    stamp = tmp_path / "release.json"
    stamp.write_text(json.dumps({"tag": "v0.1.0", "sha": "ab" * 20}), encoding="utf-8")
    monkeypatch.setattr(workflows, "stamp_path", lambda: stamp)


def checkout(tmp_path: Path, name: str) -> Path:
    """A small user repository on which the README's first command has run."""
    root = tmp_path / name
    (root / "src").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\n', encoding="utf-8")
    (root / "src" / "demo.py").write_text("print('demo')\n", encoding="utf-8")
    assert main(["wake", "--local", str(root)]) == 0
    return root


def test_every_readme_command_is_run_below_or_listed_with_why_not() -> None:
    shown = {command for block in blocks("sh") for command in commands(block)}
    runnable = {c for c in shown if c.startswith("prime ") and c not in NOT_RUN}

    assert shown - runnable == set(NOT_RUN)
    assert len(runnable) >= 7


@pytest.mark.usefixtures("released")
@pytest.mark.parametrize("index", range(len(blocks("sh"))))
def test_each_offline_readme_block_runs_and_exits_0(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = checkout(tmp_path, "demo")
    monkeypatch.chdir(root)
    for command in commands(blocks("sh")[index]):
        if command in NOT_RUN:
            continue
        argv = shlex.split(command)
        assert argv[0] == "prime"
        assert main(argv[1:]) == 0, command


@pytest.mark.parametrize("block", [b for b in blocks("yaml") if b.split("\n")[0] in CONFIGS])
def test_readme_config_examples_load(block: str) -> None:
    first = block.split("\n", maxsplit=1)[0]
    parse_yaml(block, CONFIGS[first], first.removeprefix("# "))
