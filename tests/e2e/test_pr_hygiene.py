"""PR hygiene over the fake GitHub: conflicted Prime PRs refreshed, stale and superseded closed.

Each case counts what people are notified of: the one comment a close writes, or none.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from prime_action.adapters.github.actions_env import ActionsEnv
from prime_action.adapters.github.client import GitHubClient
from prime_action.domain.markers import find_data
from prime_action.fileops.fixes import render_fix
from prime_action.flows.wake import GitHubWake, wake_on_github
from prime_action.repo.hygiene import HUMAN_NOTE, MANUAL_NOTE
from prime_action.runners import guardrails as rules
from prime_action.runners.fileops import pr_marker
from testing.github import FakeGitHub
from testing.state import Issue, iso
from tests.e2e.harness import FILES, REPO, TOKEN, prime_state
from tests.events.payloads import payload

PRIME = "github-actions[bot]"
OWNER = "@octo-org"
NOW = datetime.fromisoformat("2026-03-01T12:00:00+00:00")


@pytest.fixture
def fake(fake_github: FakeGitHub) -> FakeGitHub:
    """The demo repository, its clock a day before the wakes' moment."""
    fake_github.add_repo(REPO, FILES)
    fake_github.clock.set(NOW - timedelta(days=1))
    return fake_github


def wake(fake: FakeGitHub, tmp_path: Path, now: datetime = NOW) -> GitHubWake:
    """One wake of the repository's Prime (workflow_dispatch) at `now`."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload("workflow_dispatch")))
    env = ActionsEnv(
        repository=REPO, event_name="workflow_dispatch", event_path=event, token=TOKEN,
        api_url=fake.base_url, write_spacing=0,
    )  # fmt: skip
    client = GitHubClient(TOKEN, fake.base_url, write_spacing=0)
    try:
        return wake_on_github(env, client, now)
    finally:
        client.close()


def prime_pull(fake: FakeGitHub, *signals: str, branch: str | None = None) -> int:
    """Open a Prime PR as the fileops runner would: its fixes on `prime/<first signal>`."""
    files: dict[str, str] = {}
    for signal in signals:
        files |= render_fix(signal, sorted(FILES), owner=OWNER, license_id="MIT", year=2026)
    branch = branch or f"prime/{signals[0]}"
    fake.push(REPO, dict(files), branch=branch, message=f"prime: fix {signals[0]}", author=PRIME)
    markers = "\n".join(pr_marker(s) for s in signals)
    body = f"{markers}\nPrime's fix.\n{rules.content_marker(rules.content_hash(files))}\n"
    return fake.add_pull(REPO, branch, title="Prime: fix", body=body, user=PRIME)


def comments(fake: FakeGitHub) -> int:
    """Comments on every issue and PR of the repository."""
    return sum(len(fake.comments(REPO, i.number)) for i in fake.issues(REPO))


def pull(fake: FakeGitHub, number: int) -> Issue:
    """The fake's record of a PR."""
    return next(p for p in fake.pulls(REPO) if p.number == number)


