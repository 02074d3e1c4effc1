"""One Org Prime run as a pure function: what was read in, what to write out."""

from __future__ import annotations

from datetime import datetime
from itertools import chain

from prime_action.brain.llm import LLM
from prime_action.config.org import OrgConfig
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import Attempt, RunSheetItem
from prime_action.domain.values import Frozen
from prime_action.org import delegation, runsheet
from prime_action.org.alarm import Alarm, due_wakes, record_wakes
from prime_action.org.dashboard import (
    DELEGATIONS_SHOWN,
    OrgView,
    build_view,
    render_issue,
    render_status,
)
from prime_action.org.filters import select
from prime_action.org.model import (
    CommandComment,
    DelegationStatus,
    Flag,
    OrgState,
    Reply,
    RepoFacts,
)
from prime_action.org.patterns import find_patterns
from prime_action.org.priorities import PriorityCommand, apply_commands, pending_commands
from prime_action.org.ranking import not_dispatched, rank
from prime_action.org.rerank import rerank
from prime_action.templating import render

MAX_FLAGS = 20


class OrgInputs(Frozen):
    """Everything one run read, as values."""

    owner: str
    config: OrgConfig
    # The org repository (OWNER/NAME): Org Prime never dispatches into it.
    home: str = ""
    state: OrgState = OrgState()
    repos: tuple[RepoFacts, ...] = ()
    ledger: tuple[Attempt, ...] = ()
    run_sheet_text: str | None = None
    comments: tuple[CommandComment, ...] = ()
    flag: Flag | None = None
    warnings: tuple[str, ...] = ()
    now: datetime


class OrgOutcome(Frozen):
    """What the run concluded; the shell writes only what differs from what it read."""

    run_sheet: tuple[RunSheetItem, ...]
    run_sheet_text: str
    status_md: str
    dashboard: str
    state: OrgState
    priority_replies: tuple[Reply, ...] = ()
    delegate_commands: tuple[delegation.DelegateCommand, ...] = ()
    view: OrgView
    config: OrgConfig
    # The `prime-wake` events this run owes (already recorded in `state.woken`).
    alarm: Alarm = Alarm()

    @property
    def replies(self) -> tuple[Reply, ...]:
        """Every answer owed to a dashboard command, delegations with how they went."""
        return (*self.priority_replies, *delegation.replies(self.delegate_commands, self.state))


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


def aggregate(inputs: OrgInputs, llm: LLM | None = None) -> OrgOutcome:
    """Filter, apply priority commands, rank, find patterns and render the outputs.

    Args:
        inputs: the owner's repositories as read, the org state, the ledger, the last run
            sheet's text, the dashboard's comments, a flag that woke this run, and now.
        llm: the model that may reorder the top of the run sheet (one call at most), or
            None for the deterministic order alone.

    Returns:
        The run sheet (ranks 1..n) with its canonical text, STATUS.md, the dashboard body,
        the new org state and the replies owed to command comments.
    """
    config = inputs.config
    before = delegation.interrupted(inputs.state)
    commands = pending_commands(inputs.comments, before, config.trust)
    state = _with_flag(apply_commands(before, commands), inputs.flag)
    kept, excluded = select(inputs.repos, config)
    previous, problem = runsheet.load(inputs.run_sheet_text)
    ranked = rank(
        kept,
        config=config,
        state=state,
        ledger=inputs.ledger,
        previous=previous,
        now=inputs.now,
        home=inputs.home,
    )
    reranked = rerank(
        ranked.items,
        previous=previous,
        state=state,
        settings=config.brain,
        llm=llm,
        now=inputs.now,
    )
    sheet, beyond = runsheet.bounded(reranked.items, config.run_sheet_max_items)
    ranked, state = ranked.model_copy(update={"items": sheet}), reranked.state
    warnings = (*inputs.warnings, *([problem] if problem else []))
    patterns = find_patterns(kept)
    asked = delegation.pending_commands(
        inputs.comments, before, config.trust, kept, ranked.needs_human
    )
    new = chain(
        delegation.from_commands(asked, kept, inputs.now),
        delegation.from_patterns(state, patterns, kept, ranked.needs_human, inputs.now),
    )
    state = delegation.record(state, new, asked)
    wakes = due_wakes(kept, state, inputs.now, config.max_wakes_per_run)
    due = {r.repo: r.state.next_wake_at for r in kept if r.managed and r.state is not None}
    state = record_wakes(state, wakes, due)
    view = build_view(
        inputs.owner,
        config,
        state,
        kept,
        excluded=excluded,
        run_sheet=ranked.items,
        needs_human=ranked.needs_human,
        patterns=patterns,
        warnings=warnings,
        ranking_note=reranked.note,
        not_dispatched=not_dispatched(kept, config, inputs.home),
        run_sheet_beyond=beyond,
    )
    return OrgOutcome(
        run_sheet=ranked.items,
        run_sheet_text=runsheet.dump(ranked.items),
        status_md=render_status(view),
        dashboard=render_issue(view),
        state=state,
        priority_replies=_replies(commands),
        delegate_commands=asked,
        view=view,
        config=config,
        alarm=wakes,
    )


def settle(outcome: OrgOutcome, results: dict[str, tuple[DelegationStatus, str]]) -> OrgOutcome:
    """The outcome once the delegations went out: state, dashboard and replies say how.

    Args:
        outcome: from `aggregate`.
        results: "OWNER/NAME:signal" -> (status, error) of each delegation sent.

    Returns:
        The outcome with its state, view, STATUS.md and dashboard re-rendered.
    """
    state = delegation.settle(outcome.state, results)
    view = outcome.view.model_copy(update={"delegations": state.delegations[-DELEGATIONS_SHOWN:]})
    return outcome.model_copy(
        update={
            "state": state,
            "view": view,
            "status_md": render_status(view),
            "dashboard": render_issue(view),
        }
    )
