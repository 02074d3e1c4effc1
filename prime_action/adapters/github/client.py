"""One PyGithub client per run: counted requests, spaced writes, retries that never duplicate."""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

import github
import requests
from github import Auth, Github, GithubException
from github.GitBlob import GitBlob
from github.Repository import Repository

from prime_action.domain.errors import GitHubError

T = TypeVar("T")
READ_VERBS = frozenset({"GET", "HEAD"})


class RequestCounter(logging.Handler):
    """Counts every HTTP request PyGithub makes, through the debug record it logs per request.

    PyGithub logs one record per request it sends (pagination included) on its `Requester`
    logger; counting those needs no private attribute and sees exactly what GitHub billed.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.total = 0
        self.writes = 0

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        verb = args[0] if args else None
        if not isinstance(verb, str):
            return
        self.total += 1
        self.writes += verb.upper() not in READ_VERBS and not _graphql_query(args)


def _graphql_query(args: tuple[object, ...]) -> bool:
    """Whether a logged request is a GraphQL query: a POST that only reads.

    PyGithub logs (verb, scheme, host, url, headers, input, ...), the input as sent.
    """
    url, body = (args[3], args[5]) if len(args) > 5 else ("", None)
    if not isinstance(url, str) or not url.endswith("graphql") or not isinstance(body, str):
        return False
    try:
        query = json.loads(body).get("query", "")
    except (ValueError, AttributeError):
        return False
    return isinstance(query, str) and not query.lstrip().startswith("mutation")


@dataclass
class RetryPolicy:
    """How hard to try: reads retry on 5xx, timeouts and rate limits; writes only on rate limits.

    A write answered with a 5xx or a timeout may have been applied: retrying it blindly could
    duplicate an issue or a comment, so it fails the run instead, and the rerun reconciles by
    markers (DESIGN §4).
    """

    attempts: int = 4
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep)


def _rate_limited(e: GithubException) -> bool:
    message = str(e.data).lower() if e.data else ""
    return e.status == 429 or (
        e.status == 403 and ("rate limit" in message or _retry_after(e) is not None)
    )


def _headers(e: GithubException) -> dict[str, str]:
    return {k.lower(): v for k, v in (e.headers or {}).items()}


def _retry_after(e: GithubException) -> float | None:
    value = _headers(e).get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _used_up_until(e: GithubException) -> datetime | None:
    """When the token's rate limit resets, if this answer says it is used up (remaining 0)."""
    headers = _headers(e)
    if e.status not in (403, 429) or headers.get("x-ratelimit-remaining") != "0":
        return None
    try:
        return datetime.fromtimestamp(int(headers["x-ratelimit-reset"]), UTC)
    except (KeyError, ValueError):
        return None


