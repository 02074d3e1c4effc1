"""One exception base per port; the CLI maps these to exit codes in one place."""

from __future__ import annotations


class PrimeError(Exception):
    """Base of every error Prime expects and reports cleanly."""

    exit_code = 1


class ConfigError(PrimeError):
    """Bad configuration or input: names the file, the key and the fix (exit 2)."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(f"{where}{message}")


class UsageError(PrimeError):
    """A command was called with arguments that cannot work (exit 2)."""

    exit_code = 2


class StoreError(PrimeError):
    """A memory store (local files or GitHub) failed to read or write."""


class ConflictError(StoreError):
    """A compare-and-swap write lost the race: re-read and retry."""


class GitHubError(PrimeError):
    """The GitHub API failed in a way a retry did not cure."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class LLMError(PrimeError):
    """The LLM brain failed: the rules brain decides instead."""
