"""A local git working tree as the runners' Workspace: commands by subprocess, changes by git.

The agent runner also reads and writes files in it, runs an agent CLI (no shell) and asks for
the changes since the commit it started from (an agent CLI may commit on its own).
"""

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

    def execute(self, argv: tuple[str, ...], stdin: str | None, timeout: float) -> CommandResult:
        """Run a program (no shell) in the checkout, `stdin` on its input; stop it at `timeout`."""
        try:
            done = subprocess.run(  # noqa: S603 -- the repository's configured agent.command
                list(argv),
                cwd=self.root,
                input=stdin if stdin is not None else "",
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as e:
            output = e.output if isinstance(e.output, str) else ""
            return CommandResult(code=-1, output=output, timed_out=True)
        except OSError as e:  # not installed, not executable
            return CommandResult(code=127, output=f"{argv[0]}: {e.strerror or e}")
        return CommandResult(code=done.returncode, output=done.stdout + done.stderr)

    def read(self, path: str) -> str | None:
        """A file's text in the working tree; None when it is absent or not a file."""
        target = self._inside(path)
        if target is None or not target.is_file():
            return None
        return target.read_text(encoding="utf-8", errors="replace")

    def write(self, path: str, text: str) -> None:
        """Write a file's text in the working tree, creating its folders."""
        target = self._inside(path)
        if target is None:
            msg = f"{path} is outside the checkout {self.root}"
            raise ValueError(msg)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def tracked(self) -> tuple[str, ...]:
        """The paths git tracks, sorted."""
        return tuple(sorted(p for p in self._git("ls-files", "-z").split("\0") if p))

    def head(self) -> str:
        """The commit checked out."""
        return self._git("rev-parse", "HEAD").strip()

    def tree(self) -> str:
        """The tree of the commit checked out (its files' identity, whoever committed them)."""
        return self._git("rev-parse", "HEAD^{tree}").strip()

    def changes_since(self, base: str) -> Changes:
        """Changed, new (not ignored) and deleted files since `base`, committed or not."""
        files: dict[str, str] = {}
        deleted: list[str] = []
        entries = iter(self._git("diff", "--name-status", "-z", "--no-renames", base).split("\0"))
        for status in entries:
            path = next(entries, "")
            if not status or not path:
                continue
            if status.startswith("D"):
                deleted.append(path)
            else:
                files[path] = self.read(path) or ""
        others = self._git("ls-files", "--others", "--exclude-standard", "-z").split("\0")
        files.update({p: self.read(p) or "" for p in others if p})
        return Changes(files=files, deleted=tuple(sorted(deleted)))

    def _inside(self, path: str) -> Path | None:
        target = (self.root / path).resolve()
        return target if target.is_relative_to(self.root.resolve()) else None

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
