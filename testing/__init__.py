"""Shared test doubles: the fake GitHub that GitHub-adapter and end-to-end tests run against."""

from testing.faults import Fault
from testing.github import FakeGitHub, RecordedRequest
from testing.openapi import OpenApiSpec, load_spec

__all__ = ["FakeGitHub", "Fault", "OpenApiSpec", "RecordedRequest", "load_spec"]
