"""Small helpers for the local memory: atomic writes and JSON reads that name the file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from prime_action.domain.errors import StoreError


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a crash leaves either the old or the new content, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    """Read a JSON file, or raise StoreError naming the file and the fix."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        msg = f"{path}: cannot be read as JSON ({e}); fix or delete the file"
        raise StoreError(msg) from e
