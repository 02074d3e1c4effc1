"""The lint-config signal: every language that matters in the source is linted."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence

from prime_action.domain.models import Fix, Severity, SignalResult
from prime_action.signals.base import RepoSnapshot, result
from prime_action.signals.ecosystems import code_counts, ignored, languages

_ESLINT_FLAT = tuple(f"eslint.config.{ext}" for ext in ("mjs", "js", "cjs", "ts", "mts", "cts"))
_ESLINT_RC = tuple(f".eslintrc{ext}" for ext in ("", ".js", ".cjs", ".json", ".yml", ".yaml"))
_JS = (*_ESLINT_FLAT, *_ESLINT_RC, "biome.json", "biome.jsonc", ".jshintrc")

# Language -> dedicated config files, the one a fix would add first. A file anywhere in the
# tree counts: monorepos keep a config per package.
LINT_FILES: dict[str, tuple[str, ...]] = {
    "python": ("ruff.toml", ".ruff.toml", ".flake8", ".pylintrc", "pylintrc"),
    "javascript": _JS,
    "typescript": _JS,
    "go": (".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json"),
    "rust": ("rustfmt.toml", ".rustfmt.toml", "clippy.toml", ".clippy.toml"),
    "ruby": (".rubocop.yml", ".standard.yml"),
    "shell": (".shellcheckrc", "shellcheckrc"),
}

# Language -> (root file, text marking a linter section in it). A substring test is enough
# here and, unlike a TOML or JSON parse, cannot fail on a file that is half-edited.
LINT_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "python": (
        ("pyproject.toml", "[tool.ruff"),
        ("pyproject.toml", "[tool.pylint"),
        ("pyproject.toml", "[tool.flake8"),
        ("setup.cfg", "[flake8]"),
        ("tox.ini", "[flake8]"),
    ),
    "javascript": (("package.json", '"eslintConfig"'),),
    "typescript": (("package.json", '"eslintConfig"'),),
    "rust": (("Cargo.toml", "[lints"), ("Cargo.toml", "[workspace.lints")),
}


# Language -> what running its linter looks like in CI, in package.json or in a pre-commit
# config (word-bounded, case-insensitive): a repository linted there needs no config file
# of Prime's (got and chalk lint with xo, configured in package.json's devDependencies).
LINTER_RUNS: dict[str, tuple[str, ...]] = {
    "python": ("ruff", "flake8", "pylint", "pyflakes", "prospector", "wemake-python-styleguide"),
    "javascript": ("eslint", "xo", "biome", "@biomejs/biome", "oxlint", "jshint"),
    "typescript": ("eslint", "xo", "biome", "@biomejs/biome", "oxlint", "tslint"),
    "go": ("golangci-lint", "golangci/golangci-lint-action", "staticcheck", "go vet", "revive"),
    "rust": ("clippy",),
    "ruby": ("rubocop", "standardrb"),
    "shell": ("shellcheck",),
}
# A project-wide lint entry point (`make lint`, `npm run lint`, `tox -e lint`, `pre-commit
# run`) runs whatever the project chose for all its languages.
_ANY_LINT = re.compile(
    r"\b(?:(?:make|just|task|mage|rake|npm run|pnpm(?: run)?|yarn(?: run)?|bun run|nox -s|"
    r"tox -e|hatch run|uv run|poetry run)\s+[\w:-]*lint[\w:-]*|pre-commit run|prek run|"
    r"pre-commit/action|j178/prek-action)",
    re.IGNORECASE,
)
PRE_COMMIT = ".pre-commit-config.yaml"

# A language matters for linting when it is at least this share of the source files (all
# languages counted, C and Kotlin included) and has at least MIN_FILES files: one shell
# script, a Homebrew formula or a 17-line JS stub does not call for a linter config.
MIN_SHARE = 0.1
MIN_FILES = 5


def _config_file(paths: Sequence[str], language: str) -> str | None:
    names = set(LINT_FILES.get(language, ()))
    for path in sorted(paths):
        if posixpath.basename(path) in names and not ignored(path):
            return path
    return None


def _config_section(files: Mapping[str, str], language: str) -> str | None:
    for file, marker in LINT_SECTIONS.get(language, ()):
        if marker in files.get(file, ""):
            return file
    return None


def lint_sources(paths: Sequence[str]) -> tuple[str, ...]:
    """The files where a linter's run may show: workflows, the pre-commit config, package.json."""
    listed = set(paths)
    return (*workflow_files(paths), *(f for f in (PRE_COMMIT, "package.json") if f in listed))


def workflow_files(paths: Sequence[str]) -> tuple[str, ...]:
    """The workflow files directly inside .github/workflows/."""
    return tuple(
        p
        for p in sorted(paths)
        if p.startswith(".github/workflows/")
        and p.count("/") == 2
        and p.endswith((".yml", ".yaml"))
    )


def _linted_by_run(files: Mapping[str, str], paths: Sequence[str], language: str) -> str | None:
    for source in lint_sources(paths):
        text = files.get(source, "")
        if (source == PRE_COMMIT and text.strip()) or _ANY_LINT.search(text):
            return source
        for tool in LINTER_RUNS.get(language, ()):
            if re.search(rf"(?<![\w-]){re.escape(tool)}(?![\w-])", text, re.IGNORECASE):
                return source
    return None


def mattering(paths: Sequence[str]) -> tuple[str, ...]:
    """The languages with a linter config Prime knows and a real share of the source."""
    counts, total = code_counts(paths)
    return tuple(
        language
        for language in languages(paths)
        if language in LINT_FILES
        and counts[language] >= MIN_FILES
        and counts[language] >= MIN_SHARE * total
    )


def lint_configs(paths: Sequence[str], files: Mapping[str, str]) -> dict[str, str | None]:
    """Each language that matters with what lints it (a config file, a section, a CI run).

    Args:
        paths: the repository's listing.
        files: the contents of `LintConfig.wants`' files.

    Returns:
        language -> the path that configures or runs its linter (None when none does),
        most-used language first.
    """
    return {
        language: _config_file(paths, language)
        or _config_section(files, language)
        or _linted_by_run(files, paths, language)
        for language in mattering(paths)
    }


def unlinted(paths: Sequence[str], files: Mapping[str, str]) -> tuple[str, ...]:
    """The languages that matter and that nothing lints: what the lint-config fix adds."""
    return tuple(lang for lang, path in lint_configs(paths, files).items() if path is None)


class LintConfig:
    """Each language with a real share of the source is linted (a config, or CI runs one)."""

    name: str = "lint-config"
    severity: Severity = "medium"

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """Root files that may hold a linter section, the workflows and the pre-commit config."""
        present = set(paths)
        files = {file for sections in LINT_SECTIONS.values() for file, _ in sections}
        return sorted((files & present) | set(lint_sources(paths)))

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Failing naming each language without a linter; the list is the evidence."""
        if not languages(snapshot.paths):
            return result(self, "skipped", "no source files in a language Prime knows")
        configs = lint_configs(snapshot.paths, snapshot.files)
        if not configs:
            return result(self, "ok", "no language with a real share of the source lacks a linter")
        missing = [language for language, path in configs.items() if path is None]
        if missing:
            wanted = ", ".join(f"{lang} ({LINT_FILES[lang][0]})" for lang in missing)
            fix = Fix(runner="fileops", approach=f"Add linter configuration for: {wanted}")
            detail = f"no linter configured or run for: {', '.join(missing)}"
            return result(self, "failing", detail, *missing, fix=fix)
        found = ", ".join(f"{lang} ({path})" for lang, path in configs.items())
        return result(self, "ok", f"linters configured: {found}")
