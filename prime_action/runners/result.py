"""What every runner hands back: the outcome, plus a change a human must make by hand."""

from __future__ import annotations

from pydantic import Field

from prime_action.dispatch.outcomes import SKIPPED, Outcome, OutcomeStatus
from prime_action.domain.values import Frozen
from prime_action.runners.boundary import (
    BoundaryError,
    PathRefused,
    Proposal,
    WorkflowRefused,
    branch_name,
)

# The reason of an attempt whose fix found nothing to write while its signal still failed.
NOTHING_TO_CHANGE = "nothing to change while the signal fails: "


class Draft(Frozen):
    """A runner's change before the PR boundary: the files, and what its PR says of them.

    In the runner workflow's read-only job this is what travels, as a patch and a report, to
    the writing job (DESIGN §8); in one process it goes straight to the boundary.
    """

    files: dict[str, str]
    summary: str = ""  # the agent's DONE line
    work: str = ""  # the coding loop's turns and spend


class RunResult(Frozen):
    """A runner's outcome; `manual` holds refused workflow files that an issue explains."""

    outcome: Outcome
    manual: dict[str, str] = Field(default_factory=dict)


def from_proposal(attempt: str, signal: str, proposal: Proposal) -> RunResult:
    """The outcome of a proposal: a PR (success), nothing to change, or a rule's skip (failed).

    Nothing to change while the signal still fails is no success: the same fix would find
    nothing again at every cooldown (issue 16's dead loops), so it blocks once with why.
    """
    if proposal.skipped:
        return failed(attempt, f"{SKIPPED}{proposal.note}")
    if proposal.pull is None:
        return blocked(attempt, f"{NOTHING_TO_CHANGE}{proposal.note}")
    note = proposal.note or (
        "committed" if proposal.committed else f"{branch_name(signal)} already had it"
    )
    outcome = Outcome(attempt=attempt, status="success", reason=note, pr_url=proposal.pull.url)
    return RunResult(outcome=outcome)


def from_refusal(attempt: str, error: BoundaryError) -> RunResult:
    """A refused change: nothing pushed; a path outside the contract blocks at once, since the
    same input is refused again, and other refusals fail with the reason."""
    manual = error.files if isinstance(error, WorkflowRefused) else {}
    status: OutcomeStatus = "blocked" if isinstance(error, PathRefused) else "failed"
    return RunResult(outcome=Outcome(attempt=attempt, status=status, reason=str(error)),
                     manual=manual)  # fmt: skip


def failed(attempt: str, reason: str) -> RunResult:
    """A failed attempt with its reason."""
    return RunResult(outcome=Outcome(attempt=attempt, status="failed", reason=reason))


def blocked(attempt: str, reason: str) -> RunResult:
    """An attempt that would fail the same way again: blocked at once, with its reason.

    Three equal failures block an item (DESIGN §6) because a failure may not repeat; one that
    says so itself (an agent that escalates to a human, a runner with no agent) needs no
    second and third try with the same input.
    """
    return RunResult(outcome=Outcome(attempt=attempt, status="blocked", reason=reason))
