"""Org Prime's `prime-wake` events: recorded in the org state first, then sent.

The org state (with each woken repository's due time) is committed compare-and-swap before
any event goes out: a concurrent run loses the race and sends nothing, and a rerun finds the
due times recorded and sends nothing twice. A run that dies between the write and the sends
leaves those wakes unsent; the repository's daily safety tick wakes it instead.
"""

from __future__ import annotations

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.dispatch import send_event
from prime_action.adapters.github.graphql import GraphQL
from prime_action.adapters.github.org import Home, org_state, save_state
from prime_action.domain.errors import GitHubError
from prime_action.org.alarm import EVENT
from prime_action.org.cycle import OrgOutcome


def send_wakes(
    client: GitHubClient, gql: GraphQL, home: Home, outcome: OrgOutcome
) -> tuple[Home, int, tuple[str, ...]]:
    """Save the org state with this run's wakes, then send one `prime-wake` to each.

    Args:
        client: the org's client (its token may send events to the owner's repositories).
        gql: GraphQL over that client (the state is committed through it).
        home: the org repository as read (or as the delegations left it).
        outcome: the aggregation, its state already holding the wakes.

    Returns:
        The home with the state written, how many events went out, and a warning per refusal.
    """
    calls = outcome.alarm.calls
    if not calls:
        return home, 0, ()
    if outcome.state != org_state(home):
        home = save_state(client, gql, home, outcome.state)
    sent, refused = 0, []
    for call in calls:
        try:
            send_event(client, call.repo, EVENT, {"due": call.due.isoformat()})
        except GitHubError as e:
            refused.append(f"could not wake {call.repo}: {e}")
            continue
        sent += 1
    return home, sent, tuple(refused)
