"""Growth mode's tickets: task-labelled issues in one listing, adopted in one write.

A dry run plans the adoption and writes nothing: tests/repo/test_planner.py and the e2e dry runs.
"""

from __future__ import annotations

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.growth_tickets import GitHubTaskTickets
from prime_action.growth.adopt import Candidate
from testing.github import FakeGitHub

REPO = "acme/api"


def test_task_issues_open_and_closed_come_in_one_listing_without_pull_requests(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    one = fake_github.add_issue(REPO, "Task one", "do it", labels=["ai-task"])
    two = fake_github.add_issue(
        REPO, "Task two", None, labels=["ai-task", "later"], user="dana",
        author_association="CONTRIBUTOR", state="closed",
    )  # fmt: skip
    fake_github.add_issue(REPO, "Unlabelled", "no")
    fake_github.push(REPO, {"a": "1"}, branch="prime/growth.e1.t1")
    fake_github.add_pull(REPO, "prime/growth.e1.t1", labels=["ai-task"])
    fake_github.reset_counts()
    found = GitHubTaskTickets(client, REPO).task_issues("ai-task")
    assert sorted(found, key=lambda c: c.number) == [
        Candidate(number=one, title="Task one", body="do it", labels=("ai-task",),
                  state="open", association="OWNER"),
        Candidate(number=two, title="Task two", body="", labels=("ai-task", "later"),
                  state="closed", association="CONTRIBUTOR"),
    ]  # fmt: skip
    assert len(fake_github.requests) == 1


def test_adopting_writes_the_body_and_labels_in_one_request(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo(REPO)
    number = fake_github.add_issue(REPO, "Task", "do it", labels=["ai-task"])
    tickets = GitHubTaskTickets(client, REPO)
    tickets.task_issues("ai-task")
    fake_github.reset_counts()
    tickets.adopt(number, "<!-- prime:signal=growth.e1.t1 -->\ndo it", ("ai-task", "automated"))
    [issue] = fake_github.issues(REPO)
    assert issue.body == "<!-- prime:signal=growth.e1.t1 -->\ndo it"
    assert issue.labels == ["ai-task", "automated"]
    assert fake_github.requests == [("PATCH", f"/repos/{REPO}/issues/{number}")]
