"""The GitHub Actions environment Prime runs in (DESIGN §7), read once at the edge."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from prime_action.domain.errors import ConfigError

REQUIRED = ("GITHUB_REPOSITORY", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_TOKEN")


def token_from(environ: Mapping[str, str]) -> str | None:
    """The API token: GITHUB_TOKEN, or GH_TOKEN as the GitHub CLI names it."""
    return environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN") or None


class ActionsEnv(BaseModel):
    """What Prime reads from the standard Actions variables and the action's inputs."""

    model_config = ConfigDict(frozen=True)

    repository: str
    event_name: str
    event_path: Path
    token: str = Field(repr=False)  # never in a log line
    api_url: str = "https://api.github.com"
    step_summary: Path | None = None
    output: Path | None = None
    config_path: str = ".github/prime.yml"
    write_spacing: float = 1.0
    # The action's `model` input: a litellm model string that overrides brain.model.
    model: str | None = None
    # The action's `dry-run` input: read and decide, write nothing.
    dry_run: bool = False
    # The action's `org-token` input: may send flags to the org repository.
    org_token: str | None = Field(default=None, repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str], hint: str = "") -> ActionsEnv:
        """Read the environment; a missing variable is a configuration error naming it.

        Args:
            environ: the process environment.
            hint: what else the command offers, e.g. ", or use --local PATH".

        Raises:
            ConfigError: when a required variable is missing or empty.
        """
        token = token_from(environ)
        missing = [name for name in REQUIRED if not environ.get(name)]
        missing = [name for name in missing if name != "GITHUB_TOKEN" or not token]
        if missing:
            msg = (
                f"{', '.join(missing)} not set: run inside GitHub Actions (the token comes from "
                f"the action's github-token input; GH_TOKEN works too){hint}"
            )
            raise ConfigError(msg, file="environment")
        return cls(
            repository=environ["GITHUB_REPOSITORY"],
            event_name=environ["GITHUB_EVENT_NAME"],
            event_path=Path(environ["GITHUB_EVENT_PATH"]),
            token=token or "",
            api_url=environ.get("GITHUB_API_URL") or "https://api.github.com",
            step_summary=_path(environ.get("GITHUB_STEP_SUMMARY")),
            output=_path(environ.get("GITHUB_OUTPUT")),
            config_path=environ.get("PRIME_CONFIG") or ".github/prime.yml",
            write_spacing=float(environ.get("PRIME_WRITE_SPACING") or 1.0),
            model=environ.get("PRIME_MODEL") or None,
            dry_run=_flag(environ.get("PRIME_DRY_RUN"), "dry-run"),
            org_token=environ.get("PRIME_ORG_TOKEN") or None,
        )


def _flag(value: str | None, name: str) -> bool:
    """A true/false action input (GitHub passes inputs as strings)."""
    text = (value or "false").strip().lower()
    if text not in ("true", "false"):
        msg = f"input '{name}' is {value!r}; use true or false"
        raise ConfigError(msg, file="action inputs")
    return text == "true"


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
