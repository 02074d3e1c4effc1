"""GitHub's GraphQL API through PyGithub's requester: counted, retried, partial errors kept.

PyGithub's `graphql_query` raises on any error in the answer, which would lose a whole batch
because one repository of fifty is gone or hidden; Org Prime needs the other forty-nine, so
the answer's `errors` are returned beside its `data`, each with the path it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from prime_action.adapters.github.client import GitHubClient, read_blob
from prime_action.domain.errors import GitHubError

# Errors that belong to one field (one repository); anything else fails the whole query.
FIELD_ERRORS = frozenset({"NOT_FOUND", "FORBIDDEN", "UNAUTHORIZED", "INTERNAL"})


class GraphQLProblem(BaseModel):
    """One entry of a GraphQL answer's `errors`."""

    model_config = ConfigDict(frozen=True)

    type: str = ""
    message: str = ""
    path: tuple[str | int, ...] = ()


class GraphQLAnswer(BaseModel):
    """The data of a GraphQL answer with the problems that left parts of it null."""

    model_config = ConfigDict(frozen=True)

    data: dict[str, Any]
    problems: tuple[GraphQLProblem, ...] = ()

    def problem_at(self, *prefix: str | int) -> GraphQLProblem | None:
        """The first problem at or below a path (e.g. ("r3",) for one aliased repository)."""
        return next((p for p in self.problems if p.path[: len(prefix)] == prefix), None)


class GraphQL:
    """Runs queries and mutations; counts them, so a summary can say how many went out."""

    def __init__(self, client: GitHubClient, url: str | None = None) -> None:
        self._client = client
        requester = client.github.requester
        self._requester = requester
        self._url = url or requester.graphql_url
        self.queries = 0
        self.mutations = 0

    def query(self, what: str, text: str, variables: Mapping[str, Any]) -> GraphQLAnswer:
        """Run a query (retried like any read).

        Raises:
            GitHubError: on an HTTP failure, or an error that is not about one field.
        """
        self.queries += 1
        return self._answer(what, self._client.read(what, lambda: self._post(text, variables)))

    def mutate(self, what: str, text: str, variables: Mapping[str, Any]) -> GraphQLAnswer:
        """Run a mutation (never retried after a 5xx: it may have been applied)."""
        self.mutations += 1
        return self._answer(what, self._client.write(what, lambda: self._post(text, variables)))

    def whole_text(self, repo: str, blob: Mapping[str, Any] | None) -> str | None:
        """A Blob node's text, whole: read again over REST when GraphQL cut it.

        GraphQL cuts `text` at 512,000 bytes and sets `isTruncated`; the node must carry its
        `oid` (org_queries.BLOB). One REST request per cut blob, none otherwise.
        """
        if not blob or not blob.get("isTruncated"):
            return None if not blob else blob.get("text")
        return self.blob_text(repo, str(blob["oid"]))

    def blob_text(self, repo: str, oid: str) -> str:
        """A blob's whole text by its id, over REST (the Git Data API serves up to 100 MB)."""
        found = self._client.github.get_repo(repo)
        return read_blob(self._client, found, oid, f"read {repo} blob {oid[:12]}")

    def _post(self, text: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        _, data = self._requester.requestJsonAndCheck(
            "POST", self._url, input={"query": text, "variables": dict(variables)}
        )
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _answer(what: str, raw: dict[str, Any]) -> GraphQLAnswer:
        problems = tuple(
            GraphQLProblem(
                type=str(e.get("type", "")),
                message=str(e.get("message", "")),
                path=tuple(e.get("path") or ()),
            )
            for e in raw.get("errors") or ()
            if isinstance(e, dict)
        )
        fatal = [p for p in problems if not p.path or p.type not in FIELD_ERRORS]
        if fatal or not isinstance(raw.get("data"), dict):
            first = fatal[0] if fatal else GraphQLProblem(message="no data in the answer")
            msg = (
                f"{what}: GitHub's GraphQL API answered {first.type or 'an error'}: {first.message}"
            )
            status = (
                404 if first.type == "NOT_FOUND" else 403 if first.type == "FORBIDDEN" else None
            )
            raise GitHubError(msg, status=status)
        return GraphQLAnswer(data=raw["data"], problems=problems)
