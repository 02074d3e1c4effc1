"""What the data-plane commands read from the Actions environment, and their client."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from prime_action.adapters.github.actions_env import token_from
from prime_action.adapters.github.client import GitHubClient
from prime_action.domain.errors import ConfigError

OUTCOME_FILE = "prime-outcome.json"


class DataPlaneEnv(BaseModel):
    """The environment of `prime dispatch | run | report | jobs` (DESIGN §7)."""

    model_config = ConfigDict(frozen=True)

    repository: str  # where the ledger lives: the org repo, or a standalone repo itself
    token: str
    api_url: str = "https://api.github.com"
    ref: str | None = None
    run_id: int | None = None
    event_path: Path | None = None
    step_summary: Path | None = None
    output: Path | None = None
    config_path: str | None = None
    temp: Path = Path()
    write_spacing: float = 1.0

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str], repo: str | None = None, *, takes_repo: bool = False
    ) -> DataPlaneEnv:
        """Read the environment; `repo` (from --repo) stands in for GITHUB_REPOSITORY.

        Args:
            environ: the process environment.
            repo: the command's --repo, if it has one.
            takes_repo: whether the command has --repo (the error then offers it).

        Raises:
            ConfigError: the token or the repository is missing.
        """
        repository = repo or environ.get("GITHUB_REPOSITORY", "")
        token = token_from(environ)
        missing = [n for n, v in (("GITHUB_TOKEN", token), ("GITHUB_REPOSITORY", repository))
                   if not v]  # fmt: skip
        if missing:
            offer = " (or give --repo OWNER/NAME)" if takes_repo else ""
            msg = f"{', '.join(missing)} not set: run in GitHub Actions, or export them{offer}"
            raise ConfigError(msg, file="environment")
        run_id = environ.get("GITHUB_RUN_ID", "")
        return cls(
            repository=repository,
            token=token or "",
            api_url=environ.get("GITHUB_API_URL") or "https://api.github.com",
            ref=environ.get("GITHUB_REF") or None,
            run_id=int(run_id) if run_id.isdigit() else None,
            event_path=_path(environ.get("GITHUB_EVENT_PATH")),
            step_summary=_path(environ.get("GITHUB_STEP_SUMMARY")),
            output=_path(environ.get("GITHUB_OUTPUT")),
            config_path=environ.get("PRIME_CONFIG") or None,
            temp=Path(environ.get("RUNNER_TEMP") or "."),
            write_spacing=float(environ.get("PRIME_WRITE_SPACING") or 1.0),
        )

    def client(self) -> GitHubClient:
        """The counted PyGithub client for this run."""
        return GitHubClient(self.token, self.api_url, write_spacing=self.write_spacing)

    def inputs(self) -> dict[str, Any]:
        """The workflow_dispatch inputs of the triggering event ({} outside such a run)."""
        if self.event_path is None or not self.event_path.is_file():
            return {}
        try:
            data = json.loads(self.event_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            msg = f"cannot read the event payload ({e}); GitHub Actions writes this file"
            raise ConfigError(msg, file=str(self.event_path)) from e
        inputs = data.get("inputs") if isinstance(data, dict) else None
        return dict(inputs) if isinstance(inputs, dict) else {}

    def publish(self, summary: str, outputs: Mapping[str, str]) -> None:
        """Append to the job summary and the step outputs (when running in Actions)."""
        if self.step_summary is not None:
            with self.step_summary.open("a", encoding="utf-8") as handle:
                handle.write(summary)
        if self.output is not None:
            with self.output.open("a", encoding="utf-8") as handle:
                handle.writelines(f"{k}={' '.join(v.split())}\n" for k, v in outputs.items())


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


@contextmanager
def repo_reader(repo: str | None, environ: Mapping[str, str]) -> Iterator[tuple[str, GitHubClient]]:
    """A client for a command that reads one repository from a person's shell (`prime explain`,
    `prime growth`): `--repo`, else GITHUB_REPOSITORY, with GITHUB_TOKEN; closed after use.

    Raises:
        ConfigError: without a repository or a token, naming the way out (`--local PATH`).
    """
    name = repo or environ.get("GITHUB_REPOSITORY")
    token = environ.get("GITHUB_TOKEN")
    if not name or not token:
        msg = "GITHUB_TOKEN and --repo (or GITHUB_REPOSITORY) are needed, or use --local PATH"
        raise ConfigError(msg, file="environment")
    client = GitHubClient(token, environ.get("GITHUB_API_URL") or "https://api.github.com")
    try:
        yield name, client
    finally:
        client.close()
