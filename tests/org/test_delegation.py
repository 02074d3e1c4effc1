"""Delegation: `/prime delegate` commands, the automatic rule, and at-most-once bookkeeping."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.config.org import OrgConfig
from prime_action.org.cycle import OrgInputs, aggregate, settle
from prime_action.org.delegation import (
    MAX_PER_RUN,
    from_patterns,
    interrupted,
    outgoing,
    parse,
    pending_commands,
    record,
)
from prime_action.org.model import (
    CommandComment,
    Delegation,
    Flag,
    NeedsHuman,
    OrgState,
    Pattern,
)
from tests.org.factories import NOW, managed, remote, signal

TRUST = OrgConfig().trust
REPOS = (
    managed("acme/a", ("ci", 9.0)),
    managed("acme/b", ("ci", 9.0)),
    remote("acme/c", signal("ci")),
    managed("acme/d", ("ci", 9.0), status="paused"),
)
PATTERN = Pattern(signal="ci", repos=("acme/a", "acme/b", "acme/c", "acme/d"))
HELD = (NeedsHuman(repo="acme/d", signal="*", reason="paused by a maintainer"),)


def comment(body: str, cid: int = 1, association: str = "MEMBER") -> CommandComment:
    return CommandComment(id=cid, author="mona", association=association, body=body)


def flagged(signal_name: str = "ci", age: timedelta = timedelta(0)) -> OrgState:
    flag = Flag(repo="acme/a", signal=signal_name, reason="shared runner broke", at=NOW - age)
    return OrgState(flags=(flag,))


@pytest.mark.parametrize(
    ("body", "repo", "signal_name", "reason", "problem"),
    [
        ('/prime delegate repo:acme/a ci "release waits"', "acme/a", "ci", "release waits", ""),
        ("/prime delegate repo:acme/a signal:ci", "acme/a", "ci", "", ""),
        ("/prime delegate acme/a ci", "", "", "", "usage"),
        ("/prime delegate repo:acme/a", "", "", "", "usage"),
        ('/prime delegate repo:acme/a ci "unclosed', "", "", "", "usage"),
    ],
)
def test_a_delegate_line_is_parsed_or_says_what_is_wrong(
    body: str, repo: str, signal_name: str, reason: str, problem: str
) -> None:
    (command,) = parse(comment(f"Hi\n{body}\nthanks"))
    assert (command.repo, command.signal, command.reason, command.problem) == (
        repo,
        signal_name,
        reason,
        problem,
    )


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("repo:acme/a ci", ""),
        ("repo:ACME/A ci", ""),
        ("repo:acme/zzz ci", "repo"),
        ("repo:acme/c ci", "unmanaged"),
        ("repo:acme/a no-such-signal", "signal"),
        ("repo:acme/d ci", "held"),
    ],
)
def test_a_delegate_command_is_checked_against_the_repositories_looked_after(
    line: str, problem: str
) -> None:
    (command,) = pending_commands(
        (comment(f"/prime delegate {line}"),), OrgState(), TRUST, REPOS, HELD
    )
    assert command.problem == problem


def test_untrusted_and_applied_delegate_commands_are_ignored() -> None:
    comments = (
        comment("/prime delegate repo:acme/a ci", cid=1, association="NONE"),
        comment("/prime delegate repo:acme/a ci", cid=2),
    )
    assert pending_commands(comments, OrgState(applied=(2,)), TRUST, REPOS) == ()


def test_a_flagged_pattern_goes_to_each_managed_repository_not_waiting_for_a_human() -> None:
    found = list(from_patterns(flagged(), (PATTERN,), REPOS, HELD, NOW))
    assert [d.repo for d in found] == ["acme/a", "acme/b"]
    assert all(d.by == "pattern" and d.fingerprint == "fp-ci" for d in found)
    assert "ci fails in 4 repositories; acme/a flagged it: shared runner broke" in found[0].reason


@pytest.mark.parametrize(
    "state",
    [
        OrgState(),
        flagged("dependabot"),
        flagged(age=timedelta(days=8)),
        flagged().model_copy(update={"delegated": {"acme/a:ci": "fp-ci", "acme/b:ci": "fp-ci"}}),
    ],
    ids=["no flag", "another signal flagged", "flag too old", "same failure already delegated"],
)
def test_nothing_is_delegated_automatically_without_a_fresh_flag_or_a_new_failure(
    state: OrgState,
) -> None:
    assert list(from_patterns(state, (PATTERN,), REPOS, HELD, NOW)) == []


def test_a_changed_fingerprint_is_delegated_again() -> None:
    state = flagged().model_copy(update={"delegated": {"acme/a:ci": "old", "acme/b:ci": "fp-ci"}})
    assert [d.repo for d in from_patterns(state, (PATTERN,), REPOS, HELD, NOW)] == ["acme/a"]


def _delegation(repo: str, signal_name: str = "ci") -> Delegation:
    return Delegation(
        repo=repo, signal=signal_name, reason="r", fingerprint="f", by="pattern", at=NOW
    )


def test_recording_keeps_one_per_key_caps_the_run_and_remembers_fingerprints() -> None:
    new = iter(
        [_delegation("acme/a"), _delegation("acme/a")]
        + [_delegation(f"acme/r{i}") for i in range(MAX_PER_RUN + 5)]
    )
    state = record(OrgState(), new, ())
    assert len(outgoing(state)) == MAX_PER_RUN
    assert [d.repo for d in state.delegations].count("acme/a") == 1
    assert state.delegated["acme/a:ci"] == "f"


def test_a_run_that_stopped_mid_send_leaves_unknown_entries_never_sent_again() -> None:
    state = record(OrgState(), iter([_delegation("acme/a"), _delegation("acme/b")]), ())
    state = interrupted(state)
    assert {d.status for d in state.delegations} == {"unknown"}
    assert outgoing(state) == ()
    assert interrupted(state) == state


def test_an_org_run_records_a_command_as_sending_and_settling_says_how_it_went() -> None:
    inputs = OrgInputs(
        owner="acme",
        config=OrgConfig(),
        repos=REPOS,
        comments=(comment('/prime delegate repo:acme/b ci "now"', cid=7),),
        now=NOW,
    )
    outcome = aggregate(inputs)
    (pending,) = outgoing(outcome.state)
    assert (pending.repo, pending.by, pending.comment) == ("acme/b", "@mona", 7)
    assert 7 in outcome.state.applied
    assert "⏳ sending" in outcome.dashboard
    done = settle(outcome, {"acme/b:ci": ("sent", "")})
    assert "✅ sent" in done.dashboard
    assert "Delegated `ci` to `acme/b`" in done.replies[-1].body
    again = aggregate(inputs.model_copy(update={"state": done.state}))
    assert outgoing(again.state) == ()
    assert again.replies == ()
