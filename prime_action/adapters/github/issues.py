"""Issue store over GitHub issues: tracking issues and the dashboard found by their markers."""

from __future__ import annotations

from collections.abc import Callable

from github.Issue import Issue
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient, is_missing
from prime_action.config.models import LabelSettings
from prime_action.domain.errors import GitHubError
from prime_action.domain.markers import DASHBOARD, data_marker, find_data, find_signal
from prime_action.domain.ports import DashboardCopy, TrackedIssue
from prime_action.repo.dashboard import DASHBOARD_TITLE

LABEL_COLOURS = {"needs-human": "d93f0b", "in-progress": "fbca04"}
LABEL_TEXT = {"needs-human": "Prime needs a maintainer's decision here"}


def _closed_by_prime(body: str) -> str:
    """The body with Prime's data marker saying Prime closed it (a human close lacks this)."""
    data = find_data(body)
    old = data_marker(data)
    new = data_marker({**data, "closed_by": "prime"})
    return body.replace(old, new) if old in body else f"{body}\n{new}"


class GitHubIssueStore:
    """Prime's issues carry the `automated` label and a hidden marker; titles are never keys."""

    def __init__(
        self, client: GitHubClient, repo: str, labels: LabelSettings, *, author: str | None = None
    ) -> None:
        self._client = client
        # Prime's login: only its own comments count as already posted (anyone may copy a
        # marker into a comment to silence a reply). None: any author counts.
        self._author = author
        self._repo: Repository = client.github.get_repo(repo)
        self._labels = labels
        self._issues: dict[int, Issue] = {}
        self._known_labels: set[str] | None = None
        # Labels as this run left them: PyGithub objects keep what they were fetched with.
        self._labels_of: dict[int, set[str]] = {}

    def _list(self) -> list[Issue]:
        """Every issue (open or closed) with the automated label; pull requests left out."""
        found = self._client.read(
            "list Prime's issues",
            lambda: list(self._repo.get_issues(state="all", labels=[self._labels.automated])),
        )
        self._issues = {i.number: i for i in found if not _is_pull(i)}
        return list(self._issues.values())

    def tracking_issues(self) -> list[TrackedIssue]:
        """Every tracking issue, newest number last."""
        return [
            self._tracked(i)
            for i in sorted(self._list(), key=lambda i: i.number)
            if find_signal(i.body)
        ]

    def has_dashboard(self) -> bool:
        """Whether the repository has a Prime of its own: its dashboard issue exists."""
        return self._marked_dashboard() is not None

    def _marked_dashboard(self) -> int | None:
        """The number of the oldest issue carrying the dashboard marker (listing if needed).

        Not found among the labelled issues (its label removed), it is looked for among the
        issues Prime opened, whatever their labels.
        """
        if not self._issues:
            self._list()
        found = [n for n, i in self._issues.items() if DASHBOARD in (i.body or "")]
        if not found:
            found = [i.number for i in self._by_creator() if DASHBOARD in (i.body or "")]
        return min(found) if found else None

    def _by_creator(self, state: str = "all") -> list[Issue]:
        """The issues Prime opened, whatever their labels (one listing; only around a create)."""
        if self._author is None:
            return []
        author = self._author
        found = self._client.read(
            "list the issues Prime opened",
            # PyGithub sends a login string as it is; its annotation names only NamedUser,
            # which would cost a request to build.
            lambda: list(self._repo.get_issues(state=state, creator=author)),  # type: ignore[arg-type]
        )
        issues = [i for i in found if not _is_pull(i)]
        self._issues.update({i.number: i for i in issues})
        return issues

    def _converge(self, created: Issue, same: Callable[[Issue], bool]) -> int:
        """After creating: the oldest open issue of the same kind wins; a newer one steps aside.

        Two first wakes at once both find nothing and both create. Each then lists what Prime
        opened; the one whose issue is newer closes it quietly (an edit, no comment) and uses
        the older one, so both converge on one issue.
        """
        twins = [i for i in self._by_creator("open") if same(i) and i.number != created.number]
        older = min((i.number for i in twins if i.number < created.number), default=None)
        if older is None:
            return int(created.number)
        body = f"Duplicate of #{older}.\n{data_marker({'closed_by': 'prime'})}"
        self._client.write(
            f"close the duplicate #{created.number}",
            lambda: created.edit(body=body, state="closed", state_reason="duplicate"),
        )
        self._issues.pop(created.number, None)
        return older

    def _fetch(self, number: int) -> Issue | None:
        """One issue read fresh (one request); None when it is gone or is a pull request."""
        try:
            # complete(): the client is lazy, and the read must happen here, under the retries.
            issue = self._client.read(
                f"read #{number}", lambda: self._repo.get_issue(number).complete()
            )
        except GitHubError as e:
            if is_missing(e):
                return None
            raise
        if _is_pull(issue):
            return None
        self._issues[number] = issue
        return issue

    def read_dashboard(self, number: int | None) -> DashboardCopy | None:
        """The dashboard as it is now: by its number when known, else by its marker.

        A numbered issue still counts when a human blanked its body (the marker is gone),
        as long as it is Prime's (automated label) and not a tracking issue: it is repaired.
        """
        if number is not None:
            issue = self._fetch(number)
            if issue is not None and _is_dashboard(issue, self._labels.automated):
                return DashboardCopy(number=number, body=issue.body or "")
        marked = self._marked_dashboard()
        issue = self._fetch(marked) if marked is not None else None
        return DashboardCopy(number=issue.number, body=issue.body or "") if issue else None

    def write_dashboard(self, number: int | None, body: str) -> int:
        """Create the dashboard, or replace the body of the one read in this run."""
        if number is None:
            labels = (self._labels.automated,)
            self.ensure_labels(labels)
            created = self._client.write(
                "create the dashboard",
                lambda: self._repo.create_issue(DASHBOARD_TITLE, body, labels=list(labels)),
            )
            self._issues[created.number] = created
            return self._converge(created, lambda i: DASHBOARD in (i.body or ""))
        issue = self._issue(number)
        self._client.write(f"update the dashboard #{number}", lambda: issue.edit(body=body))
        return number

    @staticmethod
    def _tracked(issue: Issue) -> TrackedIssue:
        data = find_data(issue.body)
        closed = issue.state == "closed"
        return TrackedIssue(
            number=issue.number,
            signal=find_signal(issue.body) or "",
            title=issue.title,
            state="closed" if closed else "open",
            labels=tuple(label.name for label in issue.labels),
            fingerprint=str(data.get("fingerprint", "")),
            closed_by_human=closed and data.get("closed_by") != "prime",
            state_reason=issue.state_reason if closed else None,
        )

    def ensure_labels(self, names: tuple[str, ...]) -> None:
        """Create the labels Prime uses that the repository lacks (one listing per run)."""
        if self._known_labels is None:
            self._known_labels = self._client.read(
                "list labels", lambda: {label.name for label in self._repo.get_labels()}
            )
        for name in names:
            if name not in self._known_labels:
                self._create_label(name)
                self._known_labels.add(name)

    def _create_label(self, name: str) -> None:
        colour = LABEL_COLOURS.get(name, "ededed")
        text = LABEL_TEXT.get(name, "Managed by Prime")
        try:
            self._client.write(
                f"create label {name}", lambda: self._repo.create_label(name, colour, text)
            )
        except GitHubError as e:
            if e.status != 422:  # 422: it exists already (created since we listed)
                raise

    def open_issue(self, signal: str, title: str, body: str, labels: tuple[str, ...]) -> int:
        """Reuse the signal's issue (reopening it, updating it in place) or create one."""
        labels = tuple(dict.fromkeys((self._labels.automated, *labels)))
        self.ensure_labels(labels)
        mine = [i for i in self._issues.values() if find_signal(i.body) == signal]
        if not mine:  # its automated label may be gone: look among what Prime opened
            mine = [i for i in self._by_creator() if find_signal(i.body) == signal]
        if not mine:
            created = self._client.write(
                f"create issue for {signal}",
                lambda: self._repo.create_issue(title, body, labels=list(labels)),
            )
            self._issues[created.number] = created
            return self._converge(created, lambda i: find_signal(i.body) == signal)
        issue = min(mine, key=lambda i: i.number)
        self.set_labels(issue.number, (self._labels.automated,), ())  # found without it
        if (issue.state, issue.title, issue.body) != ("open", title, body):
            self._client.write(
                f"update issue #{issue.number}",
                lambda: issue.edit(title=title, body=body, state="open"),
            )
        return int(issue.number)

    def _issue(self, number: int) -> Issue:
        """An issue from this run's listing, else read now (under the retries)."""
        found = self._issues.get(number) or self._fetch(number)
        if found is None:
            msg = f"issue #{number} is gone (deleted, transferred, or a pull request)"
            raise GitHubError(msg, status=404)
        return found

    def comment(self, number: int, body: str, marker: str) -> None:
        """Add a comment unless one with the same marker exists already."""
        issue = self._issue(number)
        existing = self._client.read(
            f"read comments of #{number}", lambda: list(issue.get_comments())
        )
        if any(marker in (c.body or "") and self._mine(c.user.login) for c in existing):
            return
        self._client.write(f"comment on #{number}", lambda: issue.create_comment(body))

    def _mine(self, login: str) -> bool:
        return self._author is None or login == self._author

    def close_issue(self, number: int, note: str) -> None:
        """Close as completed in one edit: the note joins the description, with Prime's
        'closed by Prime' mark (a comment would notify everyone following the issue)."""
        issue = self._issue(number)
        if issue.state == "closed":
            return
        body = f"{_closed_by_prime(issue.body or '').rstrip()}\n\n{note.strip()}\n"
        self._client.write(
            f"close #{number}",
            lambda: issue.edit(state="closed", state_reason="completed", body=body),
        )

    def set_labels(self, number: int, add: tuple[str, ...], remove: tuple[str, ...]) -> None:
        """Add and remove labels, touching only what differs."""
        issue = self._issue(number)
        have = self._labels_of.setdefault(number, {label.name for label in issue.labels})
        missing = tuple(name for name in add if name not in have)
        if missing:
            self.ensure_labels(missing)
            self._client.write(f"label #{number}", lambda: _add_labels(issue, missing))
            have.update(missing)
        for name in remove:
            if name in have:
                self._remove(issue, name)
                have.discard(name)

    def _remove(self, issue: Issue, name: str) -> None:
        try:
            self._client.write(f"unlabel #{issue.number}", lambda: issue.remove_from_labels(name))
        except GitHubError as e:
            if not is_missing(e):  # already gone is what we wanted
                raise


def _is_pull(issue: Issue) -> bool:
    """Whether an issue is a pull request's issue half.

    Read from the payload as received: an ordinary issue has no `pull_request` key, and
    PyGithub's property would then fetch the issue again to look for it (one request per
    issue on every listing).
    """
    return "pull_request" in issue._rawData


def _is_dashboard(issue: Issue, automated: str) -> bool:
    body = issue.body or ""
    if DASHBOARD in body:
        return True
    return not find_signal(body) and automated in {label.name for label in issue.labels}


def _add_labels(issue: Issue, names: tuple[str, ...]) -> None:
    """POST the labels in the object form GitHub's REST description defines.

    PyGithub's `add_to_labels` sends a bare JSON array, which GitHub still accepts but its
    published schema no longer describes; the object form keeps us on the documented API.
    """
    issue._requester.requestJsonAndCheck(
        "POST", f"{issue.url}/labels", input={"labels": list(names)}
    )
