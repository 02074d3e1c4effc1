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

# Other source files: they count in a language's share of the code (see `languages`), though
# Prime has no linter config to offer for them.
OTHER_CODE = frozenset(
    {
        ".c",
        ".h",
        ".cc",
        ".cpp",
        ".hpp",
        ".java",
        ".kt",
        ".kts",
        ".scala",
        ".php",
        ".ex",
        ".exs",
        ".erl",
        ".swift",
        ".m",
        ".cs",
        ".fs",
        ".dart",
        ".lua",
        ".zig",
        ".hs",
        ".ml",
    }
)

# Directories that hold vendored or generated code, never the project's own.
IGNORED_DIRS = frozenset(
    {"node_modules", "vendor", "third_party", ".git", "dist", "build", ".venv"}
)

# Directories whose manifests and sources are data for the project's tests or docs, not its
# own dependencies or code (case-insensitive): ripgrep's, Go's and Composer's fixtures,
# every example of a web framework. A `tests/` tree counts for languages (tests are code)
# but its manifests are fixtures (pip's tests/data/packages, bat's tests/syntax-tests).
SAMPLE_DIRS = frozenset(
    {
        "fixtures",
        "fixture",
        "testdata",
        "test-data",
        "test_data",
        "examples",
        "example",
        "samples",
        "sample",
        "playground",
        "playgrounds",
        "generated",
        "__generated__",
        "third-party",
        "thirdparty",
        "vendored",
        "_vendor",
        "corpus",
    }
)
TEST_DIRS = frozenset({"tests", "test", "__tests__", "spec"})

# Lockfiles by ecosystem: a manifest below a directory holding the lockfile is a member of
# that workspace, updated through the root's entry (one entry per workspace root).
LOCKFILES: dict[str, tuple[str, ...]] = {
    "npm": ("package-lock.json", "yarn.lock", "pnpm-lock.yaml", "pnpm-workspace.yaml"),
    "cargo": ("Cargo.lock",),
    "uv": ("uv.lock",),
    "pip": ("uv.lock", "poetry.lock"),
    "bundler": ("Gemfile.lock",),
    "composer": ("composer.lock",),
    "mix": ("mix.lock",),
}


def _dirs(path: str) -> list[str]:
    return [part.lower() for part in path.split("/")[:-1]]


def ignored(path: str) -> bool:
    """Vendored, generated or sample code: neither the project's code nor its dependencies."""
    return any(part in IGNORED_DIRS or part in SAMPLE_DIRS for part in _dirs(path))


def _fixture(path: str) -> bool:
    return ignored(path) or any(part in TEST_DIRS for part in _dirs(path))


# The manifests a workspace tool manages below its root (a requirements.txt or a Dockerfile
# in a subdirectory stays an entry of its own).
WORKSPACE_MANIFESTS = frozenset(
    {"package.json", "Cargo.toml", "pyproject.toml", "composer.json", "mix.exs", "Gemfile"}
)


def _member(path: str, ecosystem: str, locked: dict[str, set[str]]) -> bool:
    """Whether a manifest lies inside a workspace whose root directory holds the lockfile."""
    if posixpath.basename(path) not in WORKSPACE_MANIFESTS:
        return False
    directory = _directory(path)
    roots = locked.get(ecosystem, set())
    return directory not in roots and any(
        root == "/" or directory.startswith(f"{root}/") for root in roots
    )


def _locked(paths: Sequence[str]) -> dict[str, set[str]]:
    roots: dict[str, set[str]] = {}
    for path in paths:
        name = posixpath.basename(path)
        for ecosystem, locks in LOCKFILES.items():
            if name in locks and not _fixture(path):
                roots.setdefault(ecosystem, set()).add(_directory(path))
    return roots


def _directory(path: str) -> str:
    return "/" + posixpath.dirname(path) if "/" in path else "/"


def ecosystems(paths: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Dependabot ecosystems found in the tree, each with its workspace roots.

    Fixtures, examples, vendored and generated directories are skipped, and a manifest
    inside a workspace (below the directory of its ecosystem's lockfile) is left to the
    workspace root's entry: vite is one npm entry, not 297.

    Args:
        paths: every file path of the repository, posix and relative.

    Returns:
        ecosystem -> sorted directories ("/" for the root), plus "github-actions" when
        the repository has workflows.
    """
    locked = _locked(paths)
    found: dict[str, set[str]] = {}
    for path in paths:
        ecosystem = _ecosystem(path)
        if ecosystem is None:
            continue
        directory = "/" if ecosystem == "github-actions" else _directory(path)
        if not _member(path, ecosystem, locked):
            found.setdefault(ecosystem, set()).add(directory)
    return {eco: tuple(sorted(dirs)) for eco, dirs in sorted(found.items())}


def _ecosystem(path: str) -> str | None:
    if path.startswith(".github/workflows/"):
        inside = "/" not in path.removeprefix(".github/workflows/")
        return "github-actions" if inside and path.endswith((".yml", ".yaml")) else None
    if _fixture(path):
        return None
    return MANIFESTS.get(posixpath.basename(path))


def code_counts(paths: Sequence[str]) -> tuple[dict[str, int], int]:
    """Source files per known language, and all source files (other languages included)."""
    counts: dict[str, int] = {}
    total = 0
    for path in paths:
        if ignored(path):
            continue
        extension = posixpath.splitext(path)[1].lower()
        language = EXTENSIONS.get(extension)
        if language:
            counts[language] = counts.get(language, 0) + 1
        total += bool(language) or extension in OTHER_CODE
    return counts, total


def languages(paths: Sequence[str]) -> tuple[str, ...]:
    """Languages with source files in the tree, most files first (ties by name)."""
    counts, _ = code_counts(paths)
    return tuple(sorted(counts, key=lambda lang: (-counts[lang], lang)))
