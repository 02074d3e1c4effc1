"""What a repository is made of: package ecosystems (for Dependabot) and languages (for lint)."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

# Manifest file name -> Dependabot `package-ecosystem` value.
MANIFESTS: dict[str, str] = {
    "package.json": "npm",
    "package-lock.json": "npm",
    "yarn.lock": "npm",
    "pnpm-lock.yaml": "npm",
    "requirements.txt": "pip",
    "pyproject.toml": "pip",
    "setup.py": "pip",
    "setup.cfg": "pip",
    "Pipfile": "pip",
    "poetry.lock": "pip",
    "uv.lock": "uv",
    "go.mod": "gomod",
    "Cargo.toml": "cargo",
    "Gemfile": "bundler",
    "composer.json": "composer",
    "pom.xml": "maven",
    "build.gradle": "gradle",
    "build.gradle.kts": "gradle",
    "mix.exs": "mix",
    "pubspec.yaml": "pub",
    "Dockerfile": "docker",
    "main.tf": "terraform",
}

# File extension -> language name used by the lint-config signal and fix.
EXTENSIONS: dict[str, str] = {
    ".py": "python",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".go": "go",
    ".rs": "rust",
    ".rb": "ruby",
    ".sh": "shell",
}

# Directories that hold vendored or generated code, never the project's own.
IGNORED_DIRS = frozenset(
    {"node_modules", "vendor", "third_party", ".git", "dist", "build", ".venv"}
)


def _ignored(path: str) -> bool:
    return any(part in IGNORED_DIRS for part in path.split("/")[:-1])


def ecosystems(paths: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Dependabot ecosystems found in the tree, each with the directories holding a manifest.

    Args:
        paths: every file path of the repository, posix and relative.

    Returns:
        ecosystem -> sorted directories ("/" for the root), plus "github-actions" when
        the repository has workflows.
    """
    found: dict[str, set[str]] = {}
    for path in paths:
        if _ignored(path):
            continue
        name = posixpath.basename(path)
        ecosystem = MANIFESTS.get(name)
        if ecosystem is None and path.startswith(".github/workflows/"):
            ecosystem = "github-actions" if path.endswith((".yml", ".yaml")) else None
        if ecosystem is None:
            continue
        directory = "/" if ecosystem == "github-actions" else "/" + posixpath.dirname(path)
        found.setdefault(ecosystem, set()).add(directory.rstrip("/") or "/")
    return {eco: tuple(sorted(dirs)) for eco, dirs in sorted(found.items())}


def languages(paths: Sequence[str]) -> tuple[str, ...]:
    """Languages with source files in the tree, most files first (ties by name)."""
    counts: dict[str, int] = {}
    for path in paths:
        if _ignored(path):
            continue
        language = EXTENSIONS.get(posixpath.splitext(path)[1].lower())
        if language:
            counts[language] = counts.get(language, 0) + 1
    return tuple(sorted(counts, key=lambda lang: (-counts[lang], lang)))
