"""What the router answers: wake Prime (and why), or ignore the event (and why)."""

from __future__ import annotations

from collections.abc import Callable

from prime_action.config.models import TrustSettings
from prime_action.domain.conversation import Message
from prime_action.domain.markers import DASHBOARD
from prime_action.domain.models import JobResult, WakeReason
from prime_action.domain.values import Frozen
from prime_action.events.model import Event, Issue


class Wake(Frozen):
    """Wake Prime, saying why; a command wake carries the parsed `/prime` command."""

    reason: WakeReason
    detail: str
    command: str | None = None
    command_args: tuple[str, ...] = ()
    signal: str | None = None
    # The signals a closed Prime PR carried (a grouped fileops PR names several).
    signals: tuple[str, ...] = ()
    issue: int | None = None
    # A runner's outcome, from a well-formed `prime-job-result` payload.
    result: JobResult | None = None
    # `/prime <instruction>` on a pull request: the words for the agent (untrusted text).
    instruction: str | None = None
    # A trusted maintainer's free-text message on the dashboard or a tracking issue.
    message: Message | None = None


class Ignore(Frozen):
    """Do not wake; the reason is for the log and the job summary."""

    reason: str


class Gate(Frozen):
    """What every handler may consult besides the event."""

    trust: TrustSettings
    dashboard_issue: int | None = None
    # conversation.mention: a login whose mention is a message to Prime.
    mention: str | None = None

    def is_dashboard(self, issue: Issue) -> bool:
        """Whether the issue is Prime's dashboard (by its number, or its marker by Prime)."""
        # Anyone may open an issue carrying the marker; only Prime's own counts.
        by_marker = DASHBOARD in issue.body and issue.author == self.trust.prime_login
        return issue.number == self.dashboard_issue or by_marker


Handler = Callable[[Event, Gate], Wake | Ignore]


def key(event: Event) -> str:
    """The event as the log names it: `name/action`, or the name alone."""
    return f"{event.name}/{event.action}" if event.action else event.name


def missing(event: Event, part: str) -> Ignore:
    """Ignore an event that lacks the part its handler reads."""
    # Parsed payloads always carry it; an Event built by hand may not.
    return Ignore(reason=f"{key(event)} event without {part}")
