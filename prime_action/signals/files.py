"""File-presence detectors: a community file is there or it is not, seen from the listing alone."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from prime_action.domain.models import Fix, Severity, SignalResult
from prime_action.signals.base import RepoSnapshot, result


def find(paths: Sequence[str], patterns: Sequence[str]) -> str | None:
    """The first path matching a pattern, trying patterns in order (case-insensitive).

    Args:
        paths: the repository's file paths, posix and relative.
        patterns: fnmatch patterns, most preferred first; a trailing "/" means any file below.

    Returns:
        The matching path as the listing spells it, or None.
    """
    lowered = sorted((p.lower(), p) for p in paths)
    for pattern in patterns:
        for low, original in lowered:
            if _matches(low, pattern.lower()):
                return original
    return None


def _matches(path: str, pattern: str) -> bool:
    if pattern.endswith("/"):
        return path.startswith(pattern)
    # fnmatch's "*" crosses "/", so "readme.*" would match "readme.d/x"; keep to one depth.
    return path.count("/") == pattern.count("/") and fnmatch.fnmatchcase(path, pattern)


@dataclass
class FilePresence:
    """A signal that is ok when any of a few well-known files exists."""

    name: str
    severity: Severity
    patterns: tuple[str, ...]
    missing: str
    fix: Fix | None = None
    # GitHub shows this kind of file from the owner's `.github` repository in every repository
    # without its own (community health files: SECURITY, CONTRIBUTING, issue templates...).
    org_default: bool = False

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """Presence needs no file contents: the listing says it all."""
        return ()

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Ok naming the file found, or failing with the fix."""
        found = find(snapshot.paths, self.patterns)
        if found is not None:
            return result(self, "ok", f"found {found}", found)
        inherited = find(snapshot.org_paths, self.patterns) if self.org_default else None
        if inherited is not None:
            # The org's file is the policy here: a generic one would replace it.
            return result(self, "ok", f"the owner's .github repository provides {inherited}")
        return result(self, "failing", self.missing, fix=self.fix)


# GitHub shows a README, a security policy or a CONTRIBUTING guide from the root, .github/
# or docs/, so each of those places counts.
README = FilePresence(
    name="readme",
    severity="medium",
    patterns=("readme", "readme.*", ".github/readme.*", "docs/readme.*"),
    missing="no README: visitors cannot tell what the project is or how to use it",
    fix=Fix(
        runner="agent",
        approach="Write a README.md from the code: purpose, install, usage, development.",
    ),
)

# Scorecard's License check accepts LICENSE/COPYING variants and a LICENSES/ folder (REUSE).
LICENSE = FilePresence(
    name="license",
    severity="low",
    patterns=("license", "license.*", "license-*", "licence", "licence.*", "copying*", "licenses/"),
    missing="no LICENSE: without one nobody may legally reuse the code",
    fix=Fix(runner="fileops", approach="Add a LICENSE file with the configured SPDX license."),
)

SECURITY_POLICY = FilePresence(
    name="security-policy",
    severity="medium",
    patterns=tuple(
        f"{place}security.{ext}"
        for place in ("", ".github/", "docs/")
        for ext in ("md", "markdown", "rst", "adoc", "txt")
    ),
    missing="no SECURITY.md: reporters do not know how to disclose a vulnerability privately",
    fix=Fix(
        runner="fileops",
        approach="Add SECURITY.md pointing reporters to GitHub private vulnerability reporting.",
    ),
    org_default=True,
)

CODEOWNERS = FilePresence(
    name="codeowners",
    severity="low",
    patterns=(".github/codeowners", "codeowners", "docs/codeowners"),
    missing="no CODEOWNERS: pull requests get no automatic reviewer",
    fix=Fix(
        runner="fileops", approach="Add .github/CODEOWNERS making the repository owner the owner."
    ),
)

EDITORCONFIG = FilePresence(
    name="editorconfig",
    severity="low",
    patterns=(".editorconfig",),
    missing="no .editorconfig: editors disagree on indentation, line endings and final newlines",
    fix=Fix(runner="fileops", approach="Add a root .editorconfig matching the code's style."),
)

AGENT_INSTRUCTIONS = FilePresence(
    name="agent-instructions",
    severity="low",
    patterns=("claude.md", "agents.md"),
    missing="no CLAUDE.md or AGENTS.md: coding agents (Prime's included) start without context",
    fix=Fix(
        runner="agent",
        approach="Write AGENTS.md from the code: layout, build, test and lint commands, rules.",
    ),
)

CONTRIBUTING = FilePresence(
    name="contributing",
    severity="low",
    patterns=("contributing.*", ".github/contributing.*", "docs/contributing.*", "contributing"),
    missing="no CONTRIBUTING guide: contributors do not know how to build, test or propose",
    fix=Fix(
        runner="agent",
        approach="Write CONTRIBUTING.md from the code: setup, tests, style, pull requests.",
    ),
    org_default=True,
)

GITIGNORE = FilePresence(
    name="gitignore",
    severity="low",
    patterns=(".gitignore",),
    missing="no root .gitignore: build output and secrets files are easy to commit by mistake",
    fix=Fix(runner="agent", approach="Add a root .gitignore for the languages and tools used."),
)

ISSUE_TEMPLATES = FilePresence(
    name="issue-templates",
    severity="low",
    patterns=(".github/issue_template/", ".github/issue_template.md", "issue_template.md"),
    missing="no issue templates: bug reports arrive without versions or steps to reproduce",
    fix=Fix(
        runner="agent",
        approach="Add .github/ISSUE_TEMPLATE/ forms for bug reports and feature requests.",
    ),
    org_default=True,
)

PRESENCE: tuple[FilePresence, ...] = (
    README,
    LICENSE,
    SECURITY_POLICY,
    CODEOWNERS,
    EDITORCONFIG,
    AGENT_INSTRUCTIONS,
    CONTRIBUTING,
    GITIGNORE,
    ISSUE_TEMPLATES,
)
