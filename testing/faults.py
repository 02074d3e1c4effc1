"""Failures the fake GitHub can inject: server errors, rate limits, network errors."""

from __future__ import annotations

import time
from enum import StrEnum

import requests

from testing.router import Reply

SECONDARY_RATE_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID FAKE."
)
PRIMARY_RATE_LIMIT_MESSAGE = "API rate limit exceeded for installation ID 1."
_RATE_LIMIT_DOCS = (
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)


class Fault(StrEnum):
    """How an injected failure shows."""

    SERVER_ERROR = "500"  # 500 Internal Server Error, nothing applied
    BAD_GATEWAY = "502"  # 502 Bad Gateway, nothing applied
    SECONDARY_RATE_LIMIT = "403-secondary-rate-limit"  # 403 with Retry-After: 1
    TOO_MANY_REQUESTS = "429"  # 429 with Retry-After: 1
    CONNECTION_ERROR = "connection-error"  # requests.exceptions.ConnectionError
    TIMEOUT = "read-timeout"  # requests.exceptions.ReadTimeout
    APPLIED_THEN_ERROR = "applied-then-502"  # the write happens, the answer is a 502
    # The token's primary rate limit used up: 403, x-ratelimit-remaining 0, reset in an hour.
    RATE_LIMIT_USED_UP = "403-primary-rate-limit"

    @property
    def applies_first(self) -> bool:
        """Whether the request takes effect before the failure is reported."""
        return self is Fault.APPLIED_THEN_ERROR


def fault_reply(fault: Fault) -> Reply:
    """The answer for an injected failure; network failures raise instead.

    Args:
        fault: The failure to produce.

    Returns:
        The error reply.

    Raises:
        requests.exceptions.ConnectionError: For CONNECTION_ERROR.
        requests.exceptions.ReadTimeout: For TIMEOUT.
    """
    if fault is Fault.CONNECTION_ERROR:
        msg = "Connection aborted: the fake GitHub dropped the connection"
        raise requests.exceptions.ConnectionError(msg)
    if fault is Fault.TIMEOUT:
        msg = "Read timed out: the fake GitHub did not answer"
        raise requests.exceptions.ReadTimeout(msg)
    if fault in (Fault.SECONDARY_RATE_LIMIT, Fault.TOO_MANY_REQUESTS):
        body = {"message": SECONDARY_RATE_LIMIT_MESSAGE, "documentation_url": _RATE_LIMIT_DOCS}
        status = 403 if fault is Fault.SECONDARY_RATE_LIMIT else 429
        return Reply(status, body, {"Retry-After": "1"})
    if fault is Fault.RATE_LIMIT_USED_UP:
        body = {"message": PRIMARY_RATE_LIMIT_MESSAGE, "documentation_url": _RATE_LIMIT_DOCS}
        reset = str(int(time.time()) + 3600)
        return Reply(403, body, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset})
    if fault is Fault.SERVER_ERROR:
        return Reply(500, {"message": "Server Error"})
    return Reply(502, {"message": "Server Error"})
