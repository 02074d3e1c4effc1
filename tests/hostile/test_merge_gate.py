"""Hostile corpus: auto-merge waits for CODEOWNERS' approval (issue 18, point 7)."""

from __future__ import annotations

import pytest

from prime_action.growth.maintainer import decide
from prime_action.growth.merge_gate import Verdict, code_owners
from prime_action.growth.seed import MergePolicy

CODEOWNERS = """\
# comments and blank lines are skipped
*           @everyone
*.md        @docs
/src/core/  @carol @acme/core
src/gen/                       # no owners: generated code
.github/    @admin
"""

OWNERS = {
    "a root file": (("setup.py",), ("everyone",)),
    "markdown anywhere": (("docs/a/b.md",), ("docs",)),
    "core code": (("src/core/x.py",), ("carol", "acme/core")),
    "core markdown: the last match wins": (("src/core/README.md",), ("carol", "acme/core")),
    "a look-alike folder": (("src/core-evil/x.py",), ("everyone",)),
    "owner-less generated code": (("src/gen/out.py",), ()),
    "workflows": ((".github/workflows/ci.yml",), ("admin",)),
    "several files": (("a.py", "b.md"), ("everyone", "docs")),
}


@pytest.mark.parametrize(("paths", "owners"), OWNERS.values(), ids=OWNERS)
def test_the_last_matching_codeowners_line_names_the_owners(
    paths: tuple[str, ...], owners: tuple[str, ...]
) -> None:
    assert code_owners(CODEOWNERS, paths) == owners


def test_no_codeowners_file_means_no_owners() -> None:
    assert code_owners(None, ("a.py",)) == ()


AUTO, GREEN = MergePolicy(mode="auto"), Verdict(status="pass")
MOVES = {
    "no owners: merge": ((), (), (), "merge"),
    "owner not asked yet: ask": (("carol",), (), (), "ask"),
    "owner asked, no approval: wait": (("carol",), ("carol",), (), "wait"),
    "another person's approval: wait": (("carol",), ("carol",), ("mallory",), "wait"),
    "the owner approved: merge": (("carol",), ("carol",), ("Carol",), "merge"),
    "a team owns it, nobody approved: wait": (("acme/core",), (), (), "wait"),
    "a team owns it, someone approved: merge": (("acme/core",), (), ("dave",), "merge"),
}


@pytest.mark.parametrize(("owners", "requested", "approvals", "kind"), MOVES.values(), ids=MOVES)
def test_auto_merge_needs_an_owners_approval(
    owners: tuple[str, ...], requested: tuple[str, ...], approvals: tuple[str, ...], kind: str
) -> None:
    assert decide(GREEN, AUTO, requested, owners, approvals).kind == kind


def test_a_red_gate_never_merges_even_when_approved() -> None:
    move = decide(Verdict(status="pending"), AUTO, (), ("carol",), ("carol",))
    assert move.kind == "wait"
