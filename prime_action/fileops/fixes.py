"""Fileops fixes: the files that repair a signal, rendered from templates (paths in, files out)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import Field

from prime_action.config.models import LICENSE_IDS, CustomFix
from prime_action.domain.errors import UsageError
from prime_action.domain.values import Frozen
from prime_action.fileops.dependabot import dependabot_plan
from prime_action.signals.dependabot import DEPENDABOT_FILES, RENOVATE_FILES
from prime_action.signals.ecosystems import ignored, languages
from prime_action.signals.lint import LINT_SECTIONS, lint_configs, lint_sources
from prime_action.templating import render

# SPDX id -> template under fixes/licenses/. Full standard texts only: a license that is
# almost right is worse than none.
LICENSES: dict[str, str] = {spdx: f"licenses/{spdx}.j2" for spdx in LICENSE_IDS}

# A GitHub @user or @org/team (what CODEOWNERS accepts besides an email address).
_HANDLE = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class FixPlan(Frozen):
    """What a fix does to one tree: files to create, files to rewrite (a merge into an existing
    file, e.g. dependabot.yml's missing entries), and the files already doing the job."""

    create: dict[str, str] = Field(default_factory=dict)  # path -> content
    update: dict[str, str] = Field(default_factory=dict)  # existing path -> its new content
    present: tuple[str, ...] = ()  # existing paths that made a file unnecessary

    def changes(self) -> dict[str, str]:
        """Every file the fix writes, created or rewritten."""
        return {**self.create, **self.update}


class NeedsHuman(UsageError):
    """A fix only a person can complete (e.g. CODEOWNERS when no real owner is known)."""


class Linter(NamedTuple):
    """The lint config a language's fix creates, and the file names that already configure one."""

    path: str
    template: str
    same_job: tuple[str, ...]


_ESLINT = Linter(
    "eslint.config.mjs",
    "lint/eslint.config.mjs.j2",
    ("eslint.config.*", ".eslintrc", ".eslintrc.*", "biome.json", "biome.jsonc", ".jshintrc"),
)

# Language (from signals.ecosystems.languages) -> its lint config. The names mirror the
# lint-config detector's, so a fix never skips a file its detector would still call missing.
LINTERS: dict[str, Linter] = {
    "python": Linter(
        "ruff.toml",
        "lint/ruff.toml.j2",
        ("ruff.toml", ".ruff.toml", ".flake8", ".pylintrc", "pylintrc"),
    ),
    "javascript": _ESLINT,
    "typescript": _ESLINT,
    "go": Linter(
        ".golangci.yml",
        "lint/golangci.yml.j2",
        (".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json"),
    ),
    "rust": Linter(
        "rustfmt.toml",
        "lint/rustfmt.toml.j2",
        ("rustfmt.toml", ".rustfmt.toml", "clippy.toml", ".clippy.toml"),
    ),
    "ruby": Linter(".rubocop.yml", "lint/rubocop.yml.j2", (".rubocop.yml", ".standard.yml")),
    "shell": Linter(".shellcheckrc", "lint/shellcheckrc.j2", (".shellcheckrc", "shellcheckrc")),
}

# A new ruff.toml would shadow [tool.ruff] in pyproject.toml, and eslint.config.mjs would
# silence package.json's eslintConfig: the lint-config signal's table of configured sections
# is the one this fix checks, so the fix and the signal cannot disagree.
# Root files whose contents `plan_fix` wants (as `files`) to see linter sections.
CONTENT_FILES: tuple[str, ...] = tuple(
    sorted(
        {file for sections in LINT_SECTIONS.values() for file, _ in sections}
        | set(DEPENDABOT_FILES)
    )
)


def content_files(paths: Sequence[str]) -> tuple[str, ...]:
    """The files whose contents `plan_fix` wants: CONTENT_FILES, the workflows and the
    pre-commit config (a linter run there means no lint config is needed), as listed."""
    listed = set(paths)
    return tuple(sorted({*(f for f in CONTENT_FILES if f in listed), *lint_sources(paths)}))


# Renovate does Dependabot's job (Scorecard's Dependency-Update-Tool accepts either); a
# second updater would open every bump twice.
_UPDATERS = (*DEPENDABOT_FILES, *RENOVATE_FILES)


@dataclass(frozen=True)
class _Request:
    paths: tuple[str, ...]
    files: Mapping[str, str]
    license_id: str
    code_owner: str | None = None


@dataclass(frozen=True)
class _File:
    """One file a fix creates unless a file matching `same_job` (or `path` itself) exists."""

    path: str
    template: str
    # fnmatch patterns, case-insensitive, at one depth; "dir/" means any file below it and
    # "**/name" a file of that name at any depth outside vendored code. They mirror the
    # detectors in prime_action.signals.
    same_job: tuple[str, ...]
    context: Mapping[str, object] = field(default_factory=dict)


def fix_marker(signal: str) -> str:
    """The text every generated file that allows comments carries: `prime:fix=<signal>`."""
    return f"prime:fix={signal}"


def _security_policy(request: _Request) -> list[_File]:
    # GitHub shows a security policy from the root, .github/ or docs/.
    same_job = tuple(
        f"{place}security.{ext}"
        for place in ("", ".github/", "docs/")
        for ext in ("md", "markdown", "rst", "adoc", "txt")
    )
    return [_File("SECURITY.md", "SECURITY.md.j2", same_job)]


def _codeowners(request: _Request) -> list[_File]:
    same_job = (".github/codeowners", "codeowners", "docs/codeowners")
    if _find(request.paths, same_job) is None and request.code_owner is None:
        # `* @org` is invalid (an organisation cannot own code) and a placeholder team
        # requests nobody's review: only a person knows which team owns what.
        msg = (
            "CODEOWNERS needs a real owner (a person, or a team as @org/team) and none is "
            "known; write .github/CODEOWNERS by hand, or pass --owner @org/team"
        )
        raise NeedsHuman(msg)
    return [_File(".github/CODEOWNERS", "CODEOWNERS.j2", same_job, {"owner": request.code_owner})]


def _editorconfig(request: _Request) -> list[_File]:
    return [_File(".editorconfig", "editorconfig.j2", (".editorconfig",))]


def _license(request: _Request) -> list[_File]:
    # A license file carries no Prime marker: any addition to the standard text would stop
    # GitHub (licensee) and Scorecard from recognising the license.
    same_job = (
        "license",
        "license.*",
        "license-*",
        "licence",
        "licence.*",
        "copying*",
        "licenses/",
    )
    return [_File("LICENSE", LICENSES[_spdx(request.license_id)], same_job)]


def _lint_config(request: _Request) -> list[_File]:
    found = languages(request.paths)
    context = {"typescript": "typescript" in found}
    files: dict[str, _File] = {}
    # The languages the lint-config signal judges, with what lints each: fix and signal agree.
    for language, linted_by in lint_configs(request.paths, request.files).items():
        if language not in LINTERS:
            continue
        linter = LINTERS[language]
        # Monorepos keep a config per package, so a config at any depth counts.
        same_job = (
            *(f"**/{name}" for name in linter.same_job),
            *_sections(request, language),
            *((linted_by,) if linted_by else ()),
        )
        files.setdefault(linter.path, _File(linter.path, linter.template, same_job, context))
    return list(files.values())


def _sections(request: _Request, language: str) -> tuple[str, ...]:
    sections = LINT_SECTIONS.get(language, ())
    return tuple(file for file, text in sections if text in request.files.get(file, ""))


# Signal -> the files its fileops fix creates.
_BUILDERS: dict[str, Callable[[_Request], list[_File]]] = {
    "dependabot": lambda request: [],  # merges instead: see _dependabot_plan
    "security-policy": _security_policy,
    "codeowners": _codeowners,
    "editorconfig": _editorconfig,
    "license": _license,
    "lint-config": _lint_config,
}

FIXABLE: frozenset[str] = frozenset(_BUILDERS)


def _custom_plan(paths: Sequence[str], fix: CustomFix) -> FixPlan:
    # The user's own template, written as given: its path is created only when missing.
    if fix.path in paths:
        return FixPlan(present=(fix.path,))
    content = fix.content if fix.content.endswith("\n") else f"{fix.content}\n"
    return FixPlan(create={fix.path: content})


def _dependabot_plan(request: _Request, marker: str) -> FixPlan:
    renovate = _find(request.paths, RENOVATE_FILES)
    if renovate is not None:
        return FixPlan(present=(renovate,))
    config = _find(request.paths, DEPENDABOT_FILES)
    path, content = dependabot_plan(request.paths, request.files, config, marker)
    if content is None:
        return FixPlan(present=(config,) if config else ())
    if config is None:
        return FixPlan(create={path: content})
    return FixPlan(update={path: content})


def _spdx(license_id: str) -> str:
    # SPDX license expressions match ids case-insensitively.
    by_lower = {spdx.lower(): spdx for spdx in LICENSES}
    if license_id.lower() not in by_lower:
        msg = (
            f"no license template for SPDX id '{license_id}'; "
            f"choose one of: {', '.join(LICENSES)} (--license, or `license:` in .github/prime.yml)"
        )
        raise UsageError(msg)
    return by_lower[license_id.lower()]


def _checked_owner(owner: str) -> str:
    if _HANDLE.fullmatch(owner) or _EMAIL.fullmatch(owner):
        return owner
    msg = f"owner '{owner}' is not a GitHub @user, @org/team or email; e.g. --owner @acme/core"
    raise UsageError(msg)


def _holder(owner: str) -> str:
    # "@acme/core" -> "acme": the copyright belongs to the account, not to a team.
    return owner if _EMAIL.fullmatch(owner) else owner.removeprefix("@").split("/")[0]


def _find(paths: Sequence[str], patterns: Sequence[str]) -> str | None:
    lowered = sorted((path.lower(), path) for path in paths)
    for pattern in (p.lower() for p in patterns):
        for low, original in lowered:
            if _matches(low, pattern):
                return original
    return None


def _matches(path: str, pattern: str) -> bool:
    if pattern.endswith("/"):
        return path.startswith(pattern)
    if pattern.startswith("**/"):
        name = path.rsplit("/", 1)[-1]
        return not ignored(path) and fnmatch.fnmatchcase(name, pattern[3:])
    # fnmatch's "*" crosses "/": keep "license.*" from matching "license.d/notes.txt".
    return path.count("/") == pattern.count("/") and fnmatch.fnmatchcase(path, pattern)


def plan_fix(
    signal: str,
    paths: Sequence[str],
    *,
    owner: str,
    license_id: str,
    year: int,
    files: Mapping[str, str] | None = None,
    code_owner: str | None = None,
    custom_fixes: Mapping[str, CustomFix] | None = None,
) -> FixPlan:
    """Work out a signal's fileops fix for a tree: what to create, and what is already there.

    Args:
        signal: the signal to fix; one of FIXABLE.
        paths: every file path of the repository, posix and relative to its root.
        owner: the GitHub @user, @org/team or email named in CODEOWNERS and SECURITY.md;
            its account is the license's copyright holder.
        license_id: the SPDX id of the license to add (used by the "license" fix only).
        year: the copyright year (passed in: the core never reads the clock).
        files: contents of the `content_files` that exist, so that a linter configured in
            pyproject.toml or run in CI is seen and dependabot.yml can be merged into.
        code_owner: the person or @org/team CODEOWNERS names; None when no real one is known.
        custom_fixes: the config's custom signals with a `fix`, by name.

    Returns:
        The files to create or rewrite and the existing paths that made others unnecessary.

    Raises:
        NeedsHuman: CODEOWNERS is missing and no real owner is known.
        UsageError: the signal has no fileops fix, the SPDX id has no template, or the owner
            is not a handle or an email.
    """
    custom = (custom_fixes or {}).get(signal)
    if custom is not None:
        return _custom_plan(paths, custom)
    if signal not in _BUILDERS:
        msg = f"'{signal}' has no fileops fix; choose one of: {', '.join(sorted(FIXABLE))}"
        raise UsageError(msg)
    if code_owner is not None:
        code_owner = _checked_owner(code_owner)
    request = _Request(tuple(paths), dict(files or {}), license_id, code_owner)
    owner = _checked_owner(owner)
    if signal == "dependabot":
        return _dependabot_plan(request, fix_marker(signal))
    base = {"marker": fix_marker(signal), "owner": owner, "holder": _holder(owner), "year": year}
    create: dict[str, str] = {}
    present: list[str] = []
    for file in _BUILDERS[signal](request):
        found = _find(request.paths, (file.path, *file.same_job))
        if found is not None:
            present.append(found)
        else:
            create[file.path] = render(f"fixes/{file.template}", **{**base, **file.context})
    return FixPlan(create=create, present=tuple(present))


def render_fix(
    signal: str,
    paths: Sequence[str],
    *,
    owner: str,
    license_id: str,
    year: int,
    files: Mapping[str, str] | None = None,
    code_owner: str | None = None,
) -> dict[str, str]:
    """Render a signal's fileops fix: the files to create, none of which exists yet.

    Args:
        signal: the signal to fix; one of FIXABLE.
        paths: every file path of the repository, posix and relative to its root.
        owner: the GitHub @user, @org/team or email for CODEOWNERS and SECURITY.md.
        license_id: the SPDX id of the license to add (used by the "license" fix only).
        year: the copyright year.
        files: contents of the `content_files` that exist (see `plan_fix`).
        code_owner: the person or @org/team for CODEOWNERS (see `plan_fix`).

    Returns:
        path -> content for each file to create or rewrite; {} when nothing is to change.

    Raises:
        UsageError: as for `plan_fix`.
    """
    plan = plan_fix(
        signal,
        paths,
        owner=owner,
        license_id=license_id,
        year=year,
        files=files,
        code_owner=code_owner,
    )
    return plan.changes()
