"""Frozen pydantic values that travel through the core: signals, actions, decisions, state."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from prime_action.domain.ci import CiMemory
from prime_action.domain.conversation import Answer, Direction, Priority
from prime_action.domain.values import Frozen

Severity = Literal["critical", "high", "medium", "low"]
SignalStatus = Literal["ok", "failing", "unknown", "skipped"]
RunnerType = Literal["fileops", "shell", "agent"]
BrainName = Literal["rules", "llm"]

# OpenSSF Scorecard's risk weights: what a failing check of each severity is worth.
SEVERITY_WEIGHT: dict[str, float] = {"critical": 10.0, "high": 7.5, "medium": 5.0, "low": 2.5}

WakeReason = Literal[
    "schedule",
    "manual",
    "local",
    "issue-opened",
    "issue-edited",
    "issue-labeled",
    "issue-closed",
    "dashboard-edited",
    "command",
    "ci-failed",
    "ci-recovered",
    "pr-merged",
    "pr-closed-unmerged",
    "pr-gate",
    "pr-followup",
    "push",
    "job-result",
    "delegate",
    "org-wake",
    "conversation",
]


class Fix(Frozen):
    """How a failing signal can be repaired: which runner, and the approach in words."""

    runner: RunnerType
    approach: str


class SignalResult(Frozen):
    """What one detector saw in one repository."""

    name: str
    status: SignalStatus
    detail: str = ""
    # Hash of the evidence: a fix refused or blocked for one fingerprint is retried
    # only when the fingerprint changes.
    fingerprint: str = ""
    severity: Severity = "medium"
    weight: float = 5.0
    fix: Fix | None = None

    @property
    def fixable(self) -> bool:
        return self.status == "failing" and self.fix is not None


class PlanItem(Frozen):
    """One piece of work the repository's Prime wants done, in priority order."""

    signal: str
    runner: RunnerType
    approach: str
    reason: str
    weight: float
    fingerprint: str = ""
    added_at: datetime
    # A maintainer's priority change for this signal (conversation, `/prime priority`).
    priority: Direction | None = None


# Attempt ids a repository in org mode gives its submitted jobs: the org's dispatcher runs
# them under attempt ids of its own, so any result for the signal ends such a job.
ORG_QUEUED = "org-"
# The attempt id prefix of a job found through its tracking issue's in-progress label only
# (`rebuilt-SIGNAL`): its real id was in a state that was lost, or never written.
REBUILT_ATTEMPT = "rebuilt"


class InFlight(Frozen):
    """A job submitted for a signal and not yet reported back."""

    signal: str
    runner: RunnerType
    attempt_id: str
    fingerprint: str = ""
    submitted_at: datetime

    @property
    def placeholder(self) -> bool:
        """No attempt of its own yet (queued for the org's dispatcher, or rebuilt from the
        issues): any result for its signal ends it, and Org Prime ranks it as wanted work."""
        return self.attempt_id.startswith((ORG_QUEUED, REBUILT_ATTEMPT))


class CreateIssue(Frozen):
    """Open (or reopen) the tracking issue of a signal."""

    type: Literal["create-issue"] = "create-issue"
    signal: str
    title: str


class CommentIssue(Frozen):
    """Add one comment to one of Prime's own issues."""

    type: Literal["comment-issue"] = "comment-issue"
    issue: int | None = None
    signal: str | None = None
    body: str


class SubmitJob(Frozen):
    """Hand a fix to a runner through the job queue."""

    type: Literal["submit-job"] = "submit-job"
    signal: str
    runner: RunnerType
    approach: str


class FlagOrg(Frozen):
    """Tell Org Prime about something a single repository cannot solve alone."""

    type: Literal["flag-org"] = "flag-org"
    signal: str | None = None
    reason: str


class CloseIssue(Frozen):
    """Close one of Prime's own issues (its signal recovered, or it is moot)."""

    type: Literal["close-issue"] = "close-issue"
    issue: int | None = None
    signal: str | None = None
    reason: str


class Label(Frozen):
    """Add or remove labels on one of Prime's own issues."""

    type: Literal["label"] = "label"
    issue: int | None = None
    signal: str | None = None
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


class Wait(Frozen):
    """Do nothing on purpose, and say why."""

    type: Literal["wait"] = "wait"
    reason: str


Action = Annotated[
    CreateIssue | CommentIssue | SubmitJob | FlagOrg | CloseIssue | Label | Wait,
    Field(discriminator="type"),
]
ACTION_TYPES: tuple[str, ...] = (
    "create-issue",
    "comment-issue",
    "submit-job",
    "flag-org",
    "close-issue",
    "label",
    "wait",
)
MAX_ACTIONS = 5


class DroppedAction(Frozen):
    """An action a brain proposed that policy refused, kept with the reason."""

    action: dict[str, Any]
    reason: str


