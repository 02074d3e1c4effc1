"""Comments to Prime: a `/prime` command, an instruction on a PR, or a message on its threads."""

from __future__ import annotations

from prime_action.domain.commands import COMMANDS, mentions
from prime_action.domain.conversation import Message
from prime_action.domain.markers import find_signal
from prime_action.events.model import Event, Issue
from prime_action.events.verdict import Gate, Ignore, Wake, missing

COMMAND_PREFIX = "/prime"


def comment_wake(event: Event, gate: Gate) -> Wake | Ignore:
    """Route a new comment: a trusted command or message wakes Prime, anything else not.

    Args:
        event: an `issue_comment: created` event.
        gate: trust, the dashboard's number and the login whose mention is a message.

    Returns:
        A command, instruction or conversation Wake, or an Ignore saying why not.
    """
    comment = event.comment
    if comment is None:
        return missing(event, "a comment")
    words = command_words(comment.body)
    mentioned = words is None and mentions(comment.body, gate.mention)
    if words is None and not mentioned:
        return Ignore(reason="comment is not a /prime command")
    association = event.author_association or "NONE"
    if association not in gate.trust.associations:
        return Ignore(reason=f"untrusted actor {event.actor} ({association}) sent a command")
    if mentioned or (words and words[0].lower() not in COMMANDS):
        return _free_text(event, gate, mentioned=mentioned)
    command, *args = words or ("help",)
    return Wake(
        reason="command",
        detail=f"{' '.join((COMMAND_PREFIX, *(words or ())))} from {event.actor}",
        command=command.lower(),
        command_args=tuple(args),
        issue=event.issue.number if event.issue else None,
    )


def _free_text(event: Event, gate: Gate, *, mentioned: bool) -> Wake | Ignore:
    """A trusted comment that is no command word: an instruction, a message, or help.

    On a pull request `/prime <words>` is for the agent working on it; on one of Prime's
    threads it (or a mention) is a message to Prime; elsewhere `/prime <words>` gets the
    commands' help and a mention nothing.
    """
    issue, comment = event.issue, event.comment
    if issue is None or comment is None:
        return missing(event, "an issue")
    if issue.is_pull_request:
        if mentioned:
            return Ignore(reason="a mention on a pull request is no message to Prime")
        return _followup(event, issue.number, comment.body)
    if _prime_thread(issue, gate):
        return _conversation(event, issue.number, comment.id, comment.body)
    if mentioned:
        return Ignore(reason=f"a mention on #{issue.number}, not Prime's thread")
    words = command_words(comment.body) or ("help",)
    return Wake(
        reason="command",
        detail=f"{' '.join((COMMAND_PREFIX, *words))} from {event.actor}",
        command=words[0].lower(),
        command_args=words[1:],
        issue=issue.number,
    )


def _prime_thread(issue: Issue, gate: Gate) -> bool:
    """The dashboard, or a tracking issue Prime opened (its marker, written by Prime)."""
    tracking = find_signal(issue.body) is not None and issue.author == gate.trust.prime_login
    return gate.is_dashboard(issue) or tracking


def _conversation(event: Event, number: int, comment: int, body: str) -> Wake:
    """A trusted maintainer's free text on one of Prime's threads: a message to Prime."""
    message = Message(comment=comment, issue=number, author=event.actor, text=message_text(body))
    return Wake(
        reason="conversation",
        detail=f"a message on #{number} from {event.actor}",
        issue=number,
        message=message,
    )


def message_text(body: str) -> str:
    """What a message says: the comment without its leading `/prime`."""
    stripped = body.strip()
    if command_words(stripped) is None:
        return stripped
    return stripped.removeprefix(COMMAND_PREFIX).strip()


def _followup(event: Event, number: int, body: str) -> Wake:
    """`/prime <instruction>` on a pull request: a message for the agent working on it.

    Whether the PR is Prime's, the payload does not say (an issue comment names no branch):
    the shell reads the PR before it dispatches anything.
    """
    instruction = body.lstrip().removeprefix(COMMAND_PREFIX).strip()
    return Wake(
        reason="pr-followup",
        detail=f"{COMMAND_PREFIX} <instruction> on pull request #{number} from {event.actor}",
        issue=number,
        instruction=instruction,
    )


def command_words(body: str) -> tuple[str, ...] | None:
    """The words after `/prime` on a comment's first line (`/prime skip ci` -> skip, ci).

    Args:
        body: the comment's text.

    Returns:
        The words (empty for a bare `/prime`), or None when the comment is no command.
    """
    first_line = body.lstrip().partition("\n")[0].split()
    if not first_line or first_line[0] != COMMAND_PREFIX:
        return None
    return tuple(first_line[1:])
