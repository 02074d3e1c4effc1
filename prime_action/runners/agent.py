"""The agent runner: an LLM coding loop, or an external agent CLI, in a checkout; then the boundary.

With `agent.command` set, that CLI (e.g. `claude -p`) runs in the checkout with the rendered
prompt as its last argument (or on stdin when the command ends with `-`), within
`agent.timeout_seconds`. Otherwise the model answers in the edit-block format of
`runners.edits`: it reads files and proposes edits, each answer validated before it is applied;
the repository's tests run after each edit and their failures go back to the model, within
`agent.max_turns` answers and `agent.budget_usd`. Both end at the PR boundary with the files
changed, and report turns and spend. Untrusted text (identity files, file contents, test
output) reaches the model fenced as data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from prime_action.brain.llm import LLM, Message
from prime_action.brain.prompt import clip, fence, fit_lines
from prime_action.config.models import AgentSettings
from prime_action.domain.errors import LLMError
from prime_action.domain.values import Frozen
from prime_action.runners.boundary import BoundaryError, PrPolicy, PullRequestHost, propose
from prime_action.runners.edits import EditRefused, FormatError, apply_edits, parse_answer
from prime_action.runners.edits import safe_path as _safe_path
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
from prime_action.runners.shell import Changes, CommandResult, Workspace
from prime_action.templating import render

IDENTITY = ("CLAUDE.md", "AGENTS.md")
IDENTITY_CHARS = 6000  # of each identity file in the prompt
FILE_CHARS = 20000  # of a file the model READs
OUTPUT_CHARS = 4000  # of test or CLI output, from the end
LISTING_CHARS = 6000  # of the tracked-file list in the first message
Beat = Callable[[str], None]
NO_AGENT = (
    "the agent runner has no agent: set agent.command (an agent CLI) or agent.model "
    "(the LLM coding loop) in .github/prime.yml"
)


class AgentWorkspace(Workspace, Protocol):
    """The shell runner's Workspace, plus what an agent needs: files, a CLI, changes since."""

    # A file's text in the working tree; None when it is absent.
    def read(self, path: str) -> str | None: ...

    # Write a file's text, creating its folders.
    def write(self, path: str, text: str) -> None: ...

    # The paths git tracks.
    def tracked(self) -> tuple[str, ...]: ...

    # The commit checked out.
    def head(self) -> str: ...

    # Files changed, added or deleted since `base`, committed or not.
    def changes_since(self, base: str) -> Changes: ...

    # Run a program (no shell) with `stdin` on its input, stopped after `timeout` seconds.
    def execute(
        self, argv: tuple[str, ...], stdin: str | None, timeout: float
    ) -> CommandResult: ...


class AgentRequest(Frozen):
    """What the agent runner is asked to do, with the context of its PR."""

    job: Job
    settings: AgentSettings = AgentSettings()
    issue: int | None = None
    policy: PrPolicy = PrPolicy()


class Turn(Frozen):
    """What one answer did: feedback for the model, or the end of the loop."""

    feedback: str = ""
    edited: tuple[str, ...] = ()
    tests_pass: bool | None = None  # None: no tests ran this turn
    done: str | None = None  # the model's summary, once it may finish
    stop: str | None = None  # why the attempt ends without a change
    # The agent asked for a human: the same input would end the same way, so it blocks.
    escalated: bool = False
    # An edit outside the contract: refused again on the same input, so it blocks too.
    refused: bool = False


def _no_beat(_: str) -> None:
    return None


def run_agent(
    request: AgentRequest,
    workspace: AgentWorkspace,
    host: PullRequestHost,
    now: datetime,
    *,
    llm: LLM | None = None,
    beat: Beat = _no_beat,
) -> RunResult:
    """Run the agent (the CLI when `agent.command` is set, else the LLM loop), then propose.

    Args:
        request: the job, the agent settings, the tracking issue and the PR policy.
        workspace: the checkout of the target repository at its default branch.
        host: the target repository behind the PR boundary.
        now: the current moment (a datetime).
        llm: the coding loop's model; None when no model is configured.
        beat: called with a progress line at each step (heartbeats).

    Returns:
        The run's result: a PR, nothing to change, or why not.
    """
    draft = draft_agent(request, workspace, llm=llm, beat=beat)
    return draft if isinstance(draft, RunResult) else propose_agent(request, host, now, draft)


def draft_agent(
    request: AgentRequest, workspace: AgentWorkspace, *, llm: LLM | None, beat: Beat = _no_beat
) -> Draft | RunResult:
    """Run the agent: the files it changed, with its summary, or why the attempt ends here."""
    if request.settings.command:
        return run_cli(request, workspace, beat=beat)
    if llm is None:
        return blocked(request.job.attempt, NO_AGENT)
    return run_loop(request, workspace, llm=llm, beat=beat)


