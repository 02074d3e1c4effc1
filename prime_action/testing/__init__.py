"""Shared test doubles: the fake GitHub that GitHub-adapter and end-to-end tests run against."""

from prime_action.testing.faults import Fault
from prime_action.testing.github import FakeGitHub, RecordedRequest
from prime_action.testing.openapi import OpenApiSpec, load_spec

__all__ = ["FakeGitHub", "Fault", "OpenApiSpec", "RecordedRequest", "load_spec"]
