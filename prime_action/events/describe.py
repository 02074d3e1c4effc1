"""An event as the few lines of text the brain's prompt shows about what woke Prime."""

from __future__ import annotations

from prime_action.events.model import Event


def describe_event(event: Event) -> str:
    """What the event that woke Prime says, in a few lines (all of it untrusted text)."""
    lines = [f"{event.name}{'.' + event.action if event.action else ''} by {event.actor or '-'}"]
    if event.issue is not None:
        issue = event.issue
        lines.append(f"issue #{issue.number} ({issue.state}) by {issue.author}: {issue.title}")
        lines.append(issue.body)
    if event.comment is not None:
        lines.append(f"comment by {event.comment.author}: {event.comment.body}")
    if event.workflow_run is not None:
        run = event.workflow_run
        lines.append(f"workflow run '{run.name}' on {run.head_branch}: {run.conclusion}")
    if event.pull_request is not None:
        pr = event.pull_request
        lines.append(f"pull request #{pr.number} from {pr.head_ref}, merged: {pr.merged}")
    return "\n".join(line for line in lines if line)
