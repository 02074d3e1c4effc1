"""The reviewer's constraint checks: file and function length, dependencies, forbidden imports."""

from __future__ import annotations

import pytest

from prime_action.growth.review import (
    AddedLine,
    FileChange,
    from_patch,
    module_of_import,
    module_of_path,
    review,
)
from prime_action.growth.seed import Architecture, Constraints, parse_seed
from tests.growth.seeds import VALID

SEED = parse_seed(VALID)
ARCH = SEED.architecture
LIMITS = SEED.constraints  # 300 lines per file, 20 per function, httpx allowed, 1 new dep


def new_file(path: str, content: str) -> FileChange:
    """A file the change creates: every line is added."""
    lines = content.splitlines()
    added = tuple(AddedLine(number=n, text=t) for n, t in enumerate(lines, 1))
    return FileChange(path=path, added=added, content=content)


def function(name: str, body_lines: int) -> str:
    body = "".join(f"    x{i} = {i}\n" for i in range(body_lines - 1))
    return f"def {name}() -> None:\n{body}"


def kinds(changes: tuple[FileChange, ...], constraints: Constraints = LIMITS) -> list[str]:
    return [f.kind for f in review(changes, constraints, ARCH).findings]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [(300, []), (301, ["file-length"])],
    ids=["at-the-limit", "one-over"],
)
def test_a_new_file_over_max_lines_per_file_is_a_finding(lines: int, expected: list[str]) -> None:
    content = "".join(f"X{i} = {i}\n" for i in range(lines))
    assert kinds((new_file("src/app/core/big.py", content),)) == expected


def test_a_long_file_that_the_change_shrinks_is_not_blamed() -> None:
    content = "".join(f"X{i} = {i}\n" for i in range(400))
    change = FileChange(
        path="src/app/core/old.py",
        added=(AddedLine(number=5, text="X4 = 4"),),
        removed=("X4 = 3", "gone = 1"),
        content=content,
    )
    assert kinds((change,)) == []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [(20, []), (21, ["function-length"])],
    ids=["at-the-limit", "one-over"],
)
def test_a_python_function_over_max_function_lines_is_a_finding(
    lines: int, expected: list[str]
) -> None:
    found = review((new_file("src/app/core/f.py", function("parse", lines)),), LIMITS, ARCH)
    assert [f.kind for f in found.findings] == expected
    if expected:
        assert found.findings[0].line == 1
        assert "parse is 21 lines" in found.findings[0].message


def test_a_long_function_the_change_does_not_touch_is_not_blamed() -> None:
    content = function("old", 40) + "\n\ndef new() -> None:\n    pass\n"
    change = FileChange(
        path="src/app/core/f.py",
        added=(AddedLine(number=43, text="def new() -> None:"),),
        content=content,
    )
    assert kinds((change,)) == []


def test_other_languages_are_skipped_with_a_note_and_broken_python_too() -> None:
    found = review(
        (new_file("web/app.ts", "function f() {\n}\n"), new_file("src/bad.py", "def (:\n")),
        LIMITS,
        ARCH,
    )
    assert found.passed
    assert found.notes == (
        "web/app.ts: function length is measured for Python only; skipped",
        "src/bad.py: not valid Python; functions and imports not checked",
    )


PYPROJECT_BASE = '[project]\nname = "x"\ndependencies = [\n    "pydantic>=2",\n]\n'


def with_dep(spec: str) -> str:
    return PYPROJECT_BASE.replace('",\n]', f'",\n    "{spec}",\n]')


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            from_patch(
                "pyproject.toml",
                '@@ -3,3 +3,4 @@\n dependencies = [\n     "pydantic>=2",\n+    "httpx>=0.27",\n ]',
                with_dep("httpx>=0.27"),
            ),
            [],
        ),
        (
            from_patch(
                "pyproject.toml",
                '@@ -3,3 +3,4 @@\n dependencies = [\n     "pydantic>=2",\n'
                '+    "Requests[socks]",\n ]',
                with_dep("Requests[socks]"),
            ),
            ["dependency-not-allowed"],
        ),
        (
            from_patch(
                "pyproject.toml",
                '@@ -4,1 +4,1 @@\n-    "pydantic>=2",\n+    "pydantic>=2.5",',
                PYPROJECT_BASE.replace(">=2", ">=2.5"),
            ),
            [],
        ),
        (
            from_patch(
                "requirements-dev.txt",
                "@@ -1,1 +1,2 @@\n pytest\n+black==24.1",
                "pytest\nblack==24.1\n",
            ),
            ["dependency-not-allowed"],
        ),
        (
            from_patch(
                "requirements.txt", "@@ -1,1 +1,2 @@\n pytest\n+# black later", "pytest\n# black\n"
            ),
            [],
        ),
        (
            from_patch(
                "web/package.json",
                '@@ -2,1 +2,2 @@\n   "dependencies": {\n+    "left-pad": "^1.3.0",',
                '{"dependencies": {"left-pad": "^1.3.0", "react": "^18"}}',
            ),
            ["dependency-not-allowed"],
        ),
        (
            from_patch(
                "pyproject.toml",
                '@@ -2,1 +2,2 @@\n name = "x"\n+requires-python = ">=3.11"',
                PYPROJECT_BASE,
            ),
            [],
        ),
    ],
    ids=[
        "allowed-new-dep",
        "unlisted-new-dep-with-extras",
        "version-bump-is-not-new",
        "requirements-file",
        "requirements-comment",
        "package-json",
        "non-dependency-key",
    ],
)
def test_new_dependencies_are_checked_against_the_allow_list(
    change: FileChange, expected: list[str]
) -> None:
    assert kinds((change,)) == expected


