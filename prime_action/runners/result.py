"""What every runner hands back: the outcome, plus a change a human must make by hand."""

from __future__ import annotations

from pydantic import Field

from prime_action.dispatch.outcomes import SKIPPED, Outcome
from prime_action.domain.models import Frozen
from prime_action.runners.boundary import BoundaryError, Proposal, WorkflowRefused, branch_name


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
    """The outcome of a proposal: a PR, nothing to do (success), or a rule's skip (failed)."""
    if proposal.skipped:
        return failed(attempt, f"{SKIPPED}{proposal.note}")
    if proposal.pull is None:
        return RunResult(outcome=Outcome(attempt=attempt, status="success", reason=proposal.note))
    note = proposal.note or (
        "committed" if proposal.committed else f"{branch_name(signal)} already had it"
    )
    outcome = Outcome(attempt=attempt, status="success", reason=note, pr_url=proposal.pull.url)
    return RunResult(outcome=outcome)


def from_refusal(attempt: str, error: BoundaryError) -> RunResult:
    """A refused change: nothing pushed, the attempt fails with the reason."""
    manual = error.files if isinstance(error, WorkflowRefused) else {}
    return RunResult(outcome=Outcome(attempt=attempt, status="failed", reason=str(error)),
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
