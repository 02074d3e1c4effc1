"""The lint-config signal: every language with source files has a linter configured."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from prime_action.domain.models import Fix, Severity, SignalResult
from prime_action.signals.base import RepoSnapshot, result
from prime_action.signals.ecosystems import IGNORED_DIRS, languages

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


def _config_file(paths: Sequence[str], language: str) -> str | None:
    names = set(LINT_FILES.get(language, ()))
    for path in sorted(paths):
        parts = path.split("/")
        if parts[-1] in names and not IGNORED_DIRS.intersection(parts[:-1]):
            return path
    return None


def _config_section(snapshot: RepoSnapshot, language: str) -> str | None:
    for file, marker in LINT_SECTIONS.get(language, ()):
        if marker in snapshot.files.get(file, ""):
            return file
    return None


def lint_configs(snapshot: RepoSnapshot) -> dict[str, str | None]:
    """Each detected language with the file that configures its linter, or None.

    Args:
        snapshot: the repository, with the files `LintConfig.wants` asked for.

    Returns:
        language -> configuring path (None when unconfigured), most-used language first.
    """
    return {
        language: _config_file(snapshot.paths, language) or _config_section(snapshot, language)
        for language in languages(snapshot.paths)
        if language in LINT_FILES
    }


class LintConfig:
    """Each language the repository is written in has a linter configuration."""

    name: str = "lint-config"
    severity: Severity = "medium"

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """The root files that may hold a linter section (pyproject.toml, package.json, ...)."""
        present = set(paths)
        files = {file for sections in LINT_SECTIONS.values() for file, _ in sections}
        return sorted(files & present)

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Failing naming each language without a linter config; the list is the evidence."""
        configs = lint_configs(snapshot)
        if not configs:
            return result(self, "skipped", "no source files in a language Prime knows")
        missing = [language for language, path in configs.items() if path is None]
        if missing:
            wanted = ", ".join(f"{lang} ({LINT_FILES[lang][0]})" for lang in missing)
            fix = Fix(runner="fileops", approach=f"Add linter configuration for: {wanted}")
            detail = f"no linter configured for: {', '.join(missing)}"
            return result(self, "failing", detail, *missing, fix=fix)
        found = ", ".join(f"{lang} ({path})" for lang, path in configs.items())
        return result(self, "ok", f"linters configured: {found}")
