"""Refresh one repository of the precision corpus (tests/corpus/) from a git snapshot.

Usage: python scripts/corpus_snapshot.py GIT_DIR OWNER/NAME [--corpus tests/corpus]

GIT_DIR is a bare clone or a mirror (e.g. what the `fetch` tool brings to
/work/.mirror/OWNER+NAME/repo). The script stores, under tests/corpus/OWNER__NAME/:
  commit.txt   the commit the snapshot was taken at;
  paths.txt    the full path listing of that commit (what one recursive tree listing gives);
  files/       only the files a detector may read, each capped at MAX_BYTES;
  zizmor.json  zizmor's findings (--format json, offline) on the stored workflows: the oracle
               for pinned-actions and workflow-permissions.
The hand-checked verdicts live in tests/corpus/truth.yml and are never written here.
"""

from __future__ import annotations

import argparse
import json
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prime_action.config.models import RepoConfig  # noqa: E402  (needs the path above)
from prime_action.eyes import wanted_files  # noqa: E402

MAX_BYTES = 65_536

# Beyond what today's detectors want: the root and workspace manifests and the ignore and
# lint files a detector may come to read, so a detector change rarely needs a refresh.
EXTRA_NAMES = frozenset(
    {
        "package.json",
        "pnpm-workspace.yaml",
        "lerna.json",
        "Cargo.toml",
        "go.work",
        "pyproject.toml",
        "setup.cfg",
        "tox.ini",
        ".pre-commit-config.yaml",
        ".gitignore",
        "CODEOWNERS",
        "Gemfile",
        "composer.json",
        "mix.exs",
    }
)
EXTRA_DIRS = ("", ".github/", "docs/")


def _git(git_dir: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
    )
    return out.stdout


def _keep(paths: list[str]) -> list[str]:
    wanted = wanted_files(paths, RepoConfig())
    extra = {p for p in paths if posixpath.basename(p) in EXTRA_NAMES and _dir(p) in EXTRA_DIRS}
    workflows = {p for p in paths if p.startswith(".github/workflows/")}
    return sorted(wanted | extra | workflows)


def _dir(path: str) -> str:
    parent = posixpath.dirname(path)
    return f"{parent}/" if parent else ""


def _store(git_dir: Path, out: Path, paths: list[str]) -> None:
    for path in _keep(paths):
        blob = subprocess.run(
            ["git", f"--git-dir={git_dir}", "show", f"HEAD:{path}"],
            check=True,
            capture_output=True,
        ).stdout[:MAX_BYTES]
        target = out / "files" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)


# The audits that are oracles for our workflow signals; zizmor's others are out of scope.
ORACLE_AUDITS = frozenset({"unpinned-uses", "excessive-permissions"})


def _zizmor(out: Path) -> None:
    files = out / "files"
    findings: list[dict[str, str]] = []
    if (files / ".github" / "workflows").is_dir():
        zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
        done = subprocess.run(
            [zizmor, "--offline", "--no-config", "--format", "json", ".github/workflows"],
            cwd=files,
            capture_output=True,
            text=True,
            check=False,
        )
        findings = _oracle(json.loads(done.stdout or "[]"))
    (out / "zizmor.json").write_text(json.dumps(findings, indent=1) + "\n")


def _oracle(findings: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One row per oracle finding: audit, workflow path, the feature (e.g. the `uses:`)."""
    rows = [
        {
            "ident": finding["ident"],
            "path": location["symbolic"]["key"]["Local"]["verbatim_path"],
            "feature": _feature(finding["locations"][0]["concrete"]["feature"]),
            "annotation": " | ".join(loc["symbolic"]["annotation"] for loc in finding["locations"]),
        }
        for finding in findings
        if finding["ident"] in ORACLE_AUDITS
        for location in finding["locations"][:1]
    ]
    return sorted(rows, key=lambda r: (r["ident"], r["path"], r["feature"]))


def _feature(text: str) -> str:
    # A job calling a reusable workflow is reported as the whole job: keep its `uses:` line.
    lines = [line.strip() for line in text.strip().splitlines()]
    return next((line for line in lines if line.startswith("uses:")), lines[0])


def main(argv: list[str] | None = None) -> int:
    """Snapshot one repository into the corpus; returns an exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir", type=Path)
    parser.add_argument("repo", help="OWNER/NAME")
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    args = parser.parse_args(argv)
    out = args.corpus / args.repo.replace("/", "__")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    paths = sorted(_git(args.git_dir, "ls-tree", "-r", "--name-only", "-z", "HEAD").split("\0"))
    paths = [p for p in paths if p]
    (out / "commit.txt").write_text(_git(args.git_dir, "rev-parse", "HEAD"))
    (out / "paths.txt").write_text("\n".join(paths) + "\n")
    _store(args.git_dir, out, paths)
    _zizmor(out)
    print(f"{args.repo}: {len(paths)} paths, {len(_keep(paths))} files kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