def agent_prompt(request: AgentRequest, workspace: AgentWorkspace, *, cli: bool) -> str:
    """The agent's system prompt: identity, task, contract, tools, finish and escalate."""
    found = {p: workspace.read(p) for p in IDENTITY}
    identity = "\n\n".join(fence(clip(t, IDENTITY_CHARS), p) for p, t in found.items() if t)
    job, settings = request.job, request.settings
    return render("prompts/agent.md.j2", repo=job.repo, signal=job.signal, approach=job.approach,
                  issue=request.issue, rails=request.policy.rails, cli=cli,
                  test_command=settings.test_command, max_turns=settings.max_turns,
                  identity=identity)  # fmt: skip


def run_tests(workspace: AgentWorkspace, settings: AgentSettings) -> tuple[bool, str]:
    """Run `agent.test_command`: whether it passed, and a report for the model."""
    command = settings.test_command or "true"
    result = workspace.run(command, settings.timeout_seconds)
    if result.timed_out:
        return False, f"`{command}` did not finish within {settings.timeout_seconds:g} s."
    output = fence(clip_tail(result.output, OUTPUT_CHARS), f"`{command}` output")
    verdict = "passed" if result.code == 0 else f"failed (exit {result.code})"
    return result.code == 0, f"The tests {verdict}.\n{output}"


def clip_tail(text: str, limit: int) -> str:
    """The last `limit` characters of `text` (the end of an output says what failed)."""
    return text if len(text) <= limit else f"[... {len(text) - limit} characters]\n{text[-limit:]}"


def first_message(workspace: AgentWorkspace, settings: AgentSettings) -> str:
    """The tracked files, and the tests before any change."""
    listing = fit_lines(list(workspace.tracked()), LISTING_CHARS)
    text = f"The repository's files:\n{fence(listing, 'git ls-files')}\n"
    if settings.test_command:
        _, report = run_tests(workspace, settings)
        text += f"\nBefore any change: {report}\n"
    return text + "\nYour first answer."


def take_turn(answer: str, workspace: AgentWorkspace, request: AgentRequest) -> Turn:
    """Apply one answer: edits (all or none), then tests, then reads, then its verdict."""
    try:
        parsed = parse_answer(answer)
    except FormatError as e:
        return Turn(feedback=f"Your answer broke the format: {e}. Nothing was applied.")
    if parsed.escalate:
        return Turn(stop=f"the agent escalated: {parsed.escalate}", escalated=True)
    try:
        texts = apply_edits(parsed.edits, workspace.read, request.policy.rails)
    except EditRefused as e:
        return Turn(stop=f"nothing pushed: the agent proposed an edit outside the repository's "
                    f"contract: {e}", refused=True)  # fmt: skip
    except FormatError as e:
        return Turn(feedback=f"Nothing was applied: {e}.")
    for path, text in texts.items():
        workspace.write(path, text)
    notes = [f"Applied {len(parsed.edits)} edit(s) to {', '.join(sorted(texts))}."] if texts else []
    passed: bool | None = None
    if texts and request.settings.test_command:
        passed, report = run_tests(workspace, request.settings)
        notes.append(report)
    notes.extend(_read(workspace, path) for path in parsed.reads)
    return Turn(feedback="\n\n".join(notes), edited=tuple(sorted(texts)), tests_pass=passed,
                done=parsed.done)  # fmt: skip


def _read(workspace: AgentWorkspace, path: str) -> str:
    try:
        clean = _safe_path(path)
    except FormatError as e:
        return f"READ {path}: {e}."
    text = workspace.read(clean)
    if text is None:
        return f"READ {clean}: no such file."
    return f"READ {clean}:\n{fence(clip(text, FILE_CHARS), clean)}"


class _Progress(Frozen):
    edited: frozenset[str] = frozenset()
    tests_pass: bool = True
    spent: float = 0.0
    turns: int = 0

    def work(self) -> str:
        return f"{self.turns} turn(s), ${self.spent:.4f}"


def _advance(progress: _Progress, turn: Turn, cost: float) -> _Progress:
    tests = progress.tests_pass if turn.tests_pass is None else turn.tests_pass
    return progress.model_copy(update={"edited": progress.edited | set(turn.edited),
                                       "tests_pass": tests, "spent": progress.spent + cost,
                                       "turns": progress.turns + 1})  # fmt: skip


