"""One Org Prime run as a pure function: what was read in, what to write out."""

from __future__ import annotations

from datetime import datetime

from prime_action.config.models import OrgConfig
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import Attempt, Frozen, RunSheetItem
from prime_action.org import runsheet
from prime_action.org.dashboard import OrgView, build_view, render_issue, render_status
from prime_action.org.filters import select
from prime_action.org.model import CommandComment, Flag, OrgState, RepoFacts
from prime_action.org.patterns import find_patterns
from prime_action.org.priorities import PriorityCommand, apply_commands, pending_commands
from prime_action.org.ranking import rank
from prime_action.templating import render

MAX_FLAGS = 20


class OrgInputs(Frozen):
    """Everything one run read, as values."""

    owner: str
    config: OrgConfig
    state: OrgState = OrgState()
    repos: tuple[RepoFacts, ...] = ()
    ledger: tuple[Attempt, ...] = ()
    run_sheet_text: str | None = None
    comments: tuple[CommandComment, ...] = ()
    flag: Flag | None = None
    warnings: tuple[str, ...] = ()
    now: datetime


class Reply(Frozen):
    """One answer to a `/prime priority` comment; the marker keeps it from being posted twice."""

    comment: int
    marker: str
    body: str


class OrgOutcome(Frozen):
    """What the run concluded; the shell writes only what differs from what it read."""

    run_sheet: tuple[RunSheetItem, ...]
    run_sheet_text: str
    status_md: str
    dashboard: str
    state: OrgState
    replies: tuple[Reply, ...] = ()
    view: OrgView
    config: OrgConfig


def _replies(commands: tuple[PriorityCommand, ...]) -> tuple[Reply, ...]:
    found = []
    for command in commands:
        marker = comment_marker(f"priority-{command.comment}-{command.key or 'usage'}")
        body = render("org/priority-reply.md.j2", marker=marker, command=command)
        found.append(Reply(comment=command.comment, marker=marker, body=body))
    return tuple(found)


def _with_flag(state: OrgState, flag: Flag | None) -> OrgState:
    if flag is None or flag in state.flags:
        return state
    return state.model_copy(update={"flags": (*state.flags, flag)[-MAX_FLAGS:]})


def aggregate(inputs: OrgInputs) -> OrgOutcome:
    """Filter, apply priority commands, rank, find patterns and render the outputs.

    Args:
        inputs: the owner's repositories as read, the org state, the ledger, the last run
            sheet's text, the dashboard's comments, a flag that woke this run, and now.

    Returns:
        The run sheet (ranks 1..n) with its canonical text, STATUS.md, the dashboard body,
        the new org state and the replies owed to command comments.
    """
    config = inputs.config
    commands = pending_commands(inputs.comments, inputs.state, config.trust)
    state = _with_flag(apply_commands(inputs.state, commands), inputs.flag)
    kept, excluded = select(inputs.repos, config)
    previous, problem = runsheet.load(inputs.run_sheet_text)
    ranked = rank(
        kept, config=config, state=state, ledger=inputs.ledger, previous=previous, now=inputs.now
    )
    warnings = (*inputs.warnings, *([problem] if problem else []))
    view = build_view(
        inputs.owner,
        config,
        state,
        kept,
        excluded=excluded,
        run_sheet=ranked.items,
        needs_human=ranked.needs_human,
        patterns=find_patterns(kept),
        warnings=warnings,
    )
    return OrgOutcome(
        run_sheet=ranked.items,
        run_sheet_text=runsheet.dump(ranked.items),
        status_md=render_status(view),
        dashboard=render_issue(view),
        state=state,
        replies=_replies(commands),
        view=view,
        config=config,
    )
