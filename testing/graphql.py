"""The fake GitHub's GraphQL endpoint: every query checked against GitHub's published schema.

A query is parsed and validated against the vendored `@octokit/graphql-schema` (see
scripts/vendor_graphql_schema.py), held to GitHub's node and page limits, and then executed
by graphql-core over the fake's repositories (testing.graphql_nodes): the
answers come from the same state the REST routes serve. Install it with
`FakeGraphQL().install(fake)`.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
    validate,
)

from testing.graphql_automerge import disable as disable_auto_merge
from testing.graphql_automerge import enable as enable_auto_merge
from testing.graphql_limits import measure
from testing.graphql_nodes import (
    GraphQLFault,
    Info,
    OwnerNode,
    RefNode,
    RepositoryNode,
    actor,
)
from testing.router import Reply

if TYPE_CHECKING:
    from testing.github import FakeGitHub
    from testing.state import Issue

SCHEMA_PATH = (
    Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "graphql" / "schema.graphql"
)


@functools.cache
def load_schema(path: Path = SCHEMA_PATH) -> GraphQLSchema:
    """GitHub's GraphQL schema, built once per process (about a second).

    GitHub's published SDL defines two fields of `EnterpriseOwnerInfo` twice; graphql-core
    would refuse the document for that alone, so the SDL check is skipped (the schema built
    is still validated before any query runs against it).
    """
    if not path.is_file():
        msg = f"{path} is missing: run `python scripts/vendor_graphql_schema.py`"
        raise FileNotFoundError(msg)
    return build_schema(path.read_text(encoding="utf-8"), assume_valid_sdl=True)


@dataclass(frozen=True)
class GraphQLCall:
    """One query or mutation the fake answered."""

    operation: str  # "query" or "mutation"
    name: str  # the operation's name ("" when anonymous)
    fields: tuple[str, ...]  # the root fields it asked for
    nodes: int
    cost: int
    errors: int


def _type_resolver(value: Any, info: Info, abstract: Any) -> str | None:
    if isinstance(value, dict):
        return str(value.get("__typename")) if value.get("__typename") else None
    return getattr(value, "typename", None)


def _is(issue: Issue, kind: str) -> bool:
    """One `is:` search qualifier."""
    return {
        "pr": issue.pull is not None,
        "issue": issue.pull is None,
        "open": issue.state == "open",
        "closed": issue.state == "closed",
    }[kind]


class _Root:
    """Query and Mutation root fields."""

    def __init__(self, fake: FakeGitHub) -> None:
        self.fake = fake

    def repositoryOwner(self, info: Info, login: str) -> OwnerNode | None:
        user = self.fake.accounts.get(login.lower())
        has_repos = user is not None and any(r.owner is user for r in self.fake.repos.values())
        return (
            OwnerNode(self.fake, user)
            if user is not None and (has_repos or user.type != "Bot")
            else None
        )

    def repository(self, info: Info, owner: str, name: str, **_: Any) -> RepositoryNode:
        repo = self.fake.repos.get(f"{owner}/{name}".lower())
        if repo is None:
            msg = f"Could not resolve to a Repository with the name '{owner}/{name}'."
            raise GraphQLFault("NOT_FOUND", msg)
        return RepositoryNode(self.fake, repo)

    def search(self, info: Info, query: str, type: str, **_: Any) -> dict[str, Any]:
        """Issue search, for the qualifiers Prime uses: is:pr|issue, is:open|closed, label:,
        user:/org: (any other term is refused, so a new use gets a fake of its own)."""
        pairs = [term.partition(":")[::2] for term in query.split()]
        terms = dict(pairs)
        if type != "ISSUE" or {k for k, _ in pairs} - {"is", "label", "user", "org"}:
            msg = f"the fake GitHub cannot search {type} {query!r}"
            raise GraphQLFault("UNPROCESSABLE", msg)
        kinds = [v for k, v in pairs if k == "is"]
        owner = (terms.get("user") or terms.get("org") or "").lower()
        found = [
            issue
            for repo in self.fake.repos.values()
            if not owner or repo.owner.login.lower() == owner
            for issue in repo.issues.values()
            if ("label" not in terms or terms["label"] in issue.labels)
            and all(_is(issue, kind) for kind in kinds)
        ]
        return {"issueCount": len(found)}

    def viewer(self, info: Info) -> dict[str, Any]:
        return actor(self.fake.actor)

    def rateLimit(self, info: Info, dryRun: bool = False) -> dict[str, Any]:
        return {
            "cost": 1,
            "limit": 5000,
            "remaining": 5000,
            "used": 0,
            "nodeCount": 0,
            "resetAt": self.fake.timestamp(),
        }

    def enablePullRequestAutoMerge(self, info: Info, input: dict[str, Any]) -> dict[str, Any]:
        return enable_auto_merge(self.fake, input)

    def disablePullRequestAutoMerge(self, info: Info, input: dict[str, Any]) -> dict[str, Any]:
        return disable_auto_merge(self.fake, input)

    def createCommitOnBranch(self, info: Info, input: dict[str, Any]) -> dict[str, Any]:
        branch = input["branch"]
        owner, _, name = str(branch["repositoryNameWithOwner"]).partition("/")
        node = self.repository(info, owner, name)
        if node.repo.archived:
            raise GraphQLFault("FORBIDDEN", "Repository was archived so is read-only.")
        ref = f"refs/heads/{branch['branchName']}"
        head = node.repo.git.refs.get(ref)
        if head is None:
            raise GraphQLFault("NOT_FOUND", f'A ref named "{ref}" does not exist.')
        if input["expectedHeadOid"] != head:
            expected = input["expectedHeadOid"]
            msg = f'Expected branch to point to "{expected}" but it did not. Pull and try again.'
            raise GraphQLFault("STALE_DATA", msg)
        changes = input.get("fileChanges") or {}
        files: dict[str, str | bytes | None] = {
            a["path"]: base64.b64decode(a["contents"]) for a in changes.get("additions") or ()
        }
        files |= {d["path"]: None for d in changes.get("deletions") or ()}
        message = input["message"]["headline"]
        sha = node.repo.git.write(head, files, message, self.fake.signature())
        node.repo.git.refs[ref] = sha
        found = RefNode(node, ref, sha)
        return {
            "commit": found.target,
            "ref": found,
            "clientMutationId": input.get("clientMutationId"),
        }


Hook = Callable[["FakeGitHub", GraphQLCall], None]


class FakeGraphQL:
    """The GraphQL endpoint: validate, measure, execute, answer like GitHub."""

    def __init__(self, schema: GraphQLSchema | None = None) -> None:
        """Create the endpoint (the schema defaults to the vendored one)."""
        self.schema = schema or load_schema()
        self.calls: list[GraphQLCall] = []
        self.forbidden: set[str] = set()
        self._after: list[tuple[Callable[[GraphQLCall], bool], Hook]] = []

    def install(self, fake: FakeGitHub) -> FakeGraphQL:
        """Answer the fake's POST /graphql from now on; returns self."""
        fake.on_graphql(self)
        fake.graphql_forbidden = self.forbidden  # type: ignore[attr-defined]
        return self

    def deny(self, full_name: str) -> None:
        """Make every read of a repository's content answer FORBIDDEN (a token without access)."""
        self.forbidden.add(full_name.lower())

    def after(self, predicate: Callable[[GraphQLCall], bool], hook: Hook) -> None:
        """Run `hook(fake, call)` once, after the first call the predicate accepts."""
        self._after.append((predicate, hook))

    @property
    def mutations(self) -> list[GraphQLCall]:
        """The mutations answered so far."""
        return [c for c in self.calls if c.operation == "mutation"]

    def __call__(self, fake: FakeGitHub, body: dict[str, Any]) -> Reply:
        """Answer one POST /graphql body (`query` and `variables`)."""
        query, variables = body.get("query"), body.get("variables") or {}
        if not isinstance(query, str):
            return Reply(400, {"message": "Problems parsing JSON"})
        try:
            document, checked = _parsed(self.schema, query)
        except GraphQLError as e:
            return self._refuse(fake, f"GraphQL syntax: {e.message}")
        problems = list(checked)
        limits = measure(self.schema, document, variables)
        problems += limits.problems or []
        if problems:
            return self._refuse(fake, "; ".join(problems))
        result = execute(
            self.schema,
            document,
            _Root(fake),
            variable_values=variables,
            type_resolver=_type_resolver,
        )
        call = self._record(document, limits.nodes, limits.cost, result)
        for entry in list(self._after):
            if entry[0](call):
                self._after.remove(entry)
                entry[1](fake, call)
        return Reply(200, _answer(result))

    def _refuse(self, fake: FakeGitHub, message: str) -> Reply:
        fake.violations.append(f"GraphQL query broke GitHub's schema or limits: {message}")
        raise AssertionError(message)

    def _record(self, document: Any, nodes: int, cost: int, result: Any) -> GraphQLCall:
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        fields = tuple(
            s.name.value for s in operation.selection_set.selections if hasattr(s, "name")
        )
        call = GraphQLCall(
            operation=operation.operation.value,
            name=operation.name.value if operation.name else "",
            fields=fields,
            nodes=nodes,
            cost=cost,
            errors=len(result.errors or ()),
        )
        self.calls.append(call)
        return call


def _error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    kind = original.kind if isinstance(original, GraphQLFault) else "INTERNAL"
    if not isinstance(original, GraphQLFault) and original is not None:
        raise original  # a bug in the fake must fail the test, not read as GitHub's answer
    found: dict[str, Any] = {"type": kind, "message": error.message}
    if error.path is not None:
        found["path"] = list(error.path)
    if error.locations:
        found["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return found


@functools.lru_cache(maxsize=512)
def _parsed(schema: GraphQLSchema, query: str) -> tuple[DocumentNode, tuple[str, ...]]:
    """A query's document and its schema problems: the same text is checked once (an org
    run sends the same listing query 200 times at 10,000 repositories)."""
    document = parse(query)
    return document, tuple(e.message for e in validate(schema, document))


def _answer(result: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [_error(e) for e in result.errors]
    return answer
