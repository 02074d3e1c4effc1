"""The shell runner: the signal's configured commands in a checkout, the diff through the boundary.

The checkout is a port (`Workspace`): the runner workflow's checkout of the target repository
at its default branch in Actions, a temporary `git init` in tests. Commands run one after the
other with a timeout each; the first that fails or times out ends the attempt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from prime_action.domain.values import Frozen
from prime_action.runners.boundary import BoundaryError, PrPolicy, PullRequestHost, propose
from prime_action.runners.fileops import pr_marker
from prime_action.runners.job import Job
from prime_action.runners.result import (
    Draft,
    RunResult,
    blocked,
    failed,
    from_proposal,
    from_refusal,
)
from prime_action.templating import render

OUTPUT_TAIL = 2000  # characters of a failed command's output kept in the reason


class CommandResult(Frozen):
    """How a command ended."""

    code: int
    output: str = ""  # stdout and stderr, interleaved
    timed_out: bool = False


class Changes(Frozen):
    """The checkout's changes against its HEAD: new texts, and paths deleted."""

    files: dict[str, str]
    deleted: tuple[str, ...] = ()


class Workspace(Protocol):
    """A working tree of the target repository at its default branch."""

    # Run one shell command in the working tree, stopped after `timeout` seconds.
    def run(self, command: str, timeout: float) -> CommandResult: ...

    # The files changed, added or deleted since HEAD.
    def changes(self) -> Changes: ...


class Request(Frozen):
    """What the shell runner is asked to do, with the context of its PR."""

    job: Job
    commands: tuple[str, ...]
    timeout: float
    issue: int | None = None
    policy: PrPolicy = PrPolicy()


def run_commands(workspace: Workspace, commands: tuple[str, ...], timeout: float) -> str | None:
    """Run the commands in order; the reason the first failing one failed, or None."""
    for command in commands:
        result = workspace.run(command, timeout)
        if result.timed_out:
            return f"`{command}` did not finish within {timeout:g} s (jobs.shell_timeout_seconds)"
        if result.code != 0:
            tail = result.output[-OUTPUT_TAIL:].strip()
            return f"`{command}` exited with {result.code}: {tail}"
    return None


def run_shell(
    request: Request, workspace: Workspace, host: PullRequestHost, now: datetime
) -> RunResult:
    """Run the signal's commands, then propose what they changed.

    Args:
        request: the job, its commands and timeout, tracking issue and PR policy.
        workspace: the checkout the commands run in.
        host: the target repository behind the PR boundary.
        now: the current moment.

    Returns:
        The run's result: a PR, nothing to change, or why not.
    """
    draft = draft_shell(request, workspace)
    return draft if isinstance(draft, RunResult) else propose_shell(request, host, now, draft)


def draft_shell(request: Request, workspace: Workspace) -> Draft | RunResult:
    """Run the signal's commands: the files they changed, or why the attempt ends here."""
    job = request.job
    if not request.commands:
        return blocked(job.attempt, f"no commands for '{job.signal}': set jobs.shell_commands")
    reason = run_commands(workspace, request.commands, request.timeout)
    if reason:
        return failed(job.attempt, reason)
    changes = workspace.changes()
    if changes.deleted:
        return failed(job.attempt, f"the commands deleted {', '.join(changes.deleted)}; "
                      "the shell runner proposes edits and new files only")  # fmt: skip
    return Draft(files=changes.files)


def propose_shell(
    request: Request, host: PullRequestHost, now: datetime, draft: Draft
) -> RunResult:
    """Take the commands' change through the PR boundary, its body naming the commands."""
    job = request.job
    body = render(
        "pulls/shell.md.j2",
        marker=pr_marker(job.signal),
        signal=job.signal,
        approach=job.approach,
        commands=request.commands,
        files=sorted(draft.files),
        issue=request.issue,
        attempt=job.attempt,
    )
    title = f"Prime: fix {job.signal}"
    try:
        proposal = propose(host, job.signal, draft.files, title=title, body=body, now=now,
                           policy=request.policy)  # fmt: skip
    except BoundaryError as e:
        return from_refusal(job.attempt, e)
    return from_proposal(job.attempt, job.signal, proposal)
