"""The org repository's config (`.github/prime-org.yml`): which repositories, what first."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from prime_action.config.models import BrainSettings, CustomSignal, Section, TrustSettings
from prime_action.domain.models import RunnerType


class Priority(Section):
    """A user priority with the note that explains it."""

    weight: float
    note: str = ""


def _default_capacity() -> dict[RunnerType, int]:
    return {"fileops": 10, "shell": 5, "agent": 2}


class OnboardingSettings(Section):
    """`prime onboard`: which repositories get a PR adding Prime (archived and forks never)."""

    mode: Literal["opt-in", "opt-out"] = Field(
        default="opt-in",
        description="opt-in: only the repositories in `repos`; opt-out: all but `exclude`.",
    )
    repos: tuple[str, ...] = Field(
        default=(), description="opt-in: globs of the repositories to onboard (NAME or OWNER/NAME)."
    )
    exclude: tuple[str, ...] = Field(
        default=(), description="opt-out: globs of the repositories never to onboard."
    )
    max_prs_per_run: int = Field(
        default=5, ge=1, le=50, description="Onboarding PRs opened per run at most; the rest wait."
    )


class OrgConfig(Section):
    """The org repository's `.github/prime-org.yml`."""

    version: Literal[1] = 1
    owner: str | None = Field(
        default=None, description="Organisation or user; default: the org repo's owner."
    )
    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    archived: bool = False
    forks: bool = False
    priorities: dict[str, Priority] = Field(
        default_factory=dict, description="'repo:OWNER/NAME' or 'signal:NAME' -> weight and note."
    )
    brain: BrainSettings = BrainSettings()
    capacity: dict[RunnerType, int] = Field(default_factory=_default_capacity)
    max_dispatches_per_cycle: int = Field(default=20, ge=1)
    run_sheet_max_items: int = Field(
        default=500,
        ge=1,
        description="Most items run-sheet.json lists, by rank: about a day of the dispatcher's "
        "hourly cycles; the rest are counted on the org dashboard and listed again when "
        "they rise.",
    )
    max_wakes_per_run: int = Field(
        default=400,
        ge=0,
        description="Most `prime-wake` events one Org Prime run sends to repositories whose "
        "next wake has passed (longest overdue first; the rest wait for the next run). "
        "GitHub allows about 500 content-creating requests an hour.",
    )
    trust: TrustSettings = Field(
        default_factory=TrustSettings,
        description="Who may send `/prime priority` commands on the org dashboard issue.",
    )
    cooldown_hours: float = Field(
        default=72.0, ge=0, description="Run-sheet cooldown of each item after an attempt."
    )
    onboarding: OnboardingSettings = OnboardingSettings()
    require_approval: bool = Field(
        default=False,
        description="Approval mode for every repository: the run sheet carries only work a "
        "maintainer approved on its repository's dashboard (and nothing from a repository "
        "without a Repo Prime, which has no dashboard to tick).",
    )
    dispatch_unmanaged: tuple[str, ...] = Field(
        default=(),
        description="Globs (OWNER/NAME or NAME) of repositories without a Repo Prime whose "
        "fixable signals Org Prime may still dispatch fixes for; by default it dispatches only "
        "the work a repository's own Prime planned, and never into the org repository.",
    )
    custom_signals: tuple[CustomSignal, ...] = Field(
        default=(),
        description="Custom signals for every repository; a repository's own of the same name "
        "wins.",
    )
    dispatch_workflow: str = Field(
        default="prime-dispatch.yml",
        description="Workflow file Org Prime starts after committing a changed run sheet; "
        "empty: start none.",
    )