class Usage(Frozen):
    """Tokens and money one decision cost."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


class Decision(Frozen):
    """The one decision of a wake: at most five actions, when to wake next, and why."""

    actions: tuple[Action, ...] = Field(default=(), max_length=MAX_ACTIONS)
    next_wake_hours: float = Field(default=6.0, gt=0)
    summary: str
    brain: BrainName = "rules"
    why: str = ""
    dropped: tuple[DroppedAction, ...] = ()
    usage: Usage = Usage()
    # The prompt an LLM decided from (secrets masked); only the newest decision keeps it.
    prompt: str = ""
    # The answer to the maintainers' messages of the wake (conversation); None without one.
    answer: Answer | None = None


class DecisionRecord(Frozen):
    """One line of decisions.jsonl: a decision and the wake it came from."""

    at: datetime
    reason: WakeReason
    decision: Decision


class Spend(Frozen):
    """LLM spend, reset each UTC day."""

    day: str = ""
    usd_today: float = 0.0
    usd_total: float = 0.0
    tokens_total: int = 0
    # brain.budget_usd_per_day when this spend was recorded (shown beside it).
    budget_usd: float = 0.0


class MergedPull(Frozen):
    """An ai-task PR the maintainer merged: how many review rounds and lines it took."""

    pull: int
    signal: str
    at: datetime
    rounds: int = 0
    lines: int = 0
    # Line coverage at the merged head, when the seed names a coverage report.
    coverage: float | None = None


class GrowthCycle(Frozen):
    """One cycle of growth mode (seed.yaml energy.cycle_hours): what was done and spent."""

    started: datetime
    tickets_opened: int = 0
    merged: tuple[MergedPull, ...] = ()
    # Signals of merged tickets a person reopened since (the change was taken back).
    reverted: tuple[str, ...] = ()
    # LLM spend (state.cost.usd_total) when the cycle began, and the newest reading.
    spend_start_usd: float = 0.0
    spend_now_usd: float = 0.0
    # Why growth stopped opening and dispatching tickets in this cycle ("" when it did not).
    held: str = ""


class GrowthTicket(Frozen):
    """A growth ticket as the newest wake left it: its issue and the open PR working on it."""

    signal: str
    issue: int
    state: Literal["open", "closed"]
    # The open Prime PR for its signal, when the wake read Prime's PRs (not a local wake).
    pull: int | None = None


class GrowthReport(Frozen):
    """Growth mode's recent cycles, oldest first."""

    cycles: tuple[GrowthCycle, ...] = ()
    # The growth tickets (issues with a `growth.` marker) as the newest wake left them.
    tickets: tuple[GrowthTicket, ...] = ()


STATE_SCHEMA_VERSION = 1


class PullWait(Frozen):
    """One of Prime's open PRs that waits to merge, and why (the dashboard's block)."""

    number: int
    # waiting: on checks or GitHub's auto-merge; refused: automerge will not merge it;
    # no-checks: its head has no check at all (a GITHUB_TOKEN PR starts no workflow).
    kind: Literal["waiting", "refused", "no-checks"]
    why: str


class PrimeState(Frozen):
    """The working memory of one repository's Prime (state.json on prime-state)."""

    schema_version: int = STATE_SCHEMA_VERSION
    status: Literal["active", "paused"] = "active"
    plan: tuple[PlanItem, ...] = ()
    in_flight: tuple[InFlight, ...] = ()
    last_wake_reason: WakeReason | None = None
    # When the last saved wake began: the next one lists the `/prime` comments since then.
    last_wake_at: datetime | None = None
    last_decision: Decision | None = None
    next_wake_at: datetime | None = None
    wake_count: int = 0
    cost: Spend = Spend()
    identity_hash: str = ""
    signals: tuple[SignalResult, ...] = ()
    # signal -> fingerprint a human said no to (closed issue, PR closed unmerged).
    refused: dict[str, str] = Field(default_factory=dict)
    # signal -> fingerprint on which attempts failed in a way that needs a human (three equal
    # failures, or one that would repeat).
    blocked: dict[str, str] = Field(default_factory=dict)
    # signal -> fingerprint a maintainer approved (a run or retry box, `/prime run`): in
    # approval mode (jobs.require_approval) nothing else is dispatched.
    approved: dict[str, str] = Field(default_factory=dict)
    # signal -> moment before which no new job is submitted for it.
    cooldown_until: dict[str, datetime] = Field(default_factory=dict)
    # signals the user told Prime to leave alone (`/prime skip SIGNAL`).
    skipped: tuple[str, ...] = ()
    # The last wake rebuilt this state from the tracking issues (the state branch was lost).
    rebuilt: bool = False
    # The dashboard issue's number, so a blanked body (marker gone) is repaired in place.
    dashboard_issue: int | None = None
    # Keys of the flag-org messages already sent (never sent twice).
    flagged: tuple[str, ...] = ()
    # Growth mode's report per cycle (seed.yaml); empty without a seed.
    growth: GrowthReport = GrowthReport()
    # Prime's open PRs waiting to merge, and why (the PR poll of the last wake).
    pull_waits: tuple[PullWait, ...] = ()
    # PR number -> the head the growth gate judged last: a head is judged once.
    judged_heads: dict[str, str] = Field(default_factory=dict)
    # What CI eyes read of a failing default branch (cached by head SHA), re-runs, flaky checks.
    ci: CiMemory = CiMemory()
    # signal -> a maintainer's priority change in force (conversation, `/prime priority`).
    priorities: dict[str, Priority] = Field(default_factory=dict)


class RunSheetItem(BaseModel):
    """One row of run-sheet.json (DESIGN §5): the org's ranked work list."""

    model_config = ConfigDict(frozen=True, extra="allow")

    rank: int = Field(ge=1)
    repo: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    signal: str
    runner: RunnerType
    reason: str
    approach: str
    cooldown_hours: float = Field(ge=0)
    added_at: datetime


AttemptStatus = Literal[
    "pending", "running", "success", "failed", "blocked", "timeout", "cancelled"
]


class JobResult(Frozen):
    """A runner's outcome as the repository's Prime hears it (`prime-job-result`)."""

    attempt: str
    signal: str
    status: AttemptStatus
    reason: str = ""
    fingerprint: str = ""
    pr_url: str | None = None


class Attempt(Frozen):
    """One entry of the attempt ledger: the data plane's memory of a dispatch."""

    id: str
    repo: str
    signal: str
    runner: RunnerType
    status: AttemptStatus = "pending"
    fingerprint: str = ""
    reason: str = ""
    pr_url: str | None = None
    run_id: int | None = None
    created_at: datetime
    updated_at: datetime
    heartbeat_at: datetime | None = None
