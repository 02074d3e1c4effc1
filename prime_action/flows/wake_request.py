"""The wake's request on GitHub: the routed event, its editor's standing, the comments heard."""

from __future__ import annotations

from datetime import datetime

from prime_action.adapters.github.trust import GitHubTrust
from prime_action.config.models import RepoConfig, TrustSettings
from prime_action.domain.markers import DASHBOARD
from prime_action.domain.models import MergedPull
from prime_action.domain.ports import StoredState
from prime_action.events.model import Event
from prime_action.events.router import WRITERS
from prime_action.events.verdict import Wake
from prime_action.repo.cycle import WakeRequest
from prime_action.repo.prime_commands import answered, commands_since, unanswered


def with_editor(event: Event, trust: TrustSettings, lookup: GitHubTrust) -> Event:
    """An `issues: edited` event with its editor's association, asked only when it matters.

    The payload names the editor but not their relation to the repository. Only the
    dashboard's editor matters (its boxes are buttons); the router answers without it when
    the editor wrote the issue, or when every writer is trusted anyway; otherwise the
    editor's permission decides (one request).

    Args:
        event: the event.
        trust: the config's trust settings.
        lookup: asks GitHub for the editor's association.

    Returns:
        The event, with the editor's association when it was looked up.
    """
    issue = event.issue
    if (event.name, event.action) != ("issues", "edited") or issue is None or event.is_bot:
        return event
    if event.editor_association is not None or event.actor == issue.author:
        return event
    if WRITERS.issubset(trust.associations) or not event.actor or DASHBOARD not in issue.body:
        return event
    return event.model_copy(update={"editor_association": lookup.association(event.actor)})


def heard(  # noqa: PLR0917 -- the request, the reads it needs and the injected moment
    request: WakeRequest,
    trust: GitHubTrust,
    event: Event,
    config: RepoConfig,
    first: StoredState,
    now: datetime,
) -> WakeRequest:
    """The request with the trusted `/prime` comments and messages no wake answered yet.

    One listing of recent comments; it also tells whether Prime already answered the
    event's own message (a rerun): then the message is not sent to the brain again.

    Args:
        request: the request from the router's verdict.
        trust: lists the recent comments.
        event: the event (its own comment is not heard twice).
        config: the repository's config (trust, the mention).
        first: the state as the wake read it (when the last wake was).
        now: the current moment.

    Returns:
        The request with the pending commands, and the message unless already answered.
    """
    last = first.state.last_wake_at if first.state else None
    since = commands_since(last, now)
    skip = event.comment.id if event.comment else None
    listed = trust.comments_since(since)
    mention = config.conversation.mention
    pending = unanswered(listed, config.trust, since, skip=skip, mention=mention)
    message = request.message
    if message is not None and answered(listed, config.trust, message.comment):
        message = None
    return request.model_copy(update={"pending": pending, "message": message})


def wake_request(gated: Wake, event: Event, merges: tuple[MergedPull, ...]) -> WakeRequest:
    """What the wake cycle is asked: the router's verdict, and the PRs merged just before.

    Args:
        gated: the router's wake, with its reason and any command or message.
        event: the event (a command's comment is the one its reply answers).
        merges: the PRs the growth gate or the PR poll merged in this run.

    Returns:
        The request, before the heard comments are added (`heard`).
    """
    commands = ((gated.command, gated.command_args),) if gated.command else ()
    if gated.reason == "delegate" and gated.signal:
        # Org Prime handed this signal to the repository's Prime: work on it now.
        commands = (*commands, ("run", (gated.signal,)))
    return WakeRequest(
        reason=gated.reason,
        commands=commands,
        issue=gated.issue,
        signal=gated.signal,
        signals=gated.signals,
        result=gated.result,
        # The comment a command reply answers (a message's reply finds its own comment).
        comment=event.comment.id if event.comment and gated.command else None,
        merges=merges,
        message=gated.message,
    )
