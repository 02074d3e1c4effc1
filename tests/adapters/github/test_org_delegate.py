"""Delegations: recorded as `sending` in the org state before any event goes out, then settled."""

from __future__ import annotations

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.graphql import GraphQL
from prime_action.adapters.github.org import STATE_BRANCH, STATE_FILE, Home
from prime_action.adapters.github.org_delegate import send_delegations
from prime_action.config.org import OrgConfig
from prime_action.org.cycle import OrgInputs, OrgOutcome, aggregate
from prime_action.org.delegation import EVENT
from prime_action.org.model import Delegation, OrgState
from testing.faults import Fault
from testing.github import FakeGitHub
from tests.values import NOW

ORG = "acme/.github"


def _delegation(repo: str, signal: str = "ci") -> Delegation:
    return Delegation(
        repo=repo, signal=signal, reason="seen in 3 repos", fingerprint="fp", by="pattern", at=NOW
    )


def _outcome(*delegations: Delegation) -> OrgOutcome:
    outcome = aggregate(OrgInputs(owner="acme", config=OrgConfig(), now=NOW))
    return outcome.model_copy(update={"state": OrgState(delegations=delegations)})


def _sent_state(fake: FakeGitHub) -> OrgState:
    return OrgState.model_validate_json(fake.read(ORG, STATE_FILE, ref=STATE_BRANCH) or "")


def test_nothing_pending_sends_nothing_and_writes_nothing(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(ORG)
    home, _, sent = send_delegations(client, GraphQL(client), Home(repo=ORG), _outcome())
    assert (home, sent) == (Home(repo=ORG), 0)
    assert fake_github.requests == []


def test_delegations_are_written_as_sending_then_sent_and_settled(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    for repo in (ORG, "acme/api", "acme/web"):
        fake_github.add_repo(repo)
    written: list[OrgState] = []

    def remember_state(fake: FakeGitHub) -> None:
        written.append(_sent_state(fake))

    fake_github.on_request(lambda r: r.template.endswith("/dispatches"), remember_state)
    pending = _outcome(_delegation("acme/api"), _delegation("acme/web"))
    home, outcome, sent = send_delegations(client, GraphQL(client), Home(repo=ORG), pending)
    assert [d.status for d in written[0].delegations] == ["sending", "sending"]
    assert sent == 2
    assert [d.status for d in outcome.state.delegations] == ["sent", "sent"]
    assert [
        (e.repo, e.event_type, e.client_payload) for e in fake_github.repository_dispatches
    ] == [
        ("acme/api", EVENT, {"signal": "ci", "reason": "seen in 3 repos"}),
        ("acme/web", EVENT, {"signal": "ci", "reason": "seen in 3 repos"}),
    ]
    assert home.state_head == fake_github.ref(ORG, STATE_BRANCH)


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (None, "failed"),  # the repository is gone: a 404 refuses the event, nothing went out
        (Fault.APPLIED_THEN_ERROR, "unknown"),  # a 5xx on a write: it may have gone out
        (Fault.TIMEOUT, "unknown"),
    ],
)
def test_an_event_that_did_not_clearly_go_out_is_failed_or_unknown_and_never_resent(
    fake_github: FakeGitHub, client: GitHubClient, kind: Fault | None, status: str
) -> None:
    fake_github.add_repo(ORG)
    target = "acme/gone"
    if kind is not None:
        target = "acme/api"
        fake_github.add_repo(target)
        fake_github.fail_matching(lambda r: r.template.endswith("/dispatches"), kind)
    _, outcome, sent = send_delegations(
        client, GraphQL(client), Home(repo=ORG), _outcome(_delegation(target))
    )
    [entry] = outcome.state.delegations
    assert (sent, entry.status) == (0, status)
    assert entry.error
    dispatches = [r for r in fake_github.requests if r[1].endswith("/dispatches")]
    assert len(dispatches) == 1  # tried once, never repeated