def run_loop(
    request: AgentRequest, workspace: AgentWorkspace, *, llm: LLM, beat: Beat = _no_beat
) -> Draft | RunResult:
    """The LLM coding loop; see the module docstring."""
    settings, attempt = request.settings, request.job.attempt
    messages: tuple[Message, ...] = (
        Message(role="system", content=agent_prompt(request, workspace, cli=False)),
        Message(role="user", content=first_message(workspace, settings)),
    )
    progress = _Progress()
    while progress.turns < settings.max_turns:
        if progress.spent >= settings.budget_usd:
            budget = f"agent.budget_usd (${settings.budget_usd:g})"
            return failed(attempt, f"spent ${progress.spent:.4f} of {budget} without finishing "
                          f"({progress.work()})")  # fmt: skip
        beat(f"agent turn {progress.turns + 1} of {settings.max_turns}")
        try:
            completion = llm.complete(messages, {})
        except LLMError as e:
            return failed(attempt, f"the model call failed: {e} ({progress.work()})")
        turn = take_turn(completion.text, workspace, request)
        progress = _advance(progress, turn, completion.usage.cost_usd)
        if turn.stop:
            end = blocked if turn.escalated or turn.refused else failed
            return end(attempt, f"{turn.stop} ({progress.work()})")
        if turn.done is not None and progress.tests_pass:
            files = {path: workspace.read(path) or "" for path in sorted(progress.edited)}
            return Draft(files=files, summary=turn.done, work=progress.work())
        feedback = turn.feedback or "Nothing happened: use READ, EDIT, DONE or ESCALATE."
        if turn.done is not None:
            feedback += "\n\nDONE refused: the tests do not pass. Fix them, or ESCALATE."
        messages = (*messages, Message(role="assistant", content=completion.text),
                    Message(role="user", content=feedback))  # fmt: skip
    return failed(attempt, f"no DONE within agent.max_turns ({settings.max_turns}); "
                  f"{progress.work()}")  # fmt: skip


def run_cli(
    request: AgentRequest, workspace: AgentWorkspace, *, beat: Beat = _no_beat
) -> Draft | RunResult:
    """Run `agent.command` in the checkout, then propose what it changed since the start."""
    settings, attempt = request.settings, request.job.attempt
    prompt = agent_prompt(request, workspace, cli=True)
    on_stdin = settings.command[-1] == "-"
    argv = settings.command if on_stdin else (*settings.command, prompt)
    base = workspace.head()
    beat(f"agent CLI {settings.command[0]} started")
    result = workspace.execute(argv, prompt if on_stdin else None, settings.timeout_seconds)
    tail = clip_tail(result.output, OUTPUT_CHARS // 2).strip()
    if result.timed_out:
        return failed(attempt, f"`{settings.command[0]}` did not finish within "
                      f"{settings.timeout_seconds:g} s (agent.timeout_seconds)")  # fmt: skip
    escalation = _escalation(result.output)
    if escalation:
        return blocked(attempt, f"the agent escalated: {escalation}")
    if result.code != 0:
        return failed(attempt, f"`{settings.command[0]}` exited with {result.code}: {tail}")
    changes = workspace.changes_since(base)
    if changes.deleted:
        return failed(attempt, f"the agent deleted {', '.join(changes.deleted)}; "
                      "the agent runner proposes edits and new files only")  # fmt: skip
    if changes.files and settings.test_command:
        passed, report = run_tests(workspace, settings)
        if not passed:
            return failed(attempt, f"the agent's change fails the tests: {clip_tail(report, 1000)}")
    return Draft(files=changes.files)


def _escalation(output: str) -> str | None:
    lines = [line.strip() for line in output.splitlines()]
    found = [line[len("ESCALATE") :].strip() for line in lines if line.startswith("ESCALATE ")]
    return found[-1] if found else None


def propose_agent(
    request: AgentRequest, host: PullRequestHost, now: datetime, draft: Draft
) -> RunResult:
    """Take the agent's change through the PR boundary, its body naming the agent's work."""
    job, settings = request.job, request.settings
    tool = " ".join(settings.command) if settings.command else None
    body = render("pulls/agent.md.j2", marker=pr_marker(job.signal), signal=job.signal,
                  tool=tool, summary=draft.summary, approach=job.approach,
                  files=sorted(draft.files), test_command=settings.test_command,
                  issue=request.issue, attempt=job.attempt, work=draft.work)  # fmt: skip
    try:
        proposal = propose(host, job.signal, draft.files, title=f"Prime: fix {job.signal}",
                           body=body, now=now, policy=request.policy)  # fmt: skip
    except BoundaryError as e:
        return from_refusal(job.attempt, e)
    result = from_proposal(job.attempt, job.signal, proposal)
    if not draft.work:
        return result
    outcome = result.outcome.model_copy(
        update={"reason": f"{result.outcome.reason} ({draft.work})"}
    )
    return result.model_copy(update={"outcome": outcome})
