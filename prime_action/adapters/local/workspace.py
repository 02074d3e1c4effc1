"""A local git working tree as the runners' Workspace: commands by subprocess, changes by git.

The agent runner also reads and writes files in it, runs an agent CLI (no shell) and asks for
the changes since the commit it started from (an agent CLI may commit on its own).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path

from prime_action.runners.shell import Changes, CommandResult

# Variables that carry a credential, however a workflow or a tool names them; the runtime
# variables of Actions itself (ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_*), the
# action's inputs (INPUT_*) and the files through which a step changes later steps
# (GITHUB_ENV, GITHUB_PATH, ...) go too. Code the target repository controls never sees them.
SECRET_NAME = re.compile(
    r"TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|AUTH(?!OR)|API_?KEY|ACCESS_?KEY"
    r"|^ACTIONS_|^INPUT_|^GITHUB_(ENV|PATH|OUTPUT|STATE|STEP_SUMMARY)$",
    re.IGNORECASE,
)
# What an agent CLI may keep of them: its model provider's key, never a GitHub credential.
AGENT_KEYS = frozenset(
    {
        "ANTHROPIC_API_KEY",
        "OPENAI_API_KEY",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "MISTRAL_API_KEY",
        "AZURE_OPENAI_API_KEY",
        "OPENROUTER_API_KEY",
    }
)


def scrubbed(environ: Mapping[str, str], keep: frozenset[str] = frozenset()) -> dict[str, str]:
    """The environment without its credentials, but for the names in `keep`.

    Args:
        environ: the environment Prime runs in (its tokens included).
        keep: names that pass although they look like credentials (an agent's model key).

    Returns:
        The environment for a process that runs code the target repository controls.
    """
    return {k: v for k, v in environ.items() if k in keep or not SECRET_NAME.search(k)}


def _run(
    argv: str | list[str], root: Path, env: dict[str, str], stdin: str | None, timeout: float
) -> CommandResult:
    """Run in its own process group, so a timeout stops the command and all it started."""
    with subprocess.Popen(  # noqa: S603 -- the repository's own configured command or agent
        argv,
        shell=isinstance(argv, str),
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(stdin or "", timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            return CommandResult(code=-1, output=output or "", timed_out=True)
    return CommandResult(code=process.returncode, output=output or "")


class GitWorkspace:
    """A checkout on disk (the runner workflow's `actions/checkout` of the target)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, command: str, timeout: float) -> CommandResult:
        """Run `command` with the shell in the checkout; stop it after `timeout` seconds.

        The command sees no credential of Prime's (scrubbed environment), and a timeout
        stops every process it started.
        """
        return _run(command, self.root, scrubbed(os.environ), None, timeout)

    def execute(self, argv: tuple[str, ...], stdin: str | None, timeout: float) -> CommandResult:
        """Run a program (no shell) in the checkout, `stdin` on its input; stop it at `timeout`.

        The program keeps only its model provider's key of the credentials (AGENT_KEYS).
        """
        try:
            return _run(list(argv), self.root, scrubbed(os.environ, AGENT_KEYS), stdin, timeout)
        except OSError as e:  # not installed, not executable
            return CommandResult(code=127, output=f"{argv[0]}: {e.strerror or e}")

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

    def patch(self, base: str, paths: tuple[str, ...]) -> str:
        """git's diff of `paths` since `base`, as the writing job reads it (runners.patch).

        Staged first, so that new files and symlinks show as git sees them (a symlink's mode
        is what the writing job refuses); bytes are decoded here, keeping CRLF line ends.
        """
        if not paths:
            return ""
        self._git("add", "--force", "--", *paths)
        flags = ("--cached", "--binary", "--no-renames", "--no-ext-diff", "--no-textconv")
        out = self._git_bytes("-c", "core.quotePath=false", "diff", *flags, base, "--", *paths)
        return out.decode("utf-8", errors="replace")

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

    def _git_bytes(self, *args: str) -> bytes:
        # Scrubbed too: the code that ran here may have written .git/config (core.fsmonitor,
        # a clean filter), and git would run what it names with this process's environment.
        done = subprocess.run(  # noqa: S603 -- fixed git arguments, paths after `--`
            ["git", *args],  # noqa: S607 -- git from PATH, as actions/checkout leaves it
            cwd=self.root,
            env=scrubbed(os.environ),
            capture_output=True,
            check=True,
        )
        return done.stdout

    def _git(self, *args: str) -> str:
        return self._git_bytes(*args).decode("utf-8", errors="replace")
