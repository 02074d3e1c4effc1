"""FakeGitHub: a stateful GitHub behind `responses` that checks every request against the spec."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import github
import requests
import responses
from requests import PreparedRequest

from testing.ci import LOG_HOST
from testing.core import RATE_LIMIT, GitHubState
from testing.faults import Fault, fault_reply
from testing.openapi import OpenApiSpec, load_spec
from testing.router import ApiError, FakeRequest, Reply, Router
from testing.routes_actions import router as actions_routes
from testing.routes_ci import log_download
from testing.routes_ci import router as ci_routes
from testing.routes_git import router as git_routes
from testing.routes_growth import router as growth_routes
from testing.routes_issues import router as issue_routes
from testing.routes_pulls import router as pull_routes
from testing.routes_repos import router as repo_routes
from testing.routes_reviews import router as review_routes
from testing.state import Clock

Callback = Callable[["FakeGitHub"], None]
Predicate = Callable[[FakeRequest], bool]
GraphQLHandler = Callable[["FakeGitHub", dict[str, Any]], Reply]
_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")

ROUTES = Router()
for _table in (
    repo_routes,
    git_routes,
    issue_routes,
    pull_routes,
    actions_routes,
    growth_routes,
    review_routes,
    ci_routes,
):
    ROUTES.include(_table)


def _url_pattern(root: str) -> re.Pattern[str]:
    """Match URLs below `root`, with or without the scheme's default port (PyGithub adds it)."""
    parts = urlsplit(root)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    port = parts.port or default
    host = re.escape(parts.hostname or "")
    netloc = f"{host}(:{port})?" if port == default else f"{host}:{port}"
    return re.compile(f"{re.escape(parts.scheme)}://{netloc}{re.escape(parts.path)}(/|\\?|$)")


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received, as tests inspect it."""

    method: str
    path: str  # below the API root, without the query string
    template: str  # the description's template ("" for GraphQL or an undocumented path)
    query: dict[str, list[str]]
    body: Any
    status: int | None  # None when the fake raised (a fault, or a failed check)


def _graphql_query(request: RecordedRequest) -> bool:
    """A POST /graphql whose document is a query (it only reads), not a mutation."""
    body = request.body if isinstance(request.body, dict) else {}
    query = body.get("query")
    return (
        request.path.endswith("graphql")
        and isinstance(query, str)
        and not query.lstrip().startswith("mutation")
    )


@dataclass
class _Hook:
    predicate: Predicate
    callback: Callback
    once: bool


class FakeGitHub(GitHubState):
    """An in-memory GitHub; start it (or use it as a context manager) to intercept requests."""

    def __init__(
        self,
        base_url: str = "https://api.github.test",
        server_url: str = "https://github.test",
        *,
        graphql_url: str | None = None,
        actor: str = "github-actions[bot]",
        actor_association: str = "NONE",
        clock: Clock | None = None,
        spec: OpenApiSpec | None = None,
        validate_responses: bool = True,
    ) -> None:
        """Create an empty fake.

        Args:
            base_url: The REST root (what GITHUB_API_URL says), possibly with a path prefix.
            server_url: The web root for html_url fields (GITHUB_SERVER_URL).
            graphql_url: The GraphQL endpoint (default: {base_url}/graphql).
            actor: The token's login, to which API writes are attributed.
            actor_association: That actor's author_association on what it writes.
            clock: The source of timestamps (default: deterministic, one second per reading).
            spec: The REST description to check against (default: the vendored subset).
            validate_responses: Also check the fake's own answers against the description.
        """
        super().__init__(base_url, server_url, actor, actor_association, clock)
        self.base_url = base_url.rstrip("/")
        self.graphql_url = graphql_url or f"{self.base_url}/graphql"
        self.spec = spec or load_spec()
        self.validate_responses = validate_responses
        self.log: list[RecordedRequest] = []
        self.violations: list[str] = []
        self.graphql_handler: GraphQLHandler | None = None
        self._prefix = urlsplit(self.base_url).path
        self._graphql_pattern = _url_pattern(self.graphql_url)
        self._faults: dict[int, Fault] = {}
        self._hooks: list[_Hook] = []
        self._seen = 0
        self.mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for method in _METHODS:
            self.mock.add_callback(method, _url_pattern(self.base_url), self._callback)
        if not self.graphql_url.startswith(f"{self.base_url}/"):
            self.mock.add_callback("POST", self._graphql_pattern, self._callback)
        self.mock.add_callback("GET", _url_pattern(LOG_HOST), self._log_callback)
        undocumented = [key for key in ROUTES.routes if not self._documented(*key)]
        if undocumented:
            msg = f"fake routes missing from the REST description: {undocumented}"
            raise AssertionError(msg)

    def _documented(self, method: str, template: str) -> bool:
        return any(o.method == method and o.template == template for o in self.spec.operations)

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        """Start intercepting `requests` calls; returns self."""
        self.mock.start()
        return self

    def stop(self) -> None:
        """Stop intercepting."""
        self.mock.stop()
        self.mock.reset()

    def __enter__(self) -> FakeGitHub:
        """Start intercepting for the duration of a `with` block."""
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop intercepting."""
        self.stop()

    def client(self, **options: Any) -> github.Github:
        """A PyGithub client aimed at the fake, without retries or throttling (fast tests).

        Args:
            **options: Overrides for `github.Github(...)` keyword arguments.

        Returns:
            The client.
        """
        settings: dict[str, Any] = {
            "base_url": self.base_url,
            "auth": github.Auth.Token("fake-token"),
            "retry": None,
            "seconds_between_requests": 0,
            "seconds_between_writes": 0,
        }
        return github.Github(**(settings | options))

    # -- what tests inspect --------------------------------------------------------------

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request received since the last reset_counts()."""
        return [(r.method, r.path) for r in self.log]

    @property
    def writes(self) -> int:
        """How many requests since the last reset_counts() wrote: not GETs, nor GraphQL queries."""
        return sum(1 for r in self.log if r.method != "GET" and not _graphql_query(r))

    def reset_counts(self) -> None:
        """Forget the requests received so far (state stays)."""
        self.log.clear()

    def take_violations(self) -> list[str]:
        """Return and forget the spec violations seen (for tests that provoke them)."""
        found, self.violations = self.violations, []
        return found

    def set_run(
        self,
        full_name: str,
        run_id: int,
        status: str = "completed",
        conclusion: str | None = "success",
    ) -> None:
        """Move an Actions run along (e.g. a dispatched runner finishing)."""
        run = self.repos[full_name.lower()].runs[run_id]
        run.status, run.conclusion, run.updated_at = status, conclusion, self.timestamp()

    # -- fault injection -----------------------------------------------------------------

    def fail(self, n: int = 1, kind: Fault | str = Fault.SERVER_ERROR) -> None:
        """Make the n-th request from now (1: the next one) fail in the given way.

        Args:
            n: Which request, counting from the next one as 1.
            kind: How it fails (see `Fault`).
        """
        if n < 1:
            msg = f"fail(n={n}): n counts requests from the next one, starting at 1"
            raise ValueError(msg)
        self._faults[self._seen + n] = Fault(kind)

    def fail_matching(self, predicate: Predicate, kind: Fault | str = Fault.SERVER_ERROR) -> None:
        """Make the next request that `predicate` chooses fail in the given way."""

        def fail_this_one(fake: FakeGitHub) -> None:
            fake._faults[fake._seen] = Fault(kind)

        self.on_request(predicate, fail_this_one)

    def on_request(self, predicate: Predicate, callback: Callback, *, once: bool = True) -> None:
        """Run `callback(fake)` right before handling a matching (validated) request.

        Args:
            predicate: Chooses requests; it sees the matched FakeRequest.
            callback: Changes the state, e.g. as a concurrent writer would.
            once: Remove the hook after its first run.
        """
        self._hooks.append(_Hook(predicate, callback, once))

    def race_ref(
        self,
        full_name: str,
        ref: str,
        files: dict[str, str | bytes | None] | None = None,
        message: str = "Concurrent write",
    ) -> None:
        """Let a concurrent writer move a branch right before the next PATCH of its ref.

        Args:
            full_name: `owner/name`.
            ref: The ref as in the URL, e.g. `heads/prime-state`.
            files: What the concurrent commit changes (default: nothing, a new commit only).
            message: That commit's message.
        """
        owner, name = full_name.lower().split("/")
        branch = ref.removeprefix("refs/").removeprefix("heads/")

        def matches(request: FakeRequest) -> bool:
            params = request.params
            return (
                request.method == "PATCH"
                and request.template.endswith("/git/refs/{ref}")
                and (params["owner"].lower(), params["repo"].lower()) == (owner, name)
                and params["ref"].removeprefix("heads/") == branch
            )

        def concurrent_write(fake: FakeGitHub) -> None:
            fake.push(full_name, files or {}, branch=branch, message=message, author="someone")

        self.on_request(matches, concurrent_write)

    def on_graphql(self, handler: GraphQLHandler) -> None:
        """Answer POST /graphql with `handler(fake, {"query": ..., "variables": ...})`."""
        self.graphql_handler = handler

    # -- the HTTP side -------------------------------------------------------------------

    def _callback(self, request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        url = urlsplit(request.url or "")
        method = (request.method or "GET").upper()
        path = url.path.removeprefix(self._prefix) or "/"
        query = parse_qs(url.query, keep_blank_values=True)
        raw = request.body.encode() if isinstance(request.body, str) else request.body
        self._seen += 1
        if self._graphql_pattern.fullmatch(f"{url.scheme}://{url.netloc}{url.path}"):
            return self._graphql(method, path, query, raw, self._faults.pop(self._seen, None))
        try:
            match = self.spec.check_request(method, path, query, raw)
        except AssertionError as e:
            self.violations.append(str(e))
            self.log.append(RecordedRequest(method, path, "", query, raw, None))
            raise
        body = json.loads(raw) if raw else None
        docs = str(match.operation.definition.get("externalDocs", {}).get("url", ""))
        fake_request = FakeRequest(
            method,
            path,
            match.operation.template,
            match.params,
            query,
            body,
            docs,
            accept=request.headers.get("Accept", ""),
        )
        self._run_hooks(fake_request)
        fault = self._faults.pop(self._seen, None)  # after the hooks: `fail_matching` sets it
        if fault is not None:
            return self._fault(fake_request, fault)
        reply = self._handle(fake_request)
        self._record(fake_request, reply.status)
        if self.validate_responses and reply.raw is None:
            try:
                self.spec.check_response(match, reply.status, reply.body)
            except AssertionError as e:
                self.violations.append(str(e))
                raise
        return self._wire(reply)

    def _log_callback(self, request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        """A job log's short-lived URL: plain text, no token wanted (it is signed)."""
        self._seen += 1
        url = urlsplit(request.url or "")
        if "Authorization" in request.headers:
            self.violations.append(f"a token was sent to the log host {url.netloc}")
        status, text = log_download(self, request.url or "")
        self.log.append(RecordedRequest("GET", url.path, "", parse_qs(url.query), None, status))
        return status, {"Content-Type": "text/plain; charset=utf-8"}, text

    def _fault(self, request: FakeRequest, fault: Fault) -> tuple[int, dict[str, str], str]:
        if fault.applies_first:
            self._handle(request)
        try:
            reply = fault_reply(fault)
        except requests.exceptions.RequestException:
            self._record(request, None)
            raise
        self._record(request, reply.status)
        return self._wire(reply)

    def _run_hooks(self, request: FakeRequest) -> None:
        for hook in list(self._hooks):
            if hook.predicate(request):
                if hook.once:
                    self._hooks.remove(hook)
                hook.callback(self)

    def _handle(self, request: FakeRequest) -> Reply:
        handler = ROUTES.routes.get((request.method, request.template))
        if handler is None:
            msg = f"{request.method} {request.template} is documented but not faked yet"
            raise NotImplementedError(msg)
        try:
            return handler(self, request)
        except ApiError as e:
            return e.reply(request.documentation_url)

    def _record(self, request: FakeRequest, status: int | None) -> None:
        self.log.append(
            RecordedRequest(
                request.method, request.path, request.template, request.query, request.body, status
            )
        )

    def _wire(self, reply: Reply) -> tuple[int, dict[str, str], str]:
        text = (
            reply.raw
            if reply.raw is not None
            else ""
            if reply.body is None
            else json.dumps(reply.body)
        )
        return reply.status, self._headers(reply), text

    def _headers(self, reply: Reply) -> dict[str, str]:
        self.rate_used += 1
        reset = int(self.now().timestamp()) + 3600
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-GitHub-Request-Id": f"FAKE:{self._seen}",
            "X-RateLimit-Limit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(max(RATE_LIMIT - self.rate_used, 0)),
            "X-RateLimit-Used": str(self.rate_used),
            "X-RateLimit-Reset": str(reset),
            "X-RateLimit-Resource": "core",
        }
        return headers | reply.headers

    def _graphql(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        raw: bytes | None,
        fault: Fault | None,
    ) -> tuple[int, dict[str, str], str]:
        # GraphQL is checked against its own schema, not the REST description: a handler
        # installed with on_graphql() is the place for that.
        body = json.loads(raw) if raw else {}
        request = FakeRequest(method, path, "", {}, query, body)
        handler = self.graphql_handler
        if handler is None:
            # GitHub always answers GraphQL: by default from this fake's repositories, checked
            # against GitHub's schema (a test may install another handler first).
            from testing.graphql import FakeGraphQL  # noqa: PLC0415 (it imports this module)

            handler = FakeGraphQL().install(self)
        if fault is not None and fault.applies_first:
            # Applied, then answered 502 (`_fault` would look for a REST route to apply it).
            handler(self, body)
            fault = Fault.BAD_GATEWAY
        if fault is not None:
            return self._fault(request, fault)
        reply = handler(self, body)
        self._record(request, reply.status)
        return self._wire(reply)
