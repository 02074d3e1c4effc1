"""The precision corpus (tests/corpus/): real repositories' snapshots, truth and zizmor's view."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from prime_action.config.models import RepoConfig
from prime_action.eyes import wanted_files
from prime_action.signals.base import RepoSnapshot
from tests.signals.snapshots import NOW

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@dataclass(frozen=True)
class Sample:
    """One corpus repository: its name, listing, stored files and org `.github` defaults."""

    repo: str
    paths: tuple[str, ...]
    files: dict[str, str]
    org_paths: tuple[str, ...]

    def snapshot(self, config: RepoConfig | None = None) -> RepoSnapshot:
        """The snapshot the eyes would build: only the files the detectors want."""
        wanted = wanted_files(self.paths, config or RepoConfig())
        missing = sorted(p for p in wanted if p not in self.files)
        assert not missing, f"{self.repo}: refresh with scripts/corpus_snapshot.py: {missing}"
        files = {p: self.files[p] for p in wanted}
        return RepoSnapshot(paths=self.paths, files=files, now=NOW, org_paths=self.org_paths)


def _files(folder: Path) -> dict[str, str]:
    root = folder / "files"
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in root.rglob("*")
        if p.is_file()
    }


@cache
def samples() -> tuple[Sample, ...]:
    """Every corpus repository, by name."""
    orgs = yaml.safe_load((CORPUS / "orgs.yml").read_text())
    found = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "paths.txt").is_file()):
        repo = folder.name.replace("__", "/")
        paths = tuple((folder / "paths.txt").read_text().splitlines())
        org = tuple(orgs.get(repo.split("/")[0]) or ())
        found.append(Sample(repo, paths, _files(folder), org))
    return tuple(found)


@cache
def truth() -> dict[str, dict[str, tuple[str, str]]]:
    """repo -> signal -> (expected verdict, the reason written beside it)."""
    raw = yaml.safe_load((CORPUS / "truth.yml").read_text())
    return {
        repo: {sig: _verdict(text) for sig, text in verdicts.items()}
        for repo, verdicts in raw.items()
    }


def _verdict(text: str) -> tuple[str, str]:
    verdict, _, reason = text.partition(": ")
    assert verdict in ("ok", "failing"), text
    assert reason, f"no reason beside {text!r}"
    return verdict, reason


def zizmor(repo: str) -> list[dict[str, str]]:
    """zizmor's unpinned-uses and excessive-permissions findings for a repo's workflows."""
    folder = CORPUS / repo.replace("/", "__")
    return list(json.loads((folder / "zizmor.json").read_text()))
