"""Growth mode's tickets over PyGithub: issues by the seed's task label, and adopting them."""

from __future__ import annotations

from github.Issue import Issue
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient
from prime_action.growth.adopt import Candidate


def _raw(issue: Issue) -> dict[str, object]:
    # The payload as listed: PyGithub's `raw_data` would fetch each issue again to complete it.
    raw: dict[str, object] = issue._rawData
    return raw


def candidate(issue: Issue) -> Candidate:
    """The issue as adoption sees it (its author's association read from the payload)."""
    return Candidate(
        number=issue.number,
        title=issue.title,
        body=issue.body or "",
        labels=tuple(label.name for label in issue.labels),
        state="closed" if issue.state == "closed" else "open",
        association=str(_raw(issue).get("author_association", "NONE")),
    )


class GitHubTaskTickets:
    """One repository's task-labelled issues, and adopting them."""

    def __init__(self, client: GitHubClient, repo: str) -> None:
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self._issues: dict[int, Issue] = {}

    def task_issues(self, label: str) -> tuple[Candidate, ...]:
        """Every issue with the label, open or closed (one listing), pull requests left out."""
        found = self._client.read(
            f"list {label} issues",
            lambda: list(self._repo.get_issues(state="all", labels=[label])),
        )
        self._issues = {i.number: i for i in found if "pull_request" not in _raw(i)}
        return tuple(candidate(i) for i in self._issues.values())

    def adopt(self, number: int, body: str, labels: tuple[str, ...]) -> None:
        """Write Prime's markers and labels on an issue of the listing (one request)."""
        issue = self._issues[number]
        self._client.write(f"adopt #{number}", lambda: issue.edit(body=body, labels=list(labels)))
