"""Hostile corpus: guardrail globs read as .gitignore reads them (issue 18, point 7)."""

from __future__ import annotations

import pytest

from prime_action.config.models import GuardrailSettings
from prime_action.runners.guardrails import check_guardrails, matches

# (pattern, path, matches): each row one way a hand-rolled glob was wrong, or must stay right.
GLOBS = [
    ("docs", "docs/guide.md", True),
    ("docs", "docs-evil/x.md", False),
    ("docs/", "docs/a/b.md", True),
    ("docs/", "docsx/a.md", False),
    ("src/*.py", "src/a.py", True),
    ("src/*.py", "src/sub/b.py", False),
    ("src/**/*.py", "src/sub/b.py", True),
    ("**/*.pem", "key.pem", True),
    ("**/*.pem", "a/b/key.pem", True),
    ("*.pem", "deep/in/key.pem", True),
    (".env", ".env", True),
    (".env", "app/.env", True),
    (".env", "app/.env.example", False),
    ("/.env", "app/.env", False),
    ("secrets/", "secrets", False),
    ("secrets/", "app/secrets/x", True),
    ("/secrets/", "app/secrets/x", False),
    (".github/workflows/", ".github/workflows/ci.yml", True),
    (".github/workflows/", ".github/workflows-x/ci.yml", False),
    ("*.key", "/id.key", True),
    ("a?c", "abc", True),
    ("a?c", "a/c", False),
    ("[!x]*.txt", "y.txt", True),
]


@pytest.mark.parametrize(("pattern", "path", "expected"), GLOBS)
def test_a_guardrail_glob_matches_as_gitignore_does(
    pattern: str, path: str, expected: bool
) -> None:
    assert matches(path, (pattern,)) is expected


def test_no_patterns_match_nothing() -> None:
    assert not matches("a.py", ())


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("docs/a.md", True), ("docs-evil/a.md", False), ("src/a.py", True), ("src/x/b.py", False)],
)
def test_write_paths_admit_only_what_they_name(path: str, allowed: bool) -> None:
    rails = GuardrailSettings(write_paths=("docs/", "src/*.py"))
    assert (check_guardrails({path: "x\n"}, {path: None}, rails) is None) is allowed


@pytest.mark.parametrize("path", ["key.pem", "app/.env", "config/prod/.env"])
def test_forbidden_paths_refuse_at_any_depth(path: str) -> None:
    rails = GuardrailSettings(forbidden_paths=("**/*.pem", ".env"))
    assert check_guardrails({path: "x\n"}, {path: None}, rails) is not None
