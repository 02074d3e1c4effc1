"""The dependabot signal: automated dependency updates cover every ecosystem the repo uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import yaml

from prime_action.config.loader import read_yaml
from prime_action.domain.models import Fix, Severity, SignalResult
from prime_action.signals.base import RepoSnapshot, result
from prime_action.signals.ecosystems import ecosystems

DEPENDABOT_FILES = (".github/dependabot.yml", ".github/dependabot.yaml")

# Scorecard's Dependency-Update-Tool accepts Renovate as well; so do we.
RENOVATE_FILES = (
    "renovate.json",
    "renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
)

# A uv project also has a pyproject.toml (seen as "pip"); its "uv" entry updates both.
# The reverse does not hold: Dependabot's pip updater leaves uv.lock alone.
COVERED_BY: dict[str, tuple[str, ...]] = {"pip": ("pip", "uv")}


def configured_ecosystems(text: str) -> tuple[str, ...] | None:
    """The `package-ecosystem` values of a dependabot.yml, or None when it is not valid.

    Args:
        text: the file's contents.

    Returns:
        The ecosystems its `updates` entries name, or None for invalid YAML or shape.
    """
    try:
        _, data = read_yaml(text)
    except yaml.YAMLError:
        return None
    updates = data.get("updates") if isinstance(data, dict) else None
    if not isinstance(updates, list):
        return None
    return tuple(
        str(entry["package-ecosystem"])
        for entry in updates
        if isinstance(entry, dict) and "package-ecosystem" in entry
    )


def uncovered(found: dict[str, tuple[str, ...]], configured: Sequence[str]) -> tuple[str, ...]:
    """Ecosystems a Dependabot config must add: all found when it has no entry at all, else
    only GitHub Actions.

    A config that names some ecosystems is the maintainers' choice: a library's own ranges
    in pyproject.toml or a gemspec are theirs to bump (flask, requests, structlog and
    rubocop update only their workflows). Workflows are the exception: a tag pinned in a
    workflow is never moved by anyone else, and tags are what got hijacked.
    """
    if not configured:
        return tuple(found)
    wanted = ("github-actions",) if "github-actions" in found else ()
    return tuple(
        eco for eco in wanted if not any(n in configured for n in COVERED_BY.get(eco, (eco,)))
    )


def _wanted(found: dict[str, tuple[str, ...]], names: Iterable[str]) -> str:
    return ", ".join(f"{eco} ({' '.join(found[eco])})" for eco in names)


class Dependabot:
    """Dependabot (or Renovate) keeps the repository's dependencies current."""

    name: str = "dependabot"
    severity: Severity = "high"  # Scorecard's Dependency-Update-Tool risk

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """The Dependabot config, when there is one."""
        lowered = {p.lower(): p for p in paths}
        return tuple(lowered[f] for f in DEPENDABOT_FILES if f in lowered)

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Ok when Renovate or a Dependabot config covers what it must; else failing."""
        renovate = snapshot.has(*RENOVATE_FILES)
        if renovate is not None:
            return result(self, "ok", f"Renovate configures updates ({renovate})", renovate)
        found = ecosystems(snapshot.paths)
        config = snapshot.has(*DEPENDABOT_FILES)
        if config is None:
            return self._missing(found)
        configured = configured_ecosystems(snapshot.files.get(config, ""))
        if configured is None:
            return self._invalid(config, found)
        missing = uncovered(found, configured)
        if missing:
            return self._partial(config, found, missing)
        covered = ", ".join(sorted(set(configured))) or "nothing"
        return result(self, "ok", f"{config} updates {covered}", config)

    def _missing(self, found: dict[str, tuple[str, ...]]) -> SignalResult:
        if not found:
            return result(self, "skipped", "no package manifests or workflows to keep updated")
        fix = Fix(
            runner="fileops",
            approach=f"Add .github/dependabot.yml with weekly updates for: {_wanted(found, found)}",
        )
        detail = f"no Dependabot config; ecosystems in use: {', '.join(found)}"
        return result(self, "failing", detail, *found, fix=fix)

    def _invalid(self, config: str, found: dict[str, tuple[str, ...]]) -> SignalResult:
        fix = Fix(
            runner="fileops",
            approach=f"Rewrite {config} as valid version-2 config for: {_wanted(found, found)}",
        )
        detail = f"{config} is not a valid Dependabot config (YAML with an `updates:` list)"
        return result(self, "failing", detail, config, "invalid", fix=fix)

    def _partial(
        self, config: str, found: dict[str, tuple[str, ...]], missing: Sequence[str]
    ) -> SignalResult:
        fix = Fix(
            runner="fileops",
            approach=f"Add `updates:` entries to {config} for: {_wanted(found, missing)}",
        )
        detail = f"{config} does not cover: {', '.join(missing)}"
        return result(self, "failing", detail, *missing, fix=fix)
