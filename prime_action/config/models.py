"""Config models with a default for everything; their JSON Schemas are public contracts."""

from __future__ import annotations

import fnmatch
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from prime_action.domain.models import RunnerType, Severity

# GitHub's author_association values (a comment's, an issue's, an edit's).
Association = Literal[
    "OWNER",
    "MEMBER",
    "COLLABORATOR",
    "CONTRIBUTOR",
    "FIRST_TIME_CONTRIBUTOR",
    "FIRST_TIMER",
    "MANNEQUIN",
    "NONE",
]
# The SPDX ids whose full standard text Prime ships (templates/fixes/licenses/ID.j2).
LICENSE_IDS = ("MIT", "Apache-2.0", "BSD-3-Clause", "ISC")


class Section(BaseModel):
    """A config section: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class SignalSettings(Section):
    """Per-signal overrides."""

    enabled: bool = True
    severity: Severity | None = Field(default=None, description="Override the built-in severity.")
    weight: float | None = Field(default=None, ge=0, description="Override the severity weight.")
    runner: RunnerType | None = Field(default=None, description="Runner that fixes this signal.")
    cooldown_hours: float | None = Field(default=None, ge=0)


class WakeSettings(Section):
    """When Prime sleeps and for how long (DESIGN §3 step 6)."""

    pending_hours: float = Field(default=1.0, gt=0, description="Next wake with work pending.")
    idle_hours: float = Field(default=6.0, gt=0, description="Next wake when nothing is pending.")
    blocked_hours: float = Field(
        default=24.0, gt=0, description="Next wake when blocked on a human."
    )
    min_hours: float = Field(default=0.25, gt=0, description="Lower clamp for any suggestion.")
    max_hours: float = Field(default=72.0, gt=0, description="Upper clamp for any suggestion.")

    @model_validator(mode="after")
    def _range(self) -> WakeSettings:
        if self.min_hours > self.max_hours:
            msg = "wake.min_hours must not exceed wake.max_hours"
            raise ValueError(msg)
        return self


class TrustSettings(Section):
    """Who may command Prime."""

    associations: tuple[Association, ...] = Field(
        default=("OWNER", "MEMBER", "COLLABORATOR"),
        description="author_association values whose /prime commands and box ticks count.",
    )

    @field_validator("associations", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        # GitHub spells them in capitals; `owner` in a config means OWNER, never nobody.
        if isinstance(value, list | tuple):
            return tuple(v.upper() if isinstance(v, str) else v for v in value)
        return value

    bots: tuple[str, ...] = Field(
        default=(), description="Bot logins whose events still wake Prime."
    )
    prime_login: str = Field(
        default="github-actions[bot]",
        description="The login Prime writes as; its own events are ignored.",
    )


class ConversationSettings(Section):
    """Talking to Prime: which comments besides `/prime <words>` are messages to it."""

    mention: str | None = Field(
        default=None,
        description="A login (without @) whose mention in a trusted comment on the dashboard "
        "or a tracking issue is a message to Prime, like `/prime <words>`.",
    )
    priority_hours: float = Field(
        default=168.0,
        gt=0,
        le=720,
        description="How long a priority change lasts when none is given (at most 30 days).",
    )


class LabelSettings(Section):
    """Labels Prime puts on its issues; `allowed` extends what a brain may add."""

    automated: str = "automated"
    needs_human: str = "needs-human"
    in_progress: str = "in-progress"
    allowed: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        return (self.automated, self.needs_human, self.in_progress, *self.allowed)


class BrainSettings(Section):
    """The LLM brain; with no model the deterministic rules brain decides."""

    model: str | None = Field(
        default=None, description="Any litellm model string; none = rules brain."
    )
    api_base: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible server (Ollama, vLLM, a proxy); "
        "API keys never go in this file.",
    )
    budget_usd_per_day: float = Field(default=1.0, ge=0)
    prompt_token_budget: int = Field(default=8000, ge=500)
    timeout_seconds: float = Field(default=60.0, gt=0)


class JobSettings(Section):
    """How Prime hands work to runners."""

    mode: Literal["standalone", "org"] = "standalone"
    org_repo: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
        description="The org repository (OWNER/NAME); Prime's flag-org actions are sent there.",
    )
    runners: tuple[RunnerType, ...] = ("fileops", "shell", "agent")
    cooldown_hours: float = Field(default=72.0, ge=0)
    max_in_flight: int = Field(
        default=2, ge=1, description="Jobs running at once here (like prConcurrentLimit)."
    )
    require_approval: bool = Field(
        default=False,
        description="Approval mode (like Renovate's dependencyDashboardApproval): nothing is "
        "dispatched until a maintainer ticks the item's box on the dashboard.",
    )
    in_flight_timeout_hours: float = Field(
        default=24.0, gt=0, description="A job with no report after this long is forgotten."
    )
    shell_commands: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="signal -> commands the shell runner runs."
    )
    shell_timeout_seconds: float = Field(
        default=600.0, gt=0, description="Each shell runner command is stopped after this long."
    )
    escalation_issues: Severity = Field(
        default="high",
        description="A blocked signal at least this severe gets an issue labelled "
        "needs-human; a less severe one is listed under the dashboard's Needs a human only.",
    )
    tracking_issues: Literal["needed", "always"] = Field(
        default="needed",
        description="needed: an issue only when a person must act (a fix's PR is its record); "
        "always: also one issue per problem Prime works on, before its PR.",
    )


class GuardrailSettings(Section):
    """Where runners may write and how much one PR may change (the repository's contract)."""

    write_paths: tuple[str, ...] = Field(default=(), description="Globs; empty: anywhere.")
    forbidden_paths: tuple[str, ...] = Field(default=(), description="Globs never written.")
    max_files: int = Field(default=20, ge=1, description="Files one PR may change.")
    max_lines: int = Field(default=500, ge=1, description="Lines one PR may add plus remove.")
    allow_workflows: bool = Field(
        default=False, description="Write under .github/workflows/ (the token needs `workflows`)."
    )


class PrSettings(Section):
    """How many PRs Prime may open (per repository, and per organisation from the ledger)."""

    per_hour: int = Field(default=3, ge=0, description="New PRs per hour in this repository.")
    max_open: int = Field(default=5, ge=0, description="Prime PRs open at once here.")
    org_per_hour: int = Field(default=20, ge=0, description="New PRs per hour in the org.")
    org_max_open: int = Field(default=50, ge=0, description="Prime PRs open at once in the org.")
    security_signals: tuple[str, ...] = Field(
        default=("security-policy", "dependabot", "vulnerabilities"),
        description="Signals whose fixes pass the open-PR limits (never the hourly ones).",
    )
    group: Literal["fileops", "none"] = Field(
        default="fileops",
        description="fileops: every template fix of the repository travels in one PR "
        "(prime/fileops) while it is open; none: one PR per signal.",
    )
    close_idle_days: int = Field(
        default=30,
        ge=0,
        description="Close a Prime PR untouched this many days, with one comment (0: never).",
    )


class AgentSettings(Section):
    """The agent runner: an LLM coding loop, or an external agent CLI when `command` is set."""

    command: tuple[str, ...] = Field(
        default=(), description="External agent CLI, e.g. [claude, -p]; the prompt is appended."
    )
    model: str | None = Field(default=None, description="litellm model of the coding loop.")
    test_command: str | None = Field(default=None, description="The repository's tests.")
    max_turns: int = Field(default=8, ge=1, description="LLM turns per attempt.")
    budget_usd: float = Field(default=1.0, ge=0, description="LLM spend per attempt.")
    timeout_seconds: float = Field(default=1800.0, gt=0, description="The external CLI's limit.")


PinPolicy = Literal["hash-pin", "ref-pin"]

# The refs that must stay on a tag: the SLSA generator's reusable workflows verify their own
# ref and refuse a SHA (its README), so pinning them breaks the release.
BUILTIN_PIN_POLICIES: dict[str, PinPolicy] = {
    "slsa-framework/slsa-github-generator/*": "ref-pin",
}


class PinningSettings(Section):
    """How `uses:` refs must be pinned: zizmor's `unpinned-uses` policy shape and default."""

    default: PinPolicy = Field(
        default="hash-pin",
        description="Every action and reusable workflow on a full commit SHA (zizmor >= 1.20).",
    )
    policies: dict[str, PinPolicy] = Field(
        default_factory=dict,
        description="Pattern (owner/*, owner/repo, owner/repo/path/*) -> policy; the most "
        "specific match wins; added to the built-in SLSA generator exception.",
    )

    def policy(self, action: str) -> PinPolicy:
        """The policy for an `owner/repo[/path]` (the ref stripped), most specific first."""
        merged = {**BUILTIN_PIN_POLICIES, **self.policies}
        matches = [p for p in merged if fnmatch.fnmatchcase(action.lower(), p.lower())]
        if not matches:
            return self.default
        return merged[max(matches, key=lambda p: (len(p.rstrip("*")), len(p)))]


CustomCheck = Literal["exists", "absent", "contains", "lacks"]


class CustomFix(Section):
    """The fileops fix of a custom signal: a file to create, with its content."""

    path: str = Field(description="Path of the file to create, relative to the root.")
    content: str = Field(description="Its content (the file is created only when missing).")


class CustomSignal(Section):
    """A signal of the user's own: a file matching a glob must (not) exist or (not) contain
    a pattern."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="The signal's name.")
    glob: str = Field(description="fnmatch pattern on repository paths, e.g. 'docs/*.md'.")
    check: CustomCheck = Field(
        default="exists",
        description="exists / absent: some file matches, or none; contains / lacks: every "
        "matching file has the pattern, or none has it.",
    )
    pattern: str | None = Field(default=None, description="Regex for contains / lacks.")
    severity: Severity = "medium"
    detail: str = Field(default="", description="What is wrong, shown when failing.")
    fix: CustomFix | None = Field(default=None, description="A file that repairs it (exists).")

    @model_validator(mode="after")
    def _pattern(self) -> CustomSignal:
        if self.check in ("contains", "lacks") and not self.pattern:
            msg = f"custom signal {self.name}: check '{self.check}' needs a `pattern`"
            raise ValueError(msg)
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as e:
                msg = f"custom signal {self.name}: `pattern` is not a valid regex ({e})"
                raise ValueError(msg) from e
        return self


class RepoConfig(Section):
    """`.github/prime.yml`: everything optional, every default sensible."""

    version: Literal[1] = 1
    brain: BrainSettings = BrainSettings()
    wake: WakeSettings = WakeSettings()
    trust: TrustSettings = TrustSettings()
    conversation: ConversationSettings = ConversationSettings()
    labels: LabelSettings = LabelSettings()
    jobs: JobSettings = JobSettings()
    guardrails: GuardrailSettings = GuardrailSettings()
    prs: PrSettings = PrSettings()
    agent: AgentSettings = AgentSettings()
    signals: dict[str, SignalSettings] = Field(default_factory=dict)
    stale_pr_days: int = Field(default=14, ge=1)
    pinning: PinningSettings = PinningSettings()
    custom_signals: tuple[CustomSignal, ...] = Field(
        default=(), description="Signals of your own, run after the built-in ones."
    )
    automerge: tuple[str, ...] = Field(
        default=(),
        description="Signal and runner names whose Prime PRs merge on green checks, e.g. "
        "[editorconfig, gitignore, fileops]; the agent runner's PRs only when `agent` is listed.",
    )
    license: str = Field(
        default="MIT",
        description=f"SPDX id used by the license fix: one of {', '.join(LICENSE_IDS)}.",
    )

    @field_validator("license")
    @classmethod
    def _known_license(cls, value: str) -> str:
        # SPDX ids match case-insensitively; the canonical spelling is kept.
        known = {spdx.lower(): spdx for spdx in LICENSE_IDS}
        if value.lower() not in known:
            msg = f"no license text for '{value}': use one of {', '.join(LICENSE_IDS)}"
            raise ValueError(msg)
        return known[value.lower()]

    @property
    def has_agent(self) -> bool:
        """Whether the agent runner has an agent to run, as `prime run` picks one: the CLI of
        `agent.command`, else the coding loop on `agent.model` or `brain.model`."""
        return bool(self.agent.command or self.agent.model or self.brain.model)
