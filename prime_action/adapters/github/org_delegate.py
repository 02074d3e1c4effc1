"""Org Prime's `prime-delegate` events: recorded as pending in the org state, then sent.

The order closes the crash windows: the org state is written with the delegations as
`sending` before any event goes out, so a run that dies after the write leaves entries the
next run marks `unknown` (shown on the dashboard, never resent: a second event would start a
second job), and a run that dies before it sent nothing and recorded nothing, so the rerun
computes and sends the same delegations once.
"""

from __future__ import annotations

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import send_event
from prime_action.adapters.github.graphql import GraphQL
from prime_action.adapters.github.org import Home, save_state
from prime_action.domain.errors import GitHubError
from prime_action.org.cycle import OrgOutcome, settle
from prime_action.org.delegation import EVENT, outgoing
from prime_action.org.model import Delegation, DelegationStatus


def _send(client: GitHubClient, delegation: Delegation) -> tuple[DelegationStatus, str]:
    """Send one event; a refusal (4xx but rate limits) means nothing went out."""
    payload = {"signal": delegation.signal, "reason": delegation.reason}
    try:
        send_event(client, delegation.repo, EVENT, payload)
    except GitHubError as e:
        refused = e.status is not None and 400 <= e.status < 500 and e.status != 429
        return ("failed" if refused else "unknown"), str(e)
    return "sent", ""


def send_delegations(
    client: GitHubClient, gql: GraphQL, home: Home, outcome: OrgOutcome
) -> tuple[Home, OrgOutcome, int]:
    """Write the pending delegations to the org state, send them, and settle the outcome.

    Args:
        client: the org's client (its token may send events to the owner's repositories).
        gql: GraphQL over that client (the state is committed through it).
        home: the org repository as read.
        outcome: the aggregation, with this run's delegations as `sending`.

    Returns:
        The home with the state written, the settled outcome, and how many went out.
    """
    pending = outgoing(outcome.state)
    if not pending:
        return home, outcome, 0
    home = save_state(client, gql, home, outcome.state)
    results = {d.key: _send(client, d) for d in pending}
    sent = sum(status == "sent" for status, _ in results.values())
    return home, settle(outcome, results), sent
