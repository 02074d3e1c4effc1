"""The reviewer's constraint checks: a pull request's diff against the seed's hard limits.

Pure: the PR boundary gives the changed files (lines added and removed, the new contents) and
the seed; the findings come back as values, to be sent to the implementer as its follow-up.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import Literal

from pydantic import Field

from prime_action.domain.values import Frozen
from prime_action.growth import manifests
from prime_action.growth.seed import Architecture, Constraints

FindingKind = Literal[
    "file-length", "function-length", "dependency-not-allowed", "too-many-dependencies", "import"
]
# Source files whose functions Prime cannot measure yet: noted, not judged.
OTHER_CODE = frozenset({".js", ".jsx", ".ts", ".tsx", ".go", ".rs", ".java", ".rb", ".c", ".cpp"})
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
# Import roots that hold packages without being part of their dotted names.
SOURCE_ROOTS = ("src/", "lib/")


class AddedLine(Frozen):
    """A line the change adds, with its number in the new file."""

    number: int = Field(ge=1)
    text: str


class FileChange(Frozen):
    """One file of a pull request's diff."""

    path: str
    added: tuple[AddedLine, ...] = ()
    removed: tuple[str, ...] = ()
    # The file as the change leaves it; None when it is deleted (or binary).
    content: str | None = None


class Finding(Frozen):
    """One broken constraint: where, what, and the fix."""

    kind: FindingKind
    path: str
    line: int | None = None
    message: str


class Review(Frozen):
    """The constraint review of one diff."""

    findings: tuple[Finding, ...] = ()
    # What was not checked, and why (e.g. function length of a TypeScript file).
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.findings


def from_patch(path: str, patch: str, content: str | None) -> FileChange:
    """A FileChange from a unified-diff patch (GitHub's `patch` field of a PR's files).

    Args:
        path: the file's path in the new tree.
        patch: its hunks (`@@ -a,b +c,d @@` headers, then ` `, `+`, `-` lines).
        content: the new file's text, or None when it was deleted.

    Returns:
        The added lines with their new-file numbers, and the removed lines' texts.
    """
    added: list[AddedLine] = []
    removed: list[str] = []
    number = 0
    for line in patch.splitlines():
        hunk = _HUNK.match(line)
        if hunk:
            number = int(hunk.group(1))
        elif line.startswith("+"):
            added.append(AddedLine(number=number, text=line[1:]))
            number += 1
        elif line.startswith("-"):
            removed.append(line[1:])
        elif not line.startswith("\\"):  # "\ No newline at end of file" is no line
            number += 1
    return FileChange(path=path, added=tuple(added), removed=tuple(removed), content=content)


def file_lengths(changes: Iterable[FileChange], limit: int) -> Iterator[Finding]:
    """Files over the limit that this change created or made longer."""
    for change in changes:
        if change.content is None or len(change.added) <= len(change.removed):
            continue
        lines = len(change.content.splitlines())
        if lines > limit:
            yield Finding(
                kind="file-length",
                path=change.path,
                message=f"{lines} lines, over the seed's max_lines_per_file of {limit}; "
                "split it into smaller modules",
            )


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _parse(change: FileChange) -> ast.Module | None:
    if change.content is None or not change.path.endswith(".py"):
        return None
    try:
        return ast.parse(change.content)
    except SyntaxError:
        return None


def function_lengths(change: FileChange, tree: ast.Module, limit: int) -> Iterator[Finding]:
    """Python functions over the limit that contain a line this change added."""
    touched = {line.number for line in change.added}
    for node in _functions(tree):
        end = node.end_lineno or node.lineno
        length = end - node.lineno + 1
        if length > limit and touched & set(range(node.lineno, end + 1)):
            yield Finding(
                kind="function-length",
                path=change.path,
                line=node.lineno,
                message=f"function {node.name} is {length} lines, over the seed's "
                f"max_function_lines of {limit}; extract helpers",
            )


def new_dependencies(change: FileChange) -> set[str]:
    """Dependencies a manifest declares now that a line added by this change names."""
    if change.content is None or manifests.kind(change.path) is None:
        return set()
    declared = manifests.declared(change.path, change.content) or set()
    added = {n for line in change.added for n in manifests.named_on(change.path, line.text)}
    removed = {n for line in change.removed for n in manifests.named_on(change.path, line)}
    return (declared & added) - removed


