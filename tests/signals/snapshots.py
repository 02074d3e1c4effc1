"""Snapshot builders shared by the signal, adapter and command tests: listings and trees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from prime_action.signals.base import CiStatus, PullRequestInfo, RepoSnapshot

NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)


def snap(
    *paths: str,
    files: dict[str, str] | None = None,
    ci: CiStatus | None = None,
    open_prs: tuple[PullRequestInfo, ...] | None = None,
    remote: bool = False,
) -> RepoSnapshot:
    """A snapshot whose listing is `paths` plus every key of `files`."""
    files = files or {}
    listing = tuple(sorted({*paths, *files}))
    return RepoSnapshot(
        paths=listing, files=files, ci=ci, open_prs=open_prs, now=NOW, remote=remote
    )


GREEN = CiStatus(state="success", sha="a" * 40)


def remote(
    *paths: str,
    files: dict[str, str] | None = None,
    ci: CiStatus | None = GREEN,
    open_prs: tuple[PullRequestInfo, ...] | None = (),
) -> RepoSnapshot:
    """A remote snapshot: CI green and no open pull requests unless given."""
    return snap(*paths, files=files, ci=ci, open_prs=open_prs, remote=True)


def pr(number: int, idle_days: float, *, draft: bool = False) -> PullRequestInfo:
    """An open pull request last updated `idle_days` before NOW."""
    return PullRequestInfo(
        number=number,
        title=f"Change {number}",
        author="octocat",
        updated_at=NOW - timedelta(days=idle_days),
        draft=draft,
    )


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a local tree (text or bytes per file) under root and return root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
