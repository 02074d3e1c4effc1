"""The repository's identity (CLAUDE.md, AGENTS.md, the config), cached in state by hash."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

IDENTITY_FILES = ("CLAUDE.md", "AGENTS.md", ".github/prime.yml")


def identity_hash(contents: Mapping[str, str]) -> str:
    """A stable hash over the identity files present (path -> text)."""
    digest = hashlib.sha256()
    for path in sorted(contents):
        digest.update(f"{path}\x00{contents[path]}\x00".encode())
    return digest.hexdigest()[:16]
