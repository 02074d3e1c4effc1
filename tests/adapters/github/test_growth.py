"""Growth mode's PR host: a PR's evidence read, follow-ups posted once per head, merges pinned."""

from __future__ import annotations

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.growth import GitHubGrowth, maintain, round_marker, signal_of
from prime_action.domain.errors import GitHubError
from prime_action.growth.maintainer import Move
from prime_action.growth.review import AddedLine
from testing.github import FakeGitHub
from testing.state import CheckRun

REPO = "acme/api"
BRANCH = "prime/growth.e1.t1"


def _pr(fake: FakeGitHub, files: dict[str, str | None] | None = None) -> int:
    fake.add_repo(REPO, {"README.md": "# api\n", "old.txt": "old\n"})
    fake.push(REPO, files or {"src/a.py": "x = 1\n"}, branch=BRANCH, message="work")
    return fake.add_pull(REPO, BRANCH, title="Task t1", user="github-actions[bot]")


def test_changes_give_each_files_added_lines_and_new_content(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    number = _pr(fake_github, {"src/a.py": "x = 1\ny = 2\n", "old.txt": None})
    host = GitHubGrowth(client, REPO)
    changes = {c.path: c for c in host.changes(host.pull(number))}
    assert changes["src/a.py"].added == (
        AddedLine(number=1, text="x = 1"),
        AddedLine(number=2, text="y = 2"),
    )
    assert changes["src/a.py"].content == "x = 1\ny = 2\n"
    assert changes["old.txt"].removed == ("old",)
    assert changes["old.txt"].content is None  # a removed file is not read


def test_checks_give_the_newest_run_of_each_name_and_none_while_running(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    number = _pr(fake_github)
    head = fake_github.ref(REPO, BRANCH) or ""
    runs = [
        CheckRun(1, "test", head, "completed", "failure", "t", "t"),
        CheckRun(2, "test", head, "completed", "success", "t", "t"),
        CheckRun(3, "lint", head, "in_progress", None, "t", None),
    ]
    fake_github.repos[REPO].check_runs[head] = runs
    host = GitHubGrowth(client, REPO)
    assert host.checks(host.pull(number).head.sha) == {"test": "success", "lint": None}


def test_text_at_reads_a_file_at_a_commit_and_an_absent_one_is_none(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    _pr(fake_github)
    host = GitHubGrowth(client, REPO)
    head = fake_github.ref(REPO, BRANCH) or ""
    assert host.text_at("src/a.py", head) == "x = 1\n"
    assert host.text_at("src/a.py", fake_github.ref(REPO, "main") or "") is None
    assert host.text_at("src", head) is None  # a directory is no file


def test_rounds_count_follow_ups_on_earlier_heads_and_see_this_heads_own(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    number = _pr(fake_github)
    host = GitHubGrowth(client, REPO)
    first = host.pull(number)
    assert host.rounds(first) == (0, False)
    host.comment(first, f"{round_marker(number, first.head.sha)}\nround 1")
    assert host.rounds(first) == (0, True)
    fake_github.push(REPO, {"src/a.py": "x = 2\n"}, branch=BRANCH)
    fake_github.add_comment(REPO, number, "a person's remark")
    assert host.rounds(host.pull(number)) == (1, False)


def test_comment_once_writes_only_when_no_comment_carries_the_marker(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    number = _pr(fake_github)
    host = GitHubGrowth(client, REPO)
    pull = host.pull(number)
    assert host.comment_once(pull, "<!-- k -->", "<!-- k -->\nfirst") is True
    assert host.comment_once(pull, "<!-- k -->", "<!-- k -->\nagain") is False
    assert [c.body for c in fake_github.comments(REPO, number)] == ["<!-- k -->\nfirst"]


def test_open_pull_of_finds_the_open_pr_of_a_branch_only(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    number = _pr(fake_github)
    host = GitHubGrowth(client, REPO)
    assert host.open_pull_of(BRANCH) == number
    assert host.open_pull_of("prime/growth.e1.t2") is None
    fake_github.repos[REPO].issues[number].state = "closed"
    assert host.open_pull_of(BRANCH) is None


def test_merge_squashes_at_the_judged_head(fake_github: FakeGitHub, client: GitHubClient) -> None:
    number = _pr(fake_github)
    host = GitHubGrowth(client, REPO)
    host.merge(host.pull(number), "Task t1 (#1)")
    assert fake_github.read(REPO, "src/a.py") == "x = 1\n"
    assert fake_github.pulls(REPO)[0].state == "closed"


def test_a_head_that_moved_after_the_judgement_is_not_merged(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    # GitHub answers 409 when `sha` is no longer the head: what was judged is what merges.
    number = _pr(fake_github)
    host = GitHubGrowth(client, REPO)
    judged = host.pull(number)
    assert judged.head.sha  # the gate reads the head when it judges
    fake_github.push(REPO, {"src/a.py": "unreviewed\n"}, branch=BRANCH)
    with pytest.raises(GitHubError) as caught:
        host.merge(judged, "Task t1")
    assert caught.value.status == 409
    assert fake_github.read(REPO, "src/a.py") is None


def test_asking_reviewers_is_one_request_naming_them(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    number = _pr(fake_github)
    host = GitHubGrowth(client, REPO)
    pull = host.pull(number)
    assert host.requested(pull) == ()
    fake_github.reset_counts()
    host.ask(pull, ("alice", "bob"))
    assert fake_github.requests == [("POST", f"/repos/{REPO}/pulls/{number}/requested_reviewers")]
    assert fake_github.repos[REPO].issues[number].pull.requested_reviewers == ["alice", "bob"]


@pytest.mark.parametrize(
    ("head", "signal"),
    [
        ("prime/growth.e1.t1", "growth.e1.t1"),
        ("prime/license", None),
        ("feature/growth.e1.t1", None),
        ("growth.e1.t1", None),
    ],
)
def test_signal_of_names_a_growth_ticket_only_on_a_prime_branch(
    fake_github: FakeGitHub, client: GitHubClient, head: str, signal: str | None
) -> None:
    fake_github.add_repo(REPO)
    fake_github.push(REPO, {"a": "1"}, branch=head)
    number = fake_github.add_pull(REPO, head)
    assert signal_of(GitHubGrowth(client, REPO).pull(number)) == signal


@pytest.mark.parametrize(
    ("move", "ticket", "line"),
    [
        (Move(kind="merge", reason="green"), 7, "merged PR #1 for ticket #7"),
        (Move(kind="merge", reason="green"), None, "merged PR #1"),
        (Move(kind="ask", reviewers=("alice",), reason="policy"), 7, "asked alice to review PR #1"),
        (Move(kind="wait", reason="checks are running"), 7, "PR #1: checks are running"),
    ],
)
def test_maintain_carries_out_the_move_and_says_what_it_did(
    fake_github: FakeGitHub, client: GitHubClient, move: Move, ticket: int | None, line: str
) -> None:
    number = _pr(fake_github)
    host = GitHubGrowth(client, REPO)
    assert maintain(host, host.pull(number), move, ticket) == line
    merged = fake_github.pulls(REPO)[0].state == "closed"
    assert merged == (move.kind == "merge")


def test_reading_a_pr_is_one_request_made_at_once_and_retried_after_a_5xx(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    number = _pr(fake_github)
    fake_github.reset_counts()
    fake_github.fail(1)
    judged = GitHubGrowth(client, REPO).pull(number)
    assert len(fake_github.requests) == 2  # the 5xx, then the read that answered
    fake_github.push(REPO, {"src/a.py": "unreviewed\n"}, branch=BRANCH)
    with pytest.raises(GitHubError) as caught:  # the head read then is the head merged
        GitHubGrowth(client, REPO).merge(judged, "Task t1")
    assert caught.value.status == 409