def dependencies(changes: Iterable[FileChange], constraints: Constraints) -> Iterator[Finding]:
    """New dependencies outside the allow-list, and more new ones than a PR may add."""
    allowed = {manifests.normalise(name) for name in constraints.dependency_allowlist}
    seen: set[str] = set()
    for change in changes:
        for name in sorted(new_dependencies(change) - seen):
            seen.add(name)
            if name not in allowed:
                yield Finding(
                    kind="dependency-not-allowed",
                    path=change.path,
                    message=f"new dependency '{name}' is not in the seed's dependency_allowlist; "
                    "remove it or ask a maintainer to allow it in seed.yaml",
                )
    limit = constraints.max_new_dependencies_per_pr
    if len(seen) > limit:
        yield Finding(
            kind="too-many-dependencies",
            path="(pull request)",
            message=f"{len(seen)} new dependencies ({', '.join(sorted(seen))}), over the "
            f"seed's max_new_dependencies_per_pr of {limit}; keep the ones the task needs",
        )


def _dotted(path: str) -> set[str]:
    bare = path.strip("/").removesuffix(".py").removesuffix("/__init__")
    forms = {bare} | {bare.removeprefix(root) for root in SOURCE_ROOTS if bare.startswith(root)}
    return {form.replace("/", ".") for form in forms if form}


def module_of_path(path: str, architecture: Architecture) -> str | None:
    """The architecture module a file belongs to (the longest matching path wins)."""
    best: tuple[int, str] | None = None
    for module in architecture.modules:
        for prefix in module.paths:
            root = prefix.rstrip("/")
            if path == root or path.startswith(root + "/"):
                best = max(best or (0, ""), (len(root), module.name))
    return best[1] if best else None


def module_of_import(dotted: str, architecture: Architecture) -> str | None:
    """The architecture module an absolute import names (by its paths' dotted forms)."""
    best: tuple[int, str] | None = None
    for module in architecture.modules:
        for form in (f for p in module.paths for f in _dotted(p)):
            if dotted == form or dotted.startswith(form + "."):
                best = max(best or (0, ""), (len(form), module.name))
    return best[1] if best else None


def _imported(path: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """Dotted names an import statement reaches; relative imports resolved from `path`."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = PurePosixPath(path).parents[node.level - 1]
        base = ".".join(p for p in (*package.parts, *base.split(".")) if p)
    yield base
    yield from (f"{base}.{alias.name}" for alias in node.names if alias.name != "*")


def forbidden_imports(
    change: FileChange, tree: ast.Module, constraints: Constraints, architecture: Architecture
) -> Iterator[Finding]:
    """Imports this change added from a module into one the seed forbids it to import."""
    source = module_of_path(change.path, architecture)
    banned = {r.target for r in constraints.forbidden_imports if r.source == source}
    touched = {line.number for line in change.added}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom) or node.lineno not in touched:
            continue
        targets = {module_of_import(name, architecture) for name in _imported(change.path, node)}
        for target in sorted(t for t in targets & banned if t):
            yield Finding(
                kind="import",
                path=change.path,
                line=node.lineno,
                message=f"module {source} imports {target}, which the seed's forbidden_imports "
                f"does not allow; depend on an interface in {source} instead",
            )


def review(
    changes: tuple[FileChange, ...], constraints: Constraints, architecture: Architecture
) -> Review:
    """Check a diff against the seed's constraints.

    Args:
        changes: the pull request's changed files.
        constraints: the seed's `constraints`.
        architecture: the seed's `architecture` (maps files and imports to modules).

    Returns:
        The findings (empty: the diff keeps every constraint) and what was not checked.
    """
    findings = [*file_lengths(changes, constraints.max_lines_per_file)]
    notes: list[str] = []
    for change in changes:
        tree = _parse(change)
        if tree is not None:
            findings += function_lengths(change, tree, constraints.max_function_lines)
            findings += forbidden_imports(change, tree, constraints, architecture)
        elif change.path.endswith(".py") and change.content is not None:
            notes.append(f"{change.path}: not valid Python; functions and imports not checked")
        elif PurePosixPath(change.path).suffix in OTHER_CODE and change.added:
            notes.append(f"{change.path}: function length is measured for Python only; skipped")
    findings += dependencies(changes, constraints)
    return Review(findings=tuple(findings), notes=tuple(notes))