def test_a_pr_idle_past_close_idle_days_is_closed_with_one_comment_not_read_as_a_no(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    number = prime_pull(fake, "editorconfig")
    pull(fake, number).updated_at = iso(NOW - timedelta(days=31))
    wake(fake, tmp_path)
    closed = pull(fake, number)
    assert closed.state == "closed"
    (comment,) = fake.comments(REPO, number)
    assert "nobody has touched it for 30 days" in comment.body
    assert "reopen this pull request" in comment.body
    assert find_data(closed.body) == {"closed_by": "prime", "closed_as": "stale"}
    assert prime_state(fake).refused == {}
    assert prime_state(fake).cooldown_until["editorconfig"] >= NOW + timedelta(days=30)
    before = comments(fake)
    wake(fake, tmp_path, NOW + timedelta(hours=7))
    assert comments(fake) == before


def test_a_pr_idle_under_close_idle_days_or_with_zero_days_stays_open(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    number = prime_pull(fake, "editorconfig")
    pull(fake, number).updated_at = iso(NOW - timedelta(days=29))
    wake(fake, tmp_path)
    assert pull(fake, number).state == "open"
    fake.push(REPO, {".github/prime.yml": "prs:\n  close_idle_days: 0\n"})
    pull(fake, number).updated_at = iso(NOW - timedelta(days=400))
    wake(fake, tmp_path, NOW + timedelta(hours=7))
    assert pull(fake, number).state == "open"
    assert fake.comments(REPO, number) == []


def test_an_older_pr_is_closed_naming_the_replacement_that_carries_its_signal(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    old = prime_pull(fake, "editorconfig")
    new = prime_pull(fake, "editorconfig", "security-policy", branch="prime/group-fileops")
    wake(fake, tmp_path)
    assert (pull(fake, old).state, pull(fake, new).state) == ("closed", "open")
    (comment,) = fake.comments(REPO, old)
    assert f"Superseded by #{new}" in comment.body
    assert fake.comments(REPO, new) == []
    assert find_data(pull(fake, old).body)["closed_as"] == "superseded"


def test_a_conflicted_fileops_pr_is_rebuilt_on_the_moved_base_without_a_comment(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    number = prime_pull(fake, "editorconfig", "security-policy")
    # A person adds an .editorconfig of their own on main: the PR's one conflicts with it.
    fake.push(REPO, {".editorconfig": "root = true\n"})
    outcome = wake(fake, tmp_path)
    refreshed = pull(fake, number)
    assert refreshed.state == "open"
    assert fake.comments(REPO, number) == []
    head = fake.ref(REPO, "prime/editorconfig")
    main = fake.ref(REPO, "main")
    repo = fake.repos[REPO.lower()]
    assert repo.git.is_ancestor(str(main), str(head))
    assert not repo.git.clashes(str(main), str(head))
    assert fake.read(REPO, ".editorconfig", ref="prime/editorconfig") == "root = true\n"
    assert fake.read(REPO, "SECURITY.md", ref="prime/editorconfig") is not None
    digest = rules.content_hash(
        {"SECURITY.md": fake.read(REPO, "SECURITY.md", "prime/editorconfig") or ""}
    )
    assert rules.content_of(refreshed.body or "") == digest
    assert outcome.report is not None
    assert any(line.startswith(f"refreshed PR #{number}") for line in outcome.report.executed)


def test_a_conflicted_pr_whose_fix_main_now_has_is_closed_with_one_comment(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    number = prime_pull(fake, "editorconfig")
    fake.push(REPO, {".editorconfig": "root = true\n"})
    wake(fake, tmp_path)
    assert pull(fake, number).state == "closed"
    (comment,) = fake.comments(REPO, number)
    assert "main already has what this pull request adds" in comment.body


def test_a_conflicted_pr_with_a_persons_commit_is_left_with_one_body_note_and_no_comment(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    number = prime_pull(fake, "editorconfig")
    fake.push(REPO, {"notes.txt": "mine\n"}, branch="prime/editorconfig", message="tweak")
    head = fake.ref(REPO, "prime/editorconfig")
    fake.push(REPO, {".editorconfig": "root = true\n"})
    wake(fake, tmp_path)
    left = pull(fake, number)
    assert (left.state, fake.ref(REPO, "prime/editorconfig")) == ("open", head)
    assert (left.body or "").count(HUMAN_NOTE) == 1
    assert fake.comments(REPO, number) == []
    wake(fake, tmp_path, NOW + timedelta(hours=7))
    assert (pull(fake, number).body or "").count(HUMAN_NOTE) == 1


def test_reading_prime_prs_gets_each_again_while_github_computes_mergeability(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    number = prime_pull(fake, "editorconfig")
    prime_pull(fake, "security-policy")
    fake.add_pull(REPO, "main", title="a person's PR", base="main")  # not Prime's: never read
    wake(fake, tmp_path)
    gets = [
        r for r in fake.log if r.method == "GET" and r.template.endswith("/pulls/{pull_number}")
    ]
    assert len(gets) == 4  # two PRs, each answered null once
    fake.reset_counts()
    wake(fake, tmp_path, NOW + timedelta(hours=7))
    gets = [
        r for r in fake.log if r.method == "GET" and r.template.endswith("/pulls/{pull_number}")
    ]
    assert len(gets) == 2  # nothing moved: GitHub's answer stands
    compares = [r for r in fake.log if r.template.endswith("/compare/{basehead}")]
    assert len(compares) == 2  # who wrote each PR's commits
    assert pull(fake, number).state == "open"


def test_a_stale_pr_a_person_reopens_loses_prime_s_mark_and_stays_open(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    number = prime_pull(fake, "editorconfig")
    pull(fake, number).updated_at = iso(NOW - timedelta(days=31))
    wake(fake, tmp_path)
    reopened = pull(fake, number)
    reopened.state, reopened.updated_at = "open", iso(NOW)
    wake(fake, tmp_path, NOW + timedelta(hours=7))
    assert pull(fake, number).state == "open"
    assert "closed_by" not in find_data(pull(fake, number).body)
    assert len(fake.comments(REPO, number)) == 1


def test_a_conflicted_pr_that_is_more_than_a_templated_fix_is_noted_once_and_left(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    number = prime_pull(fake, "editorconfig")
    # An agent's change for the same signal: Prime's commit, but files no template writes.
    fake.push(
        REPO, {"src/app.py": "x = 1\n"}, branch="prime/editorconfig",
        message="prime: fix editorconfig", author=PRIME,
    )  # fmt: skip
    head = fake.ref(REPO, "prime/editorconfig")
    fake.push(REPO, {".editorconfig": "root = true\n"})
    wake(fake, tmp_path)
    wake(fake, tmp_path, NOW + timedelta(hours=7))
    left = pull(fake, number)
    assert (left.state, fake.ref(REPO, "prime/editorconfig")) == ("open", head)
    assert (left.body or "").count(MANUAL_NOTE) == 1
    assert fake.comments(REPO, number) == []
