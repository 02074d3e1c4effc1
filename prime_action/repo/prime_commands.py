"""`/prime` commands from trusted maintainers, applied to the working memory as pure updates."""

from __future__ import annotations

from datetime import datetime, timedelta

from prime_action.config.models import TrustSettings
from prime_action.domain.commands import COMMANDS, DIRECTIONS, PER_SIGNAL, mentions
from prime_action.domain.conversation import Message, Priority
from prime_action.domain.markers import PREFIX, comment_marker
from prime_action.domain.models import PrimeState
from prime_action.domain.values import Frozen
from prime_action.events.comments import command_words, message_text


class CommandOutcome(Frozen):
    """The state after a command and which reply to render (a template key)."""

    state: PrimeState
    reply: str
    signal: str | None = None


def _needs_signal(command: str, args: tuple[str, ...], known: set[str]) -> str | None:
    if not args:
        return "missing-signal"
    if args[0] not in known:
        return "unknown-signal"
    return None


def apply_command(
    state: PrimeState,
    command: str,
    args: tuple[str, ...],
    known_signals: set[str],
    until: datetime | None = None,
) -> CommandOutcome:
    """Apply one `/prime` command.

    Args:
        state: the working memory before the command.
        command: the command word (`skip` for `/prime skip ci`).
        args: the words after it.
        known_signals: names of the signals this repository has.
        until: when a priority set now expires (`/prime priority SIGNAL up|down`); without
            it a priority can only be cleared.

    Returns:
        The new state and the reply key: the command's name when it worked, or `help`,
        `missing-signal`, `unknown-signal`, `priority-up|down|clear`, `priority-usage`.
        `run SIGNAL` clears the signal's holds like `retry`; the wake then submits its job
        first, past `jobs.max_in_flight`.
    """
    if command not in COMMANDS:
        return CommandOutcome(state=state, reply="help")
    if command in PER_SIGNAL:
        problem = _needs_signal(command, args, known_signals)
        if problem:
            return CommandOutcome(state=state, reply=problem, signal=args[0] if args else None)
        if command == "priority":
            return _priority(state, args, until)
        return CommandOutcome(
            state=_per_signal(state, command, args[0]), reply=command, signal=args[0]
        )
    updates = {"pause": {"status": "paused"}, "resume": {"status": "active"}}.get(command, {})
    return CommandOutcome(state=state.model_copy(update=updates), reply=command)


def _priority(state: PrimeState, args: tuple[str, ...], until: datetime | None) -> CommandOutcome:
    """`/prime priority SIGNAL up|down|clear`: this repository's plan order, for a while."""
    signal, direction = args[0], (args[1:] or ("",))[0].lower()
    if direction not in DIRECTIONS or (direction != "clear" and until is None):
        return CommandOutcome(state=state, reply="priority-usage", signal=signal)
    kept = {k: v for k, v in state.priorities.items() if k != signal}
    if direction != "clear" and until is not None:
        kept[signal] = Priority(direction="up" if direction == "up" else "down", until=until)
    updated = state.model_copy(update={"priorities": kept})
    return CommandOutcome(state=updated, reply=f"priority-{direction}", signal=signal)


def _per_signal(state: PrimeState, command: str, signal: str) -> PrimeState:
    if command == "skip":
        skipped = tuple(sorted({*state.skipped, signal}))
        return state.model_copy(update={"skipped": skipped})
    # retry and run: forget every reason to hold the signal back, and un-skip it; `run`
    # also puts the signal first in this wake's plan (see `prepare`).
    return state.model_copy(
        update={
            "skipped": tuple(s for s in state.skipped if s != signal),
            "blocked": {k: v for k, v in state.blocked.items() if k != signal},
            "refused": {k: v for k, v in state.refused.items() if k != signal},
            "cooldown_until": {k: v for k, v in state.cooldown_until.items() if k != signal},
        }
    )


