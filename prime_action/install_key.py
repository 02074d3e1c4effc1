"""The Actions cache key of Prime's install, computed before Prime is installed.

Run by `action.yml` as a plain script with the standard library alone (like hibernation.py).
The key names the runner, the Python the venv is built on, the extras and a hash of the
action's own files: a new version of the action or of the Python builds afresh, and a cached
venv never runs code older than the action it came with.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

# What the installed package is built from; tests and docs do not change the install.
SOURCES = ("pyproject.toml", "uv.lock", "prime_action", "templates")


def _files(root: Path) -> Iterator[Path]:
    for name in SOURCES:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )


def version_hash(root: Path) -> str:
    """A hash of the action's sources: their paths and contents, in a stable order."""
    digest = hashlib.sha256()
    for path in _files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def install_key(environ: Mapping[str, str], root: Path) -> str:
    """The cache key, e.g. `prime-venv-Linux-X64-py3.12.3-base-0123456789abcdef`."""
    python = ".".join(str(n) for n in sys.version_info[:3])
    extras = "llm" if environ.get("PRIME_MODEL") else "base"
    where = f"{environ.get('RUNNER_OS', '')}-{environ.get('RUNNER_ARCH', '')}"
    return f"prime-venv-{where}-py{python}-{extras}-{version_hash(root)}"


def main(environ: Mapping[str, str] | None = None) -> int:
    """Append `key=` to GITHUB_OUTPUT (and print it)."""
    environ = os.environ if environ is None else environ
    key = install_key(environ, Path(environ.get("GITHUB_ACTION_PATH", ".")))
    print(f"Prime's install is cached as {key}")
    output = environ.get("GITHUB_OUTPUT")
    if output:
        with Path(output).open("a", encoding="utf-8") as handle:
            handle.write(f"key={key}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
