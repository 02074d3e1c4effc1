"""The router (DESIGN §3 step 1): a GitHub event to its wake reason, or why it is ignored."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from pydantic import ValidationError

from prime_action.config.models import TrustSettings
from prime_action.domain.markers import PREFIX, find_signal
from prime_action.domain.models import JobResult, WakeReason
from prime_action.events.comments import comment_wake
from prime_action.events.model import Event, Issue, PullHead
from prime_action.events.verdict import Gate, Handler, Ignore, Wake, key, missing

_ROUTES: dict[tuple[str, str | None], Handler] = {}
# (event name, action) -> handler; action None for events without one (push, schedule).
ROUTES: Mapping[tuple[str, str | None], Handler] = MappingProxyType(_ROUTES)

# Sending these takes write access to the repository, and they are how Prime's parts call each
# other: a standalone runner reports with repository_dispatch through GITHUB_TOKEN, so its
# sender *is* prime_login. Filtering them as own or bot events would drop every job result.
MESSAGES = frozenset({"schedule", "workflow_dispatch", "repository_dispatch"})
# Every account that can edit another's issue body (tick a box) has write access, and so
# one of these associations.
WRITERS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
BRANCH_PREFIX = "prime/"
# Checks completed on a Prime PR's head, or the head moved: the growth gate judges the PR.
# Their sender ran the checks or pushed the head (often Prime's own App), and wrote no text:
# the own-event and bot filters would drop exactly the events the gate is for.
GATE_TRIGGERS = frozenset(
    {
        ("check_suite", "completed"),
        ("workflow_run", "completed"),
        ("pull_request", "opened"),
        ("pull_request", "synchronize"),
    }
)


def route(
    event: Event,
    trust: TrustSettings,
    dashboard_issue: int | None = None,
    *,
    mention: str | None = None,
) -> Wake | Ignore:
    """Decide whether an event wakes Prime, and with which reason.

    Args:
        event: the parsed event.
        trust: who may command Prime, which bots count, and Prime's own login.
        dashboard_issue: the number of the repository's dashboard issue, when known.
        mention: conversation.mention, the login whose mention is a message to Prime.

    Returns:
        A Wake with its reason, or an Ignore saying why not.
    """
    if event.name not in MESSAGES and _prime_head(event) is None and not _ci_on_main(event):
        refusal = _own_event(event, trust) or _foreign_bot(event, trust)
        if refusal is not None:
            return refusal
    handler = _ROUTES.get((event.name, event.action))
    if handler is None:
        return Ignore(reason=f"no handler for {key(event)}")
    return handler(event, Gate(trust=trust, dashboard_issue=dashboard_issue, mention=mention))


def _on(name: str, *actions: str | None) -> Callable[[Handler], Handler]:
    """Register a handler for an event and its actions (gidgethub's `router.register`)."""

    def register(handler: Handler) -> Handler:
        for action in actions:
            _ROUTES[(name, action)] = handler
        return handler

    return register


def _own_event(event: Event, trust: TrustSettings) -> Ignore | None:
    if event.actor == trust.prime_login or _wrote_marker(event):
        return Ignore(reason="own event: no wake loops")
    return None


def _wrote_marker(event: Event) -> bool:
    """Whether the sender just wrote a text carrying Prime's marker.

    Prime may write through an App whose login is not `prime_login`; the marker on all it
    writes still gives it away. Only where the sender wrote the text: a human editing,
    labelling or closing one of Prime's (marked) issues is no loop, and must wake it.
    """
    if event.name == "issue_comment" and event.action == "created" and event.comment:
        return PREFIX in event.comment.body
    if event.name == "issues" and event.action == "opened" and event.issue:
        return PREFIX in event.issue.body
    return False


def _foreign_bot(event: Event, trust: TrustSettings) -> Ignore | None:
    if event.is_bot and event.actor not in trust.bots:
        return Ignore(reason=f"bot {event.actor} is not in trust.bots")
    return None


@_on("schedule", None)
def _schedule(event: Event, gate: Gate) -> Wake | Ignore:
    return Wake(reason="schedule", detail="scheduled tick")


@_on("workflow_dispatch", None)
def _manual(event: Event, gate: Gate) -> Wake | Ignore:
    return Wake(reason="manual", detail=f"wake requested by {event.actor or 'someone'}")


_ISSUE_REASONS: dict[str | None, WakeReason] = {
    "opened": "issue-opened",
    "labeled": "issue-labeled",
    "closed": "issue-closed",
    "edited": "issue-edited",
}


@_on("issues", "opened", "labeled", "closed")
def _issue_changed(event: Event, gate: Gate) -> Wake | Ignore:
    if event.issue is None:
        return missing(event, "an issue")
    return _issue_wake(event, event.issue)


def _issue_wake(event: Event, issue: Issue) -> Wake:
    return Wake(
        reason=_ISSUE_REASONS[event.action],
        detail=f"issue #{issue.number} {event.action} by {event.actor}",
        signal=find_signal(issue.body),
        issue=issue.number,
    )


@_on("issues", "edited")
def _issue_edited(event: Event, gate: Gate) -> Wake | Ignore:
    issue = event.issue
    if issue is None:
        return missing(event, "an issue")
    if not gate.is_dashboard(issue):
        return _issue_wake(event, issue)
    if not _editor_trusted(event, issue, gate.trust):
        return Ignore(reason=f"untrusted actor {event.actor} edited the dashboard #{issue.number}")
    detail = f"dashboard #{issue.number} edited by {event.actor}"
    return Wake(reason="dashboard-edited", detail=detail, issue=issue.number)


def _editor_trusted(event: Event, issue: Issue, trust: TrustSettings) -> bool:
    """Whether the sender of `issues: edited` may press the dashboard's buttons.

    GitHub's payload names the editor but not their association. The shell may look it up
    (`editor_association`). Otherwise the issue's own association answers when the editor is
    its author; anyone else needed write access, so is trusted when every writer is.
    """
    if event.editor_association is not None:
        return event.editor_association in trust.associations
    if event.actor == issue.author:
        return event.author_association in trust.associations
    return WRITERS.issubset(trust.associations)


_on("issue_comment", "created")(comment_wake)


_CI_REASONS: dict[str | None, WakeReason] = {
    "failure": "ci-failed",
    "timed_out": "ci-failed",
    "success": "ci-recovered",
}


def _ci_on_main(event: Event) -> bool:
    """A CI result on the default branch: it says how the repository is, whoever started it.

    A bot's merge (Renovate, Dependabot) or Prime's own App merging a PR can break the
    default branch; the sender wrote no text and Prime's wake starts no CI, so no loop.
    """
    run = event.workflow_run
    return (
        (event.name, event.action) == ("workflow_run", "completed")
        and run is not None
        and run.head_branch == event.default_branch
    )


def _prime_head(event: Event) -> PullHead | None:
    """The Prime PR of this repository whose checks completed or whose head moved, if any.

    A run or suite names its pull requests (none from forks); a run on a `prime/` branch
    whose PR was not open yet when it started names none, and counts by its branch.
    """
    if (event.name, event.action) not in GATE_TRIGGERS:
        return None
    heads: tuple[PullHead, ...] = ()
    if event.check_suite is not None:
        heads = event.check_suite.pulls
    elif event.workflow_run is not None:
        run = event.workflow_run
        heads = run.pulls or (PullHead(number=0, head_ref=run.head_branch or "",
                                       head_repo=run.head_repo),)  # fmt: skip
    elif event.pull_request is not None:
        pull = event.pull_request
        heads = (PullHead(number=pull.number, head_ref=pull.head_ref, head_repo=pull.head_repo),)
    return next(
        (
            h
            for h in heads
            if h.head_ref.startswith(BRANCH_PREFIX) and h.head_repo == event.repository
        ),
        None,
    )


def _gate_wake(event: Event, head: PullHead) -> Wake:
    which = f"pull request #{head.number}" if head.number else head.head_ref
    return Wake(
        reason="pr-gate",
        detail=f"{key(event)} on {which}: the growth gate judges it",
        signal=head.head_ref.removeprefix(BRANCH_PREFIX),
        issue=head.number or None,
    )


@_on("check_suite", "completed")
def _suite(event: Event, gate: Gate) -> Wake | Ignore:
    head = _prime_head(event)
    if head is None:
        return Ignore(reason="check suite of no Prime pull request of this repository")
    return _gate_wake(event, head)


@_on("pull_request", "opened", "synchronize")
def _pr_moved(event: Event, gate: Gate) -> Wake | Ignore:
    head = _prime_head(event)
    if head is None:
        return Ignore(reason=f"{key(event)} of no Prime pull request of this repository")
    return _gate_wake(event, head)


@_on("workflow_run", "completed")
def _ci(event: Event, gate: Gate) -> Wake | Ignore:
    run = event.workflow_run
    if run is None:
        return missing(event, "a workflow run")
    head = _prime_head(event)
    if head is not None:
        return _gate_wake(event, head)
    if run.head_branch != event.default_branch:
        return Ignore(reason=f"workflow run on {run.head_branch}, not the default branch")
    # A fork's pull request from its own `main` names the default branch too.
    if run.event.startswith("pull_request"):
        return Ignore(reason=f"workflow run of a {run.event} event, not of the default branch")
    reason = _CI_REASONS.get(run.conclusion)
    if reason is None:
        return Ignore(reason=f"workflow run concluded {run.conclusion}: neither failed nor passed")
    detail = f"workflow '{run.name}' {run.conclusion} on {run.head_branch}"
    return Wake(reason=reason, detail=detail)


@_on("pull_request", "closed")
def _pr_closed(event: Event, gate: Gate) -> Wake | Ignore:
    pull = event.pull_request
    if pull is None:
        return missing(event, "a pull request")
    if not pull.head_ref.startswith(BRANCH_PREFIX):
        return Ignore(reason=f"pull request #{pull.number} is not Prime's ({pull.head_ref})")
    # Anyone can name a fork's branch prime/...; closing that is nobody saying no to Prime.
    if pull.head_repo != event.repository:
        return Ignore(reason=f"pull request #{pull.number} comes from {pull.head_repo}")
    merged = "merged" if pull.merged else "closed unmerged"
    return Wake(
        reason="pr-merged" if pull.merged else "pr-closed-unmerged",
        detail=f"pull request #{pull.number} {merged} by {event.actor}",
        signal=pull.head_ref.removeprefix(BRANCH_PREFIX),
        signals=pull.signals,
        issue=pull.number,
    )


@_on("push", None)
def _push(event: Event, gate: Gate) -> Wake | Ignore:
    if event.ref != f"refs/heads/{event.default_branch}":
        return Ignore(reason=f"push to {event.ref}, not the default branch")
    return Wake(reason="push", detail=f"push to {event.default_branch} by {event.actor}")


_DISPATCH_REASONS: dict[str | None, WakeReason] = {
    "prime-job-result": "job-result",
    "prime-delegate": "delegate",
    "prime-wake": "org-wake",
}


@_on("repository_dispatch", *_DISPATCH_REASONS)
def _dispatch(event: Event, gate: Gate) -> Wake | Ignore:
    payload = event.client_payload
    signal, issue = payload.get("signal"), payload.get("issue")
    return Wake(
        reason=_DISPATCH_REASONS[event.action],
        detail=f"{event.action} from {event.actor}",
        # client_payload is whatever the sender chose: keep only well-typed values.
        signal=signal if isinstance(signal, str) else None,
        issue=issue if isinstance(issue, int) and not isinstance(issue, bool) else None,
        result=_job_result(event) if event.action == "prime-job-result" else None,
    )


def _job_result(event: Event) -> JobResult | None:
    """The outcome a runner reported; a malformed payload still wakes Prime, with no outcome."""
    fields = {k: v for k, v in event.client_payload.items() if k in JobResult.model_fields}
    try:
        return JobResult.model_validate(fields)
    except ValidationError:
        return None