class SeenComment(Frozen):
    """One issue or pull-request comment of the repository, as the wake listed it."""

    id: int
    issue: int
    body: str
    author: str
    bot: bool = False
    association: str = "NONE"
    created_at: datetime
    on_pull: bool = False


class PendingCommand(Frozen):
    """A trusted `/prime` command, or message to Prime, that no reply of Prime's answers yet."""

    comment: int
    issue: int
    command: str
    args: tuple[str, ...] = ()
    # Free text (`/prime <words>` that are no command, a mention): a message when it was
    # written on one of Prime's threads (the wake knows them), else a command as before.
    text: str = ""
    author: str = ""
    mention: bool = False

    def message(self) -> Message:
        """The comment as a message to Prime."""
        return Message(comment=self.comment, issue=self.issue, author=self.author, text=self.text)


# How far back a wake without a last wake (first wake, lost state) looks for commands, and
# how much before the last wake a wake looks again: a comment posted while the last wake
# ran may have missed its listing (the reply markers keep a command from being answered twice).
FIRST_LOOKBACK = timedelta(hours=24)
OVERLAP = timedelta(minutes=15)


def commands_since(last_wake: datetime | None, now: datetime) -> datetime:
    """From when a wake lists comments: a little before the last wake, else a day back."""
    return last_wake - OVERLAP if last_wake is not None else now - FIRST_LOOKBACK


def unanswered(
    comments: tuple[SeenComment, ...],
    trust: TrustSettings,
    since: datetime,
    *,
    skip: int | None,
    mention: str | None = None,
) -> tuple[PendingCommand, ...]:
    """The trusted `/prime` commands and messages among the listed comments, unanswered.

    Args:
        comments: the repository's comments updated since `since`, in any order.
        trust: who may command Prime, and Prime's own login.
        since: comments created before it were read by an earlier wake.
        skip: the comment this wake's own event carries (its command is applied already).
        mention: conversation.mention: a login whose mention is a message to Prime.

    Returns:
        The commands, and the free text (`/prime <words>` that are no command, a mention)
        with its `text`, oldest first; the wake tells messages to Prime from the rest by
        the issue they are on. A reply counts only when Prime wrote it: anyone can post a
        comment carrying a reply marker. Free text on pull requests (the agent's follow-up
        instructions) is left to its own event.
    """
    answered = {c.body for c in comments if c.author == trust.prime_login and PREFIX in c.body}
    pending = []
    for comment in sorted(comments, key=lambda c: (c.created_at, c.id)):
        words = command_words(comment.body)
        mentioned = words is None and mentions(comment.body, mention)
        if (words is None and not mentioned) or comment.id == skip or comment.created_at < since:
            continue
        if not _trusted(comment, trust) or _replied(comment.id, answered):
            continue
        command, *args = words or (("",) if mentioned else ("help",))
        free = mentioned or command.lower() not in (*COMMANDS, "help")
        if comment.on_pull and free:
            continue
        pending.append(
            PendingCommand(
                comment=comment.id,
                issue=comment.issue,
                command=command.lower(),
                args=tuple(args),
                text=message_text(comment.body) if free else "",
                author=comment.author if free else "",
                mention=mentioned,
            )
        )
    return tuple(pending)


def answered(comments: tuple[SeenComment, ...], trust: TrustSettings, comment: int) -> bool:
    """Whether one of Prime's own comments among `comments` replies to `comment`."""
    mine = {c.body for c in comments if c.author == trust.prime_login and PREFIX in c.body}
    return _replied(comment, mine)


def _trusted(comment: SeenComment, trust: TrustSettings) -> bool:
    if comment.author == trust.prime_login or (comment.bot and comment.author not in trust.bots):
        return False
    return comment.association in trust.associations


def _replied(comment: int, answered: set[str]) -> bool:
    marker = comment_marker(f"reply-{comment}")
    return any(marker in body for body in answered)