def test_more_new_dependencies_than_allowed_is_one_finding_for_the_pull_request() -> None:
    allowed = LIMITS.model_copy(update={"dependency_allowlist": ("httpx", "attrs")})
    manifest = new_file("requirements.txt", "httpx\nattrs\n")
    found = review((manifest,), allowed, ARCH).findings
    assert [f.kind for f in found] == ["too-many-dependencies"]
    assert "2 new dependencies (attrs, httpx)" in found[0].message
    assert found[0].path == "(pull request)"


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("src/app/core/x.py", "from app.adapters.http import get\n", ["import"]),
        ("src/app/core/x.py", "import app.adapters\n", ["import"]),
        ("src/app/core/x.py", "from app import adapters\n", ["import"]),
        ("src/app/core/x.py", "from ..adapters import http\n", ["import"]),
        ("src/app/core/x.py", "from src.app.adapters import http\n", ["import"]),
        ("src/app/core/x.py", "from app.core import y\nimport json\n", []),
        ("src/app/adapters/x.py", "from app.core import y\n", []),
        ("src/app/core/x.py", "from app.adapters_extra import z\n", []),
        ("tools/x.py", "from app.adapters import http\n", []),
    ],
    ids=[
        "from-import",
        "plain-import",
        "from-package-import-module",
        "relative-import",
        "with-source-root",
        "same-module-and-stdlib",
        "allowed-direction",
        "similar-prefix-is-another-name",
        "file-outside-every-module",
    ],
)
def test_forbidden_imports_between_modules_are_findings(
    path: str, source: str, expected: list[str]
) -> None:
    found = review((new_file(path, source),), LIMITS, ARCH).findings
    assert [f.kind for f in found] == expected
    if expected:
        assert found[0].line == 1
        assert "module core imports adapters" in found[0].message


def test_an_import_that_was_there_before_the_change_is_not_blamed() -> None:
    change = FileChange(
        path="src/app/core/x.py",
        added=(AddedLine(number=2, text="X = 1"),),
        content="from app.adapters import http\nX = 1\n",
    )
    assert kinds((change,)) == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [("src/app/core/a.py", "core"), ("src/app/core", "core"), ("src/app/corex.py", None)],
)
def test_files_map_to_modules_by_path_prefix(path: str, expected: str | None) -> None:
    assert module_of_path(path, ARCH) == expected


def test_the_longest_module_path_wins_for_files_and_imports() -> None:
    nested = Architecture.model_validate(
        {
            "modules": [
                {"name": "app", "paths": ["src/app/"], "responsibility": "all"},
                {"name": "core", "paths": ["src/app/core/"], "responsibility": "logic"},
            ]
        }
    )
    assert module_of_path("src/app/core/a.py", nested) == "core"
    assert module_of_path("src/app/main.py", nested) == "app"
    assert module_of_import("app.core.a", nested) == "core"
    assert module_of_import("app.main", nested) == "app"


def test_from_patch_numbers_added_lines_in_the_new_file() -> None:
    patch = (
        "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n\\ No newline at end of file\n"
        "@@ -10,1 +11,2 @@\n k\n+l"
    )
    change = from_patch("f.py", patch, "…")
    assert [(line.number, line.text) for line in change.added] == [(2, "B"), (3, "C"), (12, "l")]
    assert change.removed == ("b",)


def test_a_diff_that_keeps_every_constraint_passes() -> None:
    changes = (
        new_file("src/app/core/tokens.py", function("tokens", 10)),
        new_file("README.md", "# x\n"),
    )
    result = review(changes, LIMITS, ARCH)
    assert result.passed
    assert result.notes == ()
