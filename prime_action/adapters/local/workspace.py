"""A local git working tree as the runners' Workspace: commands by subprocess, changes by git."""

from __future__ import annotations

import subprocess
from pathlib import Path

from prime_action.runners.shell import Changes, CommandResult


class GitWorkspace:
    """A checkout on disk (the runner workflow's `actions/checkout` of the target)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, command: str, timeout: float) -> CommandResult:
        """Run `command` with the shell in the checkout; stop it after `timeout` seconds."""
        try:
            done = subprocess.run(  # noqa: S602 -- the repository's own configured commands
                command,
                shell=True,
                cwd=self.root,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as e:
            output = e.output if isinstance(e.output, str) else ""
            return CommandResult(code=-1, output=output, timed_out=True)
        return CommandResult(code=done.returncode, output=done.stdout + done.stderr)

    def changes(self) -> Changes:
        """Changed and new files (as text) and deleted paths, against HEAD."""
        status = self._git("status", "--porcelain", "-z", "--untracked-files=all")
        files: dict[str, str] = {}
        deleted: list[str] = []
        entries = iter(status.split("\0"))
        for entry in entries:
            if not entry:
                continue
            code, path = entry[:2], entry[3:]
            if code.startswith("R"):
                deleted.append(next(entries, ""))  # a rename: the old path comes next
            if "D" in code:
                deleted.append(path)
            else:
                files[path] = (self.root / path).read_text(encoding="utf-8", errors="replace")
        return Changes(files=files, deleted=tuple(sorted(p for p in deleted if p)))

    def _git(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 -- fixed git arguments, no user input
            ["git", *args],  # noqa: S607 -- git from PATH, as actions/checkout leaves it
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout
