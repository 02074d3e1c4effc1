"""The data plane end to end over the fake: run sheet -> dispatch -> runner -> report -> wake."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from prime_action.cli import main
from prime_action.dispatch.ledger import LEDGER_FILE, parse_ledger
from prime_action.domain.clock import SystemClock
from prime_action.domain.markers import DASHBOARD, data_marker, signal_marker
from prime_action.domain.models import Attempt, PrimeState
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.faults import Fault
from testing.github import FakeGitHub
from tests.e2e.harness import TOKEN, actions_env
from tests.e2e.invariants import PRIME_LOGIN as PRIME
from tests.events.payloads import payload

ORG = "acme/prime-org"
REPOS = ("acme/api", "acme/web", "acme/cli")
SIGNAL = "security-policy"


class DataPlane:
    """Runs `prime` commands as the org repository's workflows would, one Actions run each."""

    def __init__(self, fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fake = fake
        self.tmp = tmp_path
        self.monkeypatch = monkeypatch
        self.runs = 0

    def env(self, repo: str, event_name: str, event: dict[str, Any], **extra: str) -> Path:
        """Set the Actions environment of one run; return its RUNNER_TEMP."""
        self.runs += 1
        temp = self.tmp / f"run-{self.runs}"
        temp.mkdir()
        (temp / "event.json").write_text(json.dumps(event))
        actions_env(
            self.monkeypatch,
            self.fake,
            temp,
            repo=repo,
            event_name=event_name,
            event=temp / "event.json",
            GITHUB_REF="refs/heads/main",
            RUNNER_TEMP=str(temp),
            **extra,
        )
        return temp

    def dispatch(self, repo: str = ORG) -> int:
        """One dispatcher run; return its exit code."""
        self.env(repo, "workflow_dispatch", {"inputs": {}})
        return main(["dispatch"])

    def runner(self, index: int, repo: str = ORG) -> tuple[int, int]:
        """Run the runner workflow of the index-th dispatch: its propose job's `prime run
        --apply` (a fileops job has no read-only half), then `prime report`."""
        sent = self.fake.dispatches[index]
        temp = self.env(repo, "workflow_dispatch", {"inputs": sent.inputs},
                        GITHUB_RUN_ID=str(sent.run_id))  # fmt: skip
        ran = main(["run", "--apply", str(temp / "prime-result")])
        return ran, main(["report"])

    def wake(
        self, repo: str, stem: str = "repository_dispatch", changes: dict[str, Any] | None = None
    ) -> tuple[int, str]:
        """The repository's wake on an example event (by default a `prime-job-result`)."""
        owner, name = repo.split("/")
        event = payload(
            stem,
            {
                "repository.full_name": repo,
                "repository.name": name,
                "repository.owner.login": owner,
                "repository.default_branch": "main",
                **(changes or {}),
            },
        )
        temp = self.env(repo, stem.partition(".")[0], event)
        code = main(["wake"])
        return code, (temp / "summary.md").read_text()

    def job_result(self, repo: str, client_payload: dict[str, Any]) -> tuple[int, str]:
        """The wake a runner's `prime-job-result` repository_dispatch starts."""
        changes = {
            "action": "prime-job-result",
            "client_payload": client_payload,
            "sender.login": "github-actions[bot]",
            "sender.type": "Bot",
        }
        return self.wake(repo, "repository_dispatch", changes)

    def ledger(self, repo: str = ORG) -> tuple[Attempt, ...]:
        return parse_ledger(self.fake.read(repo, LEDGER_FILE, "prime-state") or "")


def sheet(repos: tuple[str, ...], signal: str = SIGNAL, **extra: object) -> str:
    items = [
        {
            "rank": rank,
            "repo": repo,
            "signal": signal,
            "runner": "fileops",
            "reason": "no security policy",
            "approach": "Add SECURITY.md from the template",
            "cooldown_hours": 72,
            "added_at": "2026-01-01T00:00:00Z",
            **extra,
        }
        for rank, repo in enumerate(repos, start=1)
    ]
    return json.dumps(items, indent=2)


def arrange(fake: FakeGitHub, repos: tuple[str, ...] = REPOS) -> dict[str, int]:
    """The org repo with its runner workflow and run sheet; targets with a tracking issue."""
    fake.add_repo(
        ORG,
        {
            RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=False),
            "run-sheet.json": sheet(repos),
        },
    )
    issues = {}
    for repo in repos:
        fake.add_repo(repo, {"README.md": "# app\n", "pyproject.toml": "[project]\nname='x'\n"})
        body = f"{signal_marker(SIGNAL)}\nNo security policy."
        issues[repo] = fake.add_issue(
            repo, "Prime: security-policy", body, labels=["automated", "in-progress"],
            user="github-actions[bot]",
        )  # fmt: skip
    return issues


def test_run_sheet_to_pull_requests_to_repository_wakes_for_three_repositories(
    plane: DataPlane, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    issues = arrange(fake_github)

    assert plane.dispatch() == 0
    assert [d.inputs["repo"] for d in fake_github.dispatches] == list(REPOS)
    assert all(d.path == RUNNER_WORKFLOW_PATH for d in fake_github.dispatches)
    for index in range(3):
        assert plane.runner(index) == (0, 0)

    ledger = plane.ledger()
    assert [a.status for a in ledger] == ["success"] * 3
    for repo in REPOS:
        (pull,) = fake_github.pulls(repo)
        assert pull.pull is not None
        assert pull.pull.head == "prime/fileops"  # the template fixes' one PR (prs.group)
        assert f"Fixes #{issues[repo]}" in (pull.body or "")
        assert fake_github.read(repo, "SECURITY.md", "prime/fileops")
        # The PR notified whoever follows the issue (its `Fixes #n`): no comment besides.
        assert fake_github.comments(repo, issues[repo]) == []
        (issue,) = fake_github.issues(repo)
        assert "in-progress" not in issue.labels
    results = [r for r in fake_github.repository_dispatches if r.event_type == "prime-job-result"]
    assert sorted(r.repo for r in results) == sorted(REPOS)
    for result in results:
        code, summary = plane.job_result(result.repo, result.client_payload)
        assert code == 0
        assert "Reason: **job-result**" in summary
    assert TOKEN not in capsys.readouterr().out


def test_rerunning_dispatch_dispatches_nothing_new_and_writes_nothing(
    plane: DataPlane, fake_github: FakeGitHub
) -> None:
    arrange(fake_github)
    assert plane.dispatch() == 0
    ref = fake_github.ref(ORG, "prime-state")
    fake_github.reset_counts()

    assert plane.dispatch() == 0

    assert len(fake_github.dispatches) == 3
    assert fake_github.writes == 0
    assert fake_github.ref(ORG, "prime-state") == ref


@pytest.mark.parametrize("fault", [Fault.CONNECTION_ERROR, Fault.APPLIED_THEN_ERROR])
def test_a_crash_between_the_ledger_write_and_the_dispatch_never_double_dispatches(
    plane: DataPlane, fake_github: FakeGitHub, fault: Fault
) -> None:
    arrange(fake_github, REPOS[:1])
    # The ledger write ends by moving (here: creating) the prime-state ref; the request right
    # after it is the dispatch, which fails as a crash would.
    fake_github.on_request(
        lambda r: r.method == "POST" and r.template.endswith("/git/refs"),
        lambda fake: fake.fail(1, fault),
    )

    assert plane.dispatch() == 1
    (attempt,) = plane.ledger()
    assert attempt.status == "pending"
    applied = len(fake_github.dispatches)
    assert applied == (1 if fault is Fault.APPLIED_THEN_ERROR else 0)

    assert plane.dispatch() == 0
    assert len(fake_github.dispatches) == applied
    assert [a.id for a in plane.ledger()] == [attempt.id]


@pytest.mark.parametrize("fault", [Fault.CONNECTION_ERROR, Fault.APPLIED_THEN_ERROR])
def test_an_unconfirmed_dispatch_is_settled_by_the_runner_runs_after_ten_minutes(
    plane: DataPlane, fake_github: FakeGitHub, fault: Fault, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrange(fake_github, REPOS[:1])
    fake_github.on_request(
        lambda r: r.method == "POST" and r.template.endswith("/git/refs"),
        lambda fake: fake.fail(1, fault),
    )
    assert plane.dispatch() == 1
    (attempt,) = plane.ledger()
    later = SystemClock().now() + timedelta(minutes=11)
    monkeypatch.setattr(SystemClock, "now", lambda self: later)

    assert plane.dispatch() == 0

    if fault is Fault.APPLIED_THEN_ERROR:  # the run exists: its id is noted, nothing resent
        assert len(fake_github.dispatches) == 1
        (settled,) = plane.ledger()
        assert settled.run_id == fake_github.dispatches[0].run_id
        assert settled.status == "pending"
    else:  # no run carries the attempt: released, and its item dispatched once more
        assert len(fake_github.dispatches) == 1
        released, again = plane.ledger()
        assert (released.id, released.status) == (attempt.id, "cancelled")
        assert "never confirmed" in released.reason
        assert fake_github.dispatches[0].inputs["attempt"] == again.id != attempt.id


def test_three_failures_for_the_same_reason_block_the_item_with_one_needs_human_label(
    plane: DataPlane, fake_github: FakeGitHub
) -> None:
    issues = arrange(fake_github, REPOS[:1])
    agent = sheet(REPOS[:1], runner="agent", cooldown_hours=0, fingerprint="fp1")
    fake_github.push(ORG, {"run-sheet.json": agent})

    for index in range(3):
        assert plane.dispatch() == 0
        assert plane.runner(index) == (1, 0)
    assert plane.dispatch() == 0

    assert len(fake_github.dispatches) == 3
    assert [a.status for a in plane.ledger()] == ["failed", "failed", "blocked"]
    (issue,) = fake_github.issues(REPOS[0])
    assert issue.labels.count("needs-human") == 1
    # Failures that will be retried are no news; the one that needs a person is.
    (comment,) = fake_github.comments(REPOS[0], issues[REPOS[0]])
    assert "asks a maintainer to look" in " ".join(comment.body.split())
    statuses = [r.client_payload["status"] for r in fake_github.repository_dispatches]
    assert statuses == ["failed", "failed", "blocked"]


def test_a_blocked_item_runs_again_once_its_fingerprint_changes(
    plane: DataPlane, fake_github: FakeGitHub
) -> None:
    arrange(fake_github, REPOS[:1])
    fake_github.push(ORG, {"run-sheet.json": sheet(REPOS[:1], runner="agent", cooldown_hours=0)})
    for index in range(3):
        plane.dispatch()
        plane.runner(index)

    fake_github.push(ORG, {"run-sheet.json": sheet(REPOS[:1], cooldown_hours=0, fingerprint="new")})
    assert plane.dispatch() == 0

    assert len(fake_github.dispatches) == 4


def test_an_attempt_with_no_report_after_its_timeout_becomes_timeout(
    plane: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrange(fake_github, REPOS[:1])
    fake_github.push(ORG, {"run-sheet.json": sheet(REPOS[:1], cooldown_hours=0)})
    plane.dispatch()

    plane.env(ORG, "schedule", {})
    assert main(["dispatch", "--timeout-hours", "0.000001"]) == 0

    first, second = plane.ledger()
    assert (first.status, first.reason) == ("timeout", "no report within 1e-06 hours")
    assert second.status == "pending"
    assert len(fake_github.dispatches) == 2


def test_jobs_lists_attempts_and_cancel_stops_the_run_through_the_actions_api(
    plane: DataPlane, fake_github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    arrange(fake_github, REPOS[:1])
    plane.dispatch()
    (attempt,) = plane.ledger()
    capsys.readouterr()

    assert main(["jobs"]) == 0
    listing = capsys.readouterr().out
    assert attempt.id in listing
    assert "pending" in listing
    assert main(["jobs", "cancel", attempt.id]) == 0

    (cancelled,) = plane.ledger()
    assert cancelled.status == "cancelled"
    run = fake_github.repos[ORG].runs[fake_github.dispatches[0].run_id]
    assert (run.status, run.conclusion) == ("completed", "cancelled")
    assert main(["jobs", "cancel", attempt.id]) == 2
    assert "not pending or running" in capsys.readouterr().err


def test_standalone_mode_runs_the_whole_loop_in_one_repository(
    plane: DataPlane, fake_github: FakeGitHub
) -> None:
    solo = "acme/solo"
    files = {
        "README.md": "# solo\n",
        "pyproject.toml": "[project]\nname = 'solo'\n",
        RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True),
    }
    fake_github.add_repo(solo, files)
    fake_github.set_ci(solo, "success")

    code, _ = plane.wake(solo, "workflow_dispatch")
    assert code == 0
    dispatched = list(fake_github.dispatches)
    assert dispatched
    assert {(d.repo, d.path) for d in dispatched} == {(solo, RUNNER_WORKFLOW_PATH)}
    assert fake_github.read(solo, "state.json", "prime-state")
    assert [a.status for a in plane.ledger(solo)] == ["pending"] * len(dispatched)

    for index in range(len(dispatched)):
        assert plane.runner(index, repo=solo)[1] == 0
    ledger = plane.ledger(solo)
    fileops = [a for a in ledger if a.runner == "fileops"]
    assert fileops
    assert all(a.status == "success" and a.pr_url for a in fileops)
    assert len(fake_github.pulls(solo)) == 1  # every template fix in one PR (prs.group)
    for result in fake_github.repository_dispatches:
        assert result.repo == solo
        code, summary = plane.job_result(solo, result.client_payload)
        assert code == 0
        assert "Reason: **job-result**" in summary
    # The repository's Prime folded the results in: those jobs are done, their PRs await review.
    state = PrimeState.model_validate_json(
        fake_github.read(solo, "state.json", "prime-state") or ""
    )
    done = {a.signal for a in fileops}
    assert not done & {job.signal for job in state.in_flight}
    assert done <= set(state.cooldown_until)

    plane.wake(solo, "workflow_dispatch")
    attempts = [d.inputs["attempt"] for d in fake_github.dispatches]
    assert len(set(attempts)) == len(attempts)  # no attempt was ever started twice
    signals = [d.inputs["signal"] for d in fake_github.dispatches]
    assert all(signals.count(a.signal) == 1 for a in fileops)  # done work is not redone


@pytest.mark.slow
def test_a_github_outage_under_a_runner_cancels_its_attempt_quietly_and_does_not_escalate(
    plane: DataPlane, fake_github: FakeGitHub
) -> None:
    issues = arrange(fake_github, REPOS[:1])
    agent = sheet(REPOS[:1], runner="agent", cooldown_hours=0, fingerprint="fp1")
    fake_github.push(ORG, {"run-sheet.json": agent})

    for index in range(4):
        assert plane.dispatch() == 0
        if index == 1:  # the runner's first ref move (marking its attempt running) and all
            # its repeats get a 502 (fail(n) counts from the request after the matched commit)
            fake_github.on_request(
                lambda r: r.method == "POST" and r.template.endswith("/git/commits"),
                lambda fake: [fake.fail(n, Fault.BAD_GATEWAY) for n in range(1, 5)],
            )
        assert plane.runner(index) == (1, 0)

    statuses = [a.status for a in plane.ledger()]
    assert statuses == ["failed", "cancelled", "failed", "blocked"]
    assert "GitHub failed under the job" in plane.ledger()[1].reason
    comments = fake_github.comments(REPOS[0], issues[REPOS[0]])
    (comment,) = comments  # none for the outage, none for a failure retried: one to act on
    assert "asks a maintainer to look" in " ".join(comment.body.split())
    sent = [r.client_payload["status"] for r in fake_github.repository_dispatches]
    assert sent == ["failed", "cancelled", "failed", "blocked"]


def untracked(fake: FakeGitHub, fingerprint: str = "fp-1") -> tuple[str, str]:
    """The org repository and two targets with no tracking issue: one with a Prime (its
    dashboard), one without; the run sheet carries the signal's fingerprint."""
    managed, unmanaged = REPOS[:2]
    sheet_text = sheet((managed, unmanaged), fingerprint=fingerprint)
    workflow = render_runner_workflow(standalone=False)
    fake.add_repo(ORG, {RUNNER_WORKFLOW_PATH: workflow, "run-sheet.json": sheet_text})
    for repo in (managed, unmanaged):
        fake.add_repo(repo, {"README.md": "# app\n"})
    body = f"{DASHBOARD}\nPrime's dashboard"
    fake.add_issue(managed, "Prime dashboard", body, labels=["automated"], user=PRIME)
    return managed, unmanaged


def tracking(fake: FakeGitHub, repo: str) -> list[int]:
    return [i.number for i in fake.issues(repo) if signal_marker(SIGNAL) in (i.body or "")]


def test_a_job_with_no_tracking_issue_opens_a_pr_as_its_record_and_no_issue_anywhere(
    plane: DataPlane, fake_github: FakeGitHub
) -> None:
    managed, unmanaged = untracked(fake_github)
    assert plane.dispatch() == 0
    assert plane.runner(0) == (0, 0)  # the managed repository
    assert plane.runner(1) == (0, 0)

    for repo in (managed, unmanaged):
        assert tracking(fake_github, repo) == []
        (pull,) = fake_github.pulls(repo)
        assert "Fixes #" not in (pull.body or "")
        assert "tells Prime not to propose these changes again" in " ".join(
            (pull.body or "").split()
        )
    assert plane.runner(0) == (0, 0)  # the workflow re-run
    assert len(fake_github.pulls(managed)) == 1
    # The repository's Prime folds the result in and opens nothing either.
    result = next(r for r in fake_github.repository_dispatches if r.repo == managed)
    assert plane.job_result(managed, result.client_payload)[0] == 0
    assert tracking(fake_github, managed) == []
    assert (
        sum(len(fake_github.comments(managed, i.number)) for i in fake_github.issues(managed)) == 0
    )


@pytest.mark.parametrize(("closed_by", "fixes"), [("human", False), ("prime", False)])
def test_a_runner_never_reopens_a_closed_issue(
    plane: DataPlane, fake_github: FakeGitHub, closed_by: str, fixes: bool
) -> None:
    managed, _ = untracked(fake_github)
    data = {"signal": SIGNAL, "fingerprint": "fp-1"} | (
        {"closed_by": "prime"} if closed_by == "prime" else {}
    )
    body = f"{signal_marker(SIGNAL)}\n{data_marker(data)}\nNo security policy."
    number = fake_github.add_issue(
        managed, "Prime: security-policy", body, labels=["automated"], user=PRIME, state="closed"
    )
    assert plane.dispatch() == 0
    assert plane.runner(0) == (0, 0)

    (issue,) = (i for i in fake_github.issues(managed) if i.number == number)
    assert issue.state == "closed"
    (pull,) = fake_github.pulls(managed)
    assert (f"Fixes #{number}" in (pull.body or "")) is fixes


@pytest.mark.parametrize("first_merged", [False, True])
def test_the_organisation_pr_limit_counts_prs_open_now_not_prs_ever_opened(
    plane: DataPlane, fake_github: FakeGitHub, first_merged: bool
) -> None:
    arrange(fake_github, REPOS[:2])
    # Not security-policy: security signals pass the open-PR limits. Not codeowners: an
    # organisation cannot own code, so that fix is blocked for a person before any PR.
    fake_github.push(ORG, {"run-sheet.json": sheet(REPOS[:2], "editorconfig")})
    for repo in REPOS[:2]:
        fake_github.push(repo, {".github/prime.yml": "version: 1\nprs:\n  org_max_open: 1\n"})
    assert plane.dispatch() == 0
    assert plane.runner(0) == (0, 0)
    (first,) = fake_github.pulls(REPOS[0])
    if first_merged:
        first.state = "closed"
        assert first.pull is not None
        first.pull.merged = True

    plane.runner(1)

    (_, second) = plane.ledger()
    if first_merged:  # the ledger still names the first PR: GitHub says it is closed
        assert (second.status, len(fake_github.pulls(REPOS[1]))) == ("success", 1)
    else:
        assert second.status == "failed"
        assert "1 Prime PRs open in the organisation (prs.org_max_open: 1)" in second.reason
        assert fake_github.pulls(REPOS[1]) == []