class GitHubClient:
    """PyGithub behind Prime's retry policy and request counter."""

    def __init__(
        self,
        token: str,
        api_url: str = "https://api.github.com",
        *,
        policy: RetryPolicy | None = None,
        write_spacing: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # retry=None: urllib3 would retry POSTs after a 5xx and could create duplicates;
        # Prime's own policy below decides what may be retried.
        # PyGithub's own spacing is off: it spaces every POST, GraphQL queries included,
        # which only read. GitHub asks for a second between writes; `write` spaces those.
        self.github = Github(
            base_url=api_url.rstrip("/"),
            auth=Auth.Token(token),
            retry=None,
            lazy=True,
            seconds_between_requests=0,
            seconds_between_writes=0,
            per_page=100,
        )
        self.policy = policy or RetryPolicy()
        self.write_spacing = write_spacing
        self._clock = clock
        self._last_write: float | None = None
        self.counter = RequestCounter()
        logger = logging.getLogger("github.Requester")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # its debug records carry response bodies; never print them
        logger.addHandler(self.counter)

    def close(self) -> None:
        """Stop counting (tests create many clients)."""
        logging.getLogger("github.Requester").removeHandler(self.counter)
        self.github.close()

    def read(self, what: str, call: Callable[[], T]) -> T:
        """Run a read, retrying 5xx, timeouts and rate limits with backoff."""
        return self._run(what, call, write=False)

    def write(self, what: str, call: Callable[[], T]) -> T:
        """Run a write, retrying only rate limits (GitHub did not apply those).

        Writes are spaced by `write_spacing` seconds, as GitHub asks of POST, PATCH, PUT and
        DELETE requests (its secondary rate limits); reads never wait.
        """
        return self._spaced(lambda: self._run(what, call, write=True))

    def repeatable(self, what: str, call: Callable[[], T]) -> T:
        """Run a write that is safe to repeat, retried like a read: a 5xx need not fail it.

        Creating a git object (tree, commit) is one: nothing refers to it until a ref moves.
        Moving a ref to a given commit with `force=false` is another: repeated after it was
        applied, it moves nothing; after another writer moved the ref on, it is refused (422)
        and the compare-and-swap re-reads.
        """
        return self._spaced(lambda: self._run(what, call, write=False))

    def _spaced(self, call: Callable[[], T]) -> T:
        if self._last_write is not None and self.write_spacing > 0:
            wait = self._last_write + self.write_spacing - self._clock()
            if wait > 0:
                self.policy.sleep(wait)
        try:
            return call()
        finally:
            self._last_write = self._clock()

    def _run(self, what: str, call: Callable[[], T], *, write: bool) -> T:
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return call()
            except GithubException as e:
                wait = self._wait(e, attempt, write=write)
                if wait is None:
                    raise _translate(what, e) from e
            except (requests.ConnectionError, requests.Timeout) as e:
                if write or attempt == self.policy.attempts:
                    msg = f"{what}: GitHub did not answer ({type(e).__name__}); rerun to reconcile"
                    raise GitHubError(msg) from e
                wait = self.policy.backoff_seconds * attempt
            self.policy.sleep(min(wait, self.policy.max_wait_seconds))
        msg = f"{what}: still failing after {self.policy.attempts} attempts"
        raise GitHubError(msg)

    def _wait(self, e: GithubException, attempt: int, *, write: bool) -> float | None:
        if attempt >= self.policy.attempts:
            return None
        reset = _used_up_until(e)
        if reset is not None and _retry_after(e) is None:
            # GitHub: no request until the reset. A reset within the longest wait is waited
            # for; a later one stops the run now, naming it (_translate).
            wait = reset.timestamp() - time.time() + 1
            return wait if wait <= self.policy.max_wait_seconds else None
        if _rate_limited(e):
            return _retry_after(e) or self.policy.backoff_seconds * attempt
        if e.status >= 500 and not write:
            return self.policy.backoff_seconds * attempt
        return None


def _translate(what: str, e: GithubException) -> GitHubError:
    detail = e.data.get("message") if isinstance(e.data, dict) else None
    hint = {
        401: "the token is missing or invalid: check the github-token input",
        403: "the token lacks a permission: see the README's permissions table",
        404: "not found, or the token cannot see it",
    }.get(e.status, "")
    if e.status == 403 and "archived" in str(detail or "").lower():
        hint = "the repository is archived: unarchive it, or exclude it from Prime"
    reset = _used_up_until(e)
    if reset is not None:
        hint = (
            f"the token's rate limit is used up until {reset:%Y-%m-%d %H:%M} UTC "
            "(x-ratelimit-reset): rerun after that"
        )
    msg = f"{what}: GitHub answered {e.status} {detail or ''}".rstrip()
    return GitHubError(f"{msg}; {hint}" if hint else msg, status=e.status)


def blob_text(blob: GitBlob) -> str:
    """A git blob's content as text (GitHub sends it base64-encoded)."""
    if blob.encoding == "base64":
        return base64.b64decode(blob.content).decode("utf-8", errors="replace")
    return str(blob.content)


def file_text(
    client: GitHubClient, repo: Repository, path: str, ref: str | None = None
) -> tuple[str, str] | None:
    """(text, blob SHA) of a file at `ref` (the default branch when None), or None if absent.

    One request, two for a file over 1 MB: the contents API answers those with
    `encoding: none` and no content, and the Git Data API serves the blob (up to 100 MB).
    """
    where = f"{repo.full_name}@{ref}:{path}" if ref else f"{repo.full_name}:{path}"
    try:
        found = client.read(
            f"read {where}",
            lambda: repo.get_contents(path, ref=ref) if ref else repo.get_contents(path),
        )
    except GitHubError as e:
        if is_missing(e):
            return None
        raise
    if isinstance(found, list):  # a directory
        return None
    if found.encoding == "base64":
        return found.decoded_content.decode("utf-8", errors="replace"), found.sha
    return read_blob(client, repo, found.sha, f"read {where} (blob)"), found.sha


def read_blob(client: GitHubClient, repo: Repository, sha: str, what: str) -> str:
    """A blob's whole text by its SHA (the Git Data API serves up to 100 MB): one read."""
    return blob_text(client.read(what, lambda: repo.get_git_blob(sha)))


def is_missing(error: GitHubError) -> bool:
    """Whether an error means 'not there' (404)."""
    return error.status == 404


__all__ = [
    "GitHubClient",
    "RequestCounter",
    "RetryPolicy",
    "blob_text",
    "file_text",
    "github",
    "is_missing",
    "read_blob",
]
