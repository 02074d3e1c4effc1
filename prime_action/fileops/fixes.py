"""Fileops fixes: the files that repair a signal, rendered from templates (paths in, files out)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from pydantic import Field

from prime_action.config.models import LICENSE_IDS
from prime_action.domain.errors import UsageError
from prime_action.domain.models import Frozen
from prime_action.signals.dependabot import DEPENDABOT_FILES, RENOVATE_FILES
from prime_action.signals.ecosystems import IGNORED_DIRS, ecosystems, languages
from prime_action.signals.lint import LINT_SECTIONS
from prime_action.templating import render

# SPDX id -> template under fixes/licenses/. Full standard texts only: a license that is
# almost right is worse than none.
LICENSES: dict[str, str] = {spdx: f"licenses/{spdx}.j2" for spdx in LICENSE_IDS}

# A GitHub @user or @org/team (what CODEOWNERS accepts besides an email address).
_HANDLE = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class FixPlan(Frozen):
    """What a fix does to one tree: the files to create, and the files already doing the job."""

    create: dict[str, str] = Field(default_factory=dict)  # path -> content
    present: tuple[str, ...] = ()  # existing paths that made a file unnecessary


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
    sorted({file for sections in LINT_SECTIONS.values() for file, _ in sections})
)

# Renovate does Dependabot's job (Scorecard's Dependency-Update-Tool accepts either); a
# second updater would open every bump twice.
_UPDATERS = (*DEPENDABOT_FILES, *RENOVATE_FILES)


@dataclass(frozen=True)
class _Request:
    paths: tuple[str, ...]
    files: Mapping[str, str]
    license_id: str


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


def _dependabot(request: _Request) -> list[_File]:
    updates = _updates(request.paths)
    if not updates:
        return []
    return [_File(".github/dependabot.yml", "dependabot.yml.j2", _UPDATERS, {"updates": updates})]


def _updates(paths: Sequence[str]) -> list[dict[str, str]]:
    found = ecosystems(paths)
    uv_dirs = set(found.get("uv", ()))
    return [
        {"ecosystem": eco, "directory": directory, "group": _group(eco, directory)}
        for eco, directories in found.items()
        for directory in directories
        # uv's own ecosystem updates pyproject.toml and uv.lock together; pip on the same
        # directory would open a second, lock-breaking PR for each bump.
        if not (eco == "pip" and directory in uv_dirs)
    ]


def _group(ecosystem: str, directory: str) -> str:
    # A distinct name per entry, so each grouped PR's title says where it comes from.
    slug = re.sub(r"[^a-z0-9]+", "-", directory.lower()).strip("-")
    return "-".join(part for part in (ecosystem, slug, "minor-patch") if part)


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
    return [_File(".github/CODEOWNERS", "CODEOWNERS.j2", same_job)]


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
    for language in (lang for lang in found if lang in LINTERS):
        linter = LINTERS[language]
        # Monorepos keep a config per package, so a config at any depth counts.
        same_job = (*(f"**/{name}" for name in linter.same_job), *_sections(request, language))
        files.setdefault(linter.path, _File(linter.path, linter.template, same_job, context))
    return list(files.values())


def _sections(request: _Request, language: str) -> tuple[str, ...]:
    sections = LINT_SECTIONS.get(language, ())
    return tuple(file for file, text in sections if text in request.files.get(file, ""))


# Signal -> the files its fileops fix creates.
_BUILDERS: dict[str, Callable[[_Request], list[_File]]] = {
    "dependabot": _dependabot,
    "security-policy": _security_policy,
    "codeowners": _codeowners,
    "editorconfig": _editorconfig,
    "license": _license,
    "lint-config": _lint_config,
}

FIXABLE: frozenset[str] = frozenset(_BUILDERS)


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
        *dirs, name = path.split("/")
        return not IGNORED_DIRS.intersection(dirs) and fnmatch.fnmatchcase(name, pattern[3:])
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
) -> FixPlan:
    """Work out a signal's fileops fix for a tree: what to create, and what is already there.

    Args:
        signal: the signal to fix; one of FIXABLE.
        paths: every file path of the repository, posix and relative to its root.
        owner: the GitHub @user, @org/team or email named in CODEOWNERS and SECURITY.md;
            its account is the license's copyright holder.
        license_id: the SPDX id of the license to add (used by the "license" fix only).
        year: the copyright year (passed in: the core never reads the clock).
        files: contents of the CONTENT_FILES that exist, so that a linter configured in
            pyproject.toml or package.json is seen; without them only file names count.

    Returns:
        The files to create and the existing paths that made others unnecessary.

    Raises:
        UsageError: the signal has no fileops fix, the SPDX id has no template, or the owner
            is not a handle or an email.
    """
    if signal not in _BUILDERS:
        msg = f"'{signal}' has no fileops fix; choose one of: {', '.join(sorted(FIXABLE))}"
        raise UsageError(msg)
    request = _Request(tuple(paths), dict(files or {}), license_id)
    owner = _checked_owner(owner)
    base = {"marker": fix_marker(signal), "owner": owner, "holder": _holder(owner), "year": year}
    create: dict[str, str] = {}
    present: list[str] = []
    for file in _BUILDERS[signal](request):
        found = _find(request.paths, (file.path, *file.same_job))
        if found is not None:
            present.append(found)
        else:
            create[file.path] = render(f"fixes/{file.template}", **base, **file.context)
    return FixPlan(create=create, present=tuple(present))


def render_fix(
    signal: str,
    paths: Sequence[str],
    *,
    owner: str,
    license_id: str,
    year: int,
    files: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Render a signal's fileops fix: the files to create, none of which exists yet.

    Args:
        signal: the signal to fix; one of FIXABLE.
        paths: every file path of the repository, posix and relative to its root.
        owner: the GitHub @user, @org/team or email for CODEOWNERS and SECURITY.md.
        license_id: the SPDX id of the license to add (used by the "license" fix only).
        year: the copyright year.
        files: contents of the CONTENT_FILES that exist (see `plan_fix`).

    Returns:
        path -> content for each file to create; {} when every file is already there.

    Raises:
        UsageError: as for `plan_fix`.
    """
    plan = plan_fix(signal, paths, owner=owner, license_id=license_id, year=year, files=files)
    return dict(plan.create)
