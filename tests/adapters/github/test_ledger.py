"""The attempt ledger on prime-state: one read to load, pure changes committed, races re-applied."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.dispatch.ledger import LEDGER_FILE, dump_ledger
from prime_action.domain.errors import StoreError
from prime_action.domain.models import Attempt
from testing.github import FakeGitHub
from tests.values import NOW

REPO = "acme/.github"


def _attempt(n: int, status: str = "pending") -> Attempt:
    at = NOW + timedelta(minutes=n)
    return Attempt.model_validate(
        {"id": f"a{n}", "repo": "acme/api", "signal": "ci", "runner": "agent",
         "status": status, "created_at": at, "updated_at": at}
    )  # fmt: skip


def test_a_missing_ledger_loads_as_no_attempts_in_one_request(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    ledger = GitHubLedger(client, REPO)
    fake_github.reset_counts()
    assert ledger.load() == ()
    assert len(fake_github.requests) == 1


def test_a_change_is_committed_and_loads_back_oldest_first(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    ledger = GitHubLedger(client, REPO)
    assert ledger.change(lambda before: (*before, _attempt(1))) == (_attempt(1),)
    assert ledger.change(lambda before: (*before, _attempt(2))) == (_attempt(1), _attempt(2))
    assert GitHubLedger(client, REPO).load() == (_attempt(1), _attempt(2))
    assert fake_github.read(REPO, "state.json", ref="prime-state") is None  # only the ledger


def test_a_change_that_changes_nothing_writes_nothing(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {LEDGER_FILE: dump_ledger([_attempt(1)])}, branch="prime-state")
    fake_github.reset_counts()
    assert GitHubLedger(client, REPO).change(lambda before: before) == (_attempt(1),)
    assert fake_github.writes == 0


def test_a_concurrent_ledger_write_is_kept_and_the_change_applied_on_top(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {LEDGER_FILE: dump_ledger([_attempt(1)])}, branch="prime-state")
    theirs = dump_ledger([_attempt(1), _attempt(2)])
    fake_github.race_ref(REPO, "heads/prime-state", {LEDGER_FILE: theirs})
    after = GitHubLedger(client, REPO).change(lambda before: (*before, _attempt(3)))
    assert [a.id for a in after] == ["a1", "a2", "a3"]
    assert [a.id for a in GitHubLedger(client, REPO).load()] == ["a1", "a2", "a3"]


def test_a_damaged_ledger_line_stops_the_load_naming_the_line(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    text = dump_ledger([_attempt(1)]) + "{not an attempt}\n"
    fake_github.push(REPO, {LEDGER_FILE: text}, branch="prime-state")
    with pytest.raises(StoreError, match=f"{LEDGER_FILE} line 2 is not an attempt"):
        GitHubLedger(client, REPO).load()


def test_the_ledger_may_live_on_another_branch(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    GitHubLedger(client, REPO, "elsewhere").change(lambda before: (*before, _attempt(1)))
    assert fake_github.read(REPO, LEDGER_FILE, ref="elsewhere") == dump_ledger([_attempt(1)])
    assert fake_github.ref(REPO, "prime-state") is None
