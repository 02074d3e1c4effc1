"""One Org Prime run as a pure function: flags kept, commands applied once, the sheet ranked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prime_action.config.org import OrgConfig
from prime_action.org import runsheet
from prime_action.org.cycle import MAX_FLAGS, OrgInputs, aggregate, settle
from prime_action.org.delegation import INTERRUPTED
from prime_action.org.model import CommandComment, Delegation, DelegationStatus, Flag, OrgState
from tests.org.factories import NOW, managed, remote, signal


def _flag(n: int) -> Flag:
    return Flag(repo=f"acme/r{n}", reason=f"help {n}", at=NOW - timedelta(hours=n))


def _inputs(**extra: object) -> OrgInputs:
    # Remote repositories opted in: these tests rank what they offer (by default, nothing).
    config = OrgConfig(dispatch_unmanaged=("*",))
    return OrgInputs.model_validate({"owner": "acme", "config": config, "now": NOW, **extra})


def _delegation(repo: str, status: DelegationStatus = "sending") -> Delegation:
    return Delegation(
        repo=repo, signal="ci", reason="r", fingerprint="fp", by="pattern", status=status, at=NOW
    )


@pytest.mark.parametrize(
    ("before", "flag", "after"),
    [
        ((), None, ()),
        ((), _flag(1), (_flag(1),)),
        ((_flag(1),), _flag(1), (_flag(1),)),  # the same flag delivered twice is kept once
        ((_flag(1),), _flag(2), (_flag(1), _flag(2))),
        (
            tuple(_flag(n) for n in range(MAX_FLAGS)),
            _flag(99),
            (*(_flag(n) for n in range(1, MAX_FLAGS)), _flag(99)),  # the oldest one goes
        ),
    ],
)
def test_a_flag_that_woke_the_run_is_kept_once_and_only_the_newest_are_kept(
    before: tuple[Flag, ...], flag: Flag | None, after: tuple[Flag, ...]
) -> None:
    outcome = aggregate(_inputs(state=OrgState(flags=before), flag=flag))
    assert outcome.state.flags == after


@pytest.mark.parametrize(
    ("association", "applied", "weight", "replies"),
    [
        ("OWNER", (), 50.0, 1),
        ("MEMBER", (), 50.0, 1),
        ("COLLABORATOR", (), 50.0, 1),
        ("NONE", (), None, 0),  # a stranger's command is not one
        ("CONTRIBUTOR", (), None, 0),
        ("OWNER", (7,), None, 0),  # applied by an earlier run: never twice
    ],
)
def test_a_priority_command_counts_once_and_only_from_a_trusted_author(
    association: str, applied: tuple[int, ...], weight: float | None, replies: int
) -> None:
    comment = CommandComment(
        id=7, author="alice", association=association, body="/prime priority repo:acme/api +50"
    )
    inputs = _inputs(
        repos=(remote("acme/api", signal("license")),),
        state=OrgState(applied=applied),
        comments=(comment,),
    )
    outcome = aggregate(inputs)
    entry = outcome.state.priorities.get("repo:acme/api")
    assert (entry.weight if entry else None) == weight
    assert len(outcome.priority_replies) == replies
    assert len(outcome.replies) == replies
    if replies:
        assert outcome.replies[0].comment == 7
        assert outcome.replies[0].marker in outcome.replies[0].body


@pytest.mark.parametrize(
    ("repos", "ranked"),
    [
        ((), []),
        ((remote("acme/api", signal("license", weight=3)),), [("acme/api", "license")]),
        (
            (
                remote("acme/api", signal("license", weight=3)),
                remote("acme/web", signal("security", weight=9)),
            ),
            [("acme/web", "security"), ("acme/api", "license")],
        ),
        ((remote("acme/api", signal("license", status="ok")),), []),
        ((remote("acme/old", signal("license"), archived=True),), []),  # archived: left out
        ((managed("acme/api", ("ci", 7.0)),), [("acme/api", "ci")]),
    ],
)
def test_the_run_sheet_ranks_failing_work_of_kept_repositories_by_weight(
    repos: tuple[object, ...], ranked: list[tuple[str, str]]
) -> None:
    outcome = aggregate(_inputs(repos=repos))
    assert [(i.repo, i.signal) for i in outcome.run_sheet] == ranked
    assert [i.rank for i in outcome.run_sheet] == list(range(1, len(ranked) + 1))
    assert runsheet.load(outcome.run_sheet_text)[0] == outcome.run_sheet


@pytest.mark.parametrize(
    ("text", "warnings"),
    [
        (None, ()),
        ("[]", ()),
        ("{not json", ("run-sheet.json: ",)),
        ('{"rank": 1}', ("run-sheet.json: not a JSON array",)),
    ],
)
def test_a_damaged_previous_run_sheet_is_a_warning_and_the_sheet_is_rebuilt(
    text: str | None, warnings: tuple[str, ...]
) -> None:
    outcome = aggregate(
        _inputs(repos=(remote("acme/api", signal("license")),), run_sheet_text=text)
    )
    assert [(i.repo, i.signal) for i in outcome.run_sheet] == [("acme/api", "license")]
    assert len(outcome.view.warnings) == len(warnings)
    for found, start in zip(outcome.view.warnings, warnings, strict=True):
        assert found.startswith(start)
        assert found.endswith("it is rewritten from scratch on this run")


def test_the_dashboard_names_repositories_whose_fixes_are_not_dispatched_and_how_to_opt_in() -> (
    None
):
    repos = (
        remote("acme/api", signal("license")),
        remote("acme/ok", signal("license", "ok")),
        remote("acme/prime-org", signal("readme")),
        managed("acme/web", ("ci", 7.0)),
    )
    inputs = _inputs(repos=repos, home="acme/prime-org")
    outcome = aggregate(inputs.model_copy(update={"config": OrgConfig()}))
    assert [(i.repo, i.signal) for i in outcome.run_sheet] == [("acme/web", "ci")]
    assert outcome.view.not_dispatched == ("acme/api",)
    line = (
        "1 repositories without a Repo Prime have fixes Org Prime does not dispatch: acme/api. "
        "Install Prime there (`prime init . --mode org`), or opt them in with "
        "`dispatch_unmanaged:` in `.github/prime-org.yml`."
    )
    assert line in outcome.dashboard
    assert line in outcome.status_md


def test_warnings_read_in_come_before_the_run_sheets_own() -> None:
    outcome = aggregate(_inputs(warnings=("acme/api: bad config",), run_sheet_text="{"))
    assert outcome.view.warnings[0] == "acme/api: bad config"
    assert outcome.view.warnings[1].startswith("run-sheet.json: ")


@pytest.mark.parametrize(
    ("status", "after"),
    [("sending", "unknown"), ("sent", "sent"), ("failed", "failed"), ("unknown", "unknown")],
)
def test_a_delegation_left_sending_by_a_stopped_run_becomes_unknown_and_is_never_resent(
    status: DelegationStatus, after: DelegationStatus
) -> None:
    outcome = aggregate(_inputs(state=OrgState(delegations=(_delegation("acme/api", status),))))
    [entry] = outcome.state.delegations
    assert entry.status == after
    assert (entry.error == INTERRUPTED) == (status == "sending")


@pytest.mark.parametrize(
    ("results", "statuses"),
    [
        ({}, ["sending", "sending"]),
        ({"acme/api:ci": ("sent", "")}, ["sent", "sending"]),
        ({"acme/api:ci": ("sent", ""), "acme/web:ci": ("failed", "404")}, ["sent", "failed"]),
        ({"acme/web:ci": ("unknown", "timeout")}, ["sending", "unknown"]),
    ],
)
def test_settle_records_how_each_sending_delegation_went_and_re_renders(
    results: dict[str, tuple[DelegationStatus, str]], statuses: list[str]
) -> None:
    outcome = aggregate(_inputs())
    pending = (_delegation("acme/api"), _delegation("acme/web"))
    outcome = outcome.model_copy(update={"state": OrgState(delegations=pending)})
    settled = settle(outcome, results)
    assert [d.status for d in settled.state.delegations] == statuses
    assert settled.view.delegations == settled.state.delegations
    assert [d.error for d in settled.state.delegations if d.status in ("failed", "unknown")] == [
        error for status, error in results.values() if status in ("failed", "unknown")
    ]


def test_the_run_sheet_lists_at_most_its_configured_items_and_counts_the_rest() -> None:
    repos = tuple(remote(f"acme/r{n:02d}", signal("license", weight=n + 1)) for n in range(12))
    config = OrgConfig(run_sheet_max_items=5, dispatch_unmanaged=("*",))
    outcome = aggregate(_inputs(repos=repos, config=config))
    assert [i.repo for i in outcome.run_sheet] == [f"acme/r{n:02d}" for n in (11, 10, 9, 8, 7)]
    assert [i.rank for i in outcome.run_sheet] == [1, 2, 3, 4, 5]
    assert runsheet.load(outcome.run_sheet_text)[0] == outcome.run_sheet
    assert "**5** items on the run sheet (7 more ranked below them" in outcome.dashboard
    assert "7 more ranked below them" in outcome.status_md


def test_a_run_sheet_under_its_bound_says_nothing_of_one() -> None:
    outcome = aggregate(_inputs(repos=(remote("acme/a", signal("license")),)))
    assert "**1** items on the run sheet;" in outcome.dashboard
