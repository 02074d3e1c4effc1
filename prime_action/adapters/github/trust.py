"""Who wrote what: the unanswered `/prime` comments, and who ticked the dashboard's boxes."""

from __future__ import annotations

from datetime import datetime

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.graphql import GraphQL
from prime_action.config.models import TrustSettings
from prime_action.domain.errors import GitHubError
from prime_action.domain.ports import DashboardCopy
from prime_action.events.model import Event
from prime_action.repo.dashboard_ticks import Revision, made_by_edit, tick_makers
from prime_action.repo.prime_commands import SeenComment

# Roles that can edit another's issue body. The permission API cannot tell an organisation
# member from an outside collaborator: both read as COLLABORATOR.
WRITE_ROLES = frozenset({"admin", "maintain", "write"})
# Edits read back to find who ticked a box: Prime rewrites the dashboard on most wakes, so
# a tick older than this many edits has been handled long ago.
EDITS = 30
_EDITS_QUERY = """
query($owner: String!, $name: String!, $number: Int!, $edits: Int!) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      userContentEdits(first: $edits) { nodes { editedAt diff editor { __typename login } } }
    }
  }
}
"""


class GitHubTrust:
    """Reads the conversation and the edit history a wake needs to trust what it acts on."""

    def __init__(self, client: GitHubClient, repo: str, trust: TrustSettings) -> None:
        self._client = client
        self._repo = repo
        self._trust = trust
        self._associations: dict[str, str] = {}

    def comments_since(self, since: datetime) -> tuple[SeenComment, ...]:
        """Every issue and PR comment updated since a moment (one request per 100)."""
        repo = self._client.github.get_repo(self._repo)
        found = self._client.read(
            "list recent comments",
            lambda: list(repo.get_issues_comments(sort="created", direction="asc", since=since)),
        )
        return tuple(
            SeenComment(
                id=c.id,
                issue=int(c.issue_url.rstrip("/").rpartition("/")[2]),
                body=c.body or "",
                author=c.user.login if c.user else "",
                bot=bool(c.user and (c.user.type == "Bot" or c.user.login.endswith("[bot]"))),
                # As listed: `raw_data` would fetch each comment again (outside the retries).
                association=c.author_association or "NONE",
                created_at=c.created_at,
                on_pull="/pull/" in (c.html_url or ""),
            )
            for c in found
        )

    def association(self, login: str) -> str:
        """An account's relation to the repository, from its permission (one request, cached).

        The repository's owner is OWNER without asking; anyone with write access is
        COLLABORATOR; anyone else NONE.
        """
        owner = self._repo.partition("/")[0]
        if login.lower() == owner.lower():
            return "OWNER"
        if login not in self._associations:
            repo = self._client.github.get_repo(self._repo)
            try:
                role = self._client.read(
                    f"read {login}'s permission", lambda: repo.get_collaborator_role_name(login)
                )
            except GitHubError:
                role = ""  # a token that may not read permissions trusts no one by them
            self._associations[login] = "COLLABORATOR" if role in WRITE_ROLES else "NONE"
        return self._associations[login]

    def trusted(self, login: str, *, bot: bool, association: str | None = None) -> bool:
        """Whether an account's ticks count: never a bot's or Prime's own."""
        if bot or login.endswith("[bot]") or login == self._trust.prime_login or not login:
            return False
        return (association or self.association(login)) in self._trust.associations

    def revisions(self, number: int) -> tuple[Revision, ...]:
        """The dashboard's recent saved bodies with their editors (one GraphQL query)."""
        owner, _, name = self._repo.partition("/")
        variables = {"owner": owner, "name": name, "number": number, "edits": EDITS}
        answer = GraphQL(self._client).query("read the dashboard's edits", _EDITS_QUERY, variables)
        issue = (answer.data.get("repository") or {}).get("issue") or {}
        nodes = (issue.get("userContentEdits") or {}).get("nodes") or []
        return tuple(
            Revision(
                editor=(n.get("editor") or {}).get("login", ""),
                bot=(n.get("editor") or {}).get("__typename") == "Bot",
                body=n.get("diff") or "",
                at=datetime.fromisoformat(n["editedAt"]),
            )
            for n in nodes
            if n and n.get("editedAt")
        )

    def vouch_for(self, event: Event) -> VouchedTicks:
        """The judge of this wake's ticks (the event's own edit attributes what it ticked)."""
        return VouchedTicks(self, event)


class VouchedTicks:
    """Which ticked boxes a trusted person ticked: by the event's edit, else by the history."""

    def __init__(self, trust: GitHubTrust, event: Event) -> None:
        self._trust = trust
        self._event = event

    def __call__(self, found: DashboardCopy, keys: frozenset[str]) -> frozenset[str]:
        """The keys among `keys` that a trusted person's edit ticked."""
        event, by_event = self._event, frozenset[str]()
        issue = event.issue
        if issue is not None and issue.number == found.number and event.body_before is not None:
            by_event = made_by_edit(event.body_before, issue.body) & keys
        vouched = frozenset[str]()
        if by_event and self._trust.trusted(event.actor, bot=event.is_bot, association=_of(event)):
            vouched = by_event
        rest = keys - by_event
        if not rest:
            return vouched
        makers = tick_makers(self._trust.revisions(found.number), rest)
        return vouched | {
            key for key, r in makers.items() if self._trust.trusted(r.editor, bot=r.bot)
        }


def _of(event: Event) -> str | None:
    """The editor's association when the event tells it: looked up, or as the issue's author."""
    if event.editor_association is not None:
        return event.editor_association
    author = event.issue.author if event.issue else None
    return event.author_association if event.actor == author else None
