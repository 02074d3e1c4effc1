"""Requests, replies, errors, pagination and the route table of the fake GitHub."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from testing.core import GitHubState

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100
_REASONS = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Validation Failed",
}


@dataclass(frozen=True)
class FakeRequest:
    """A request that passed validation, as the handlers see it."""

    method: str
    path: str  # below the API root, percent-encoded
    template: str  # the description's path template it matched
    params: dict[str, str]  # decoded path parameters
    query: dict[str, list[str]]
    body: Any  # decoded JSON, or None
    documentation_url: str = ""
    accept: str = ""  # the Accept header: a custom media type asks for raw content

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def field(self, name: str, default: Any = None) -> Any:
        """A top-level field of the JSON body."""
        return self.body.get(name, default) if isinstance(self.body, dict) else default


@dataclass(frozen=True)
class Reply:
    """What the fake answers: a status, a JSON body (None: empty) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # The body as sent, for a custom media type (raw file content); None: `body` as JSON.
    raw: str | None = None


class ApiError(Exception):
    """Raised by a handler to answer with a GitHub-style error body."""

    def __init__(
        self, status: int, message: str | None = None, errors: list[Any] | None = None
    ) -> None:
        """Describe the error.

        Args:
            status: The HTTP status.
            message: GitHub's `message` (default: the usual one for the status).
            errors: GitHub's `errors` list for 422 validation failures (objects, or plain
                sentences as in a pull request review's refusals).
        """
        self.status = status
        self.message = message or _REASONS.get(status, "Error")
        self.errors = errors
        super().__init__(f"{status} {self.message}")

    def reply(self, documentation_url: str) -> Reply:
        """The error as GitHub sends it."""
        body: dict[str, Any] = {
            "message": self.message,
            "documentation_url": documentation_url,
            "status": str(self.status),
        }
        if self.errors is not None:
            body["errors"] = self.errors
        return Reply(self.status, body)


def invalid(resource: str, field_name: str, code: str = "invalid") -> ApiError:
    """A 422 Validation Failed naming one field, as GitHub reports it."""
    return ApiError(422, errors=[{"resource": resource, "field": field_name, "code": code}])


Handler = Callable[["GitHubState", FakeRequest], Reply]


class Router:
    """A table of handlers keyed by (method, path template of the description)."""

    def __init__(self) -> None:
        """Start empty."""
        self.routes: dict[tuple[str, str], Handler] = {}

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        """Register a handler for one documented operation.

        Args:
            method: The HTTP method.
            template: The path template exactly as the description writes it.

        Returns:
            A decorator that registers and returns the handler.
        """

        def register(handler: Handler) -> Handler:
            self.routes[(method.upper(), template)] = handler
            return handler

        return register

    def include(self, other: Router) -> None:
        """Add another table's routes to this one."""
        self.routes.update(other.routes)


def page_window(request: FakeRequest) -> tuple[int, int]:
    """The page number and size a list request asks for (GitHub caps the size at 100)."""
    page = max(int(request.arg("page") or 1), 1)
    per_page = min(max(int(request.arg("per_page") or DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)
    return page, per_page


def paginate(
    state: GitHubState, request: FakeRequest, items: list[Any], wrap: str | None = None
) -> Reply:
    """Answer one page of a list, with a Link header like GitHub's.

    Args:
        state: The fake, for absolute URLs.
        request: The list request (its page and per_page are honoured).
        items: Every item of the list, in order.
        wrap: For wrapped lists (check runs, workflow runs): the key of the items, next to
            `total_count`.

    Returns:
        The reply for the requested page.
    """
    page, per_page = page_window(request)
    last = max((len(items) + per_page - 1) // per_page, 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    links = []
    rels = {"prev": page - 1, "next": page + 1, "last": last, "first": 1}
    for rel, number in rels.items():
        wanted = (rel in ("prev", "first") and page > 1) or (
            rel in ("next", "last") and page < last
        )
        if wanted:
            query = {k: v[0] for k, v in request.query.items()} | {"page": str(number)}
            url = state.urls.api(f"{request.path}?{urlencode(query)}")
            links.append(f'<{url}>; rel="{rel}"')
    headers = {"Link": ", ".join(links)} if links else {}
    body = {"total_count": len(items), wrap: chunk} if wrap else chunk
    return Reply(200, body, headers)
