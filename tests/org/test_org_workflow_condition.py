"""The org workflow's job `if:` lets org commands through and nothing else, on real payloads."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from prime_action.workflows import render_org_workflow
from testing.expressions import evaluate

WEBHOOKS = Path(__file__).resolve().parents[1] / "fixtures" / "webhooks"


def job_condition() -> str:
    workflow = yaml.safe_load(render_org_workflow(repo="acme/prime-org"))
    condition = workflow["jobs"]["org"]["if"]
    assert isinstance(condition, str)
    return condition


def comment(body: str, *, on_pull_request: bool = False) -> dict[str, Any]:
    """GitHub's example issue_comment.created payload with another comment body."""
    payload = json.loads((WEBHOOKS / "issue_comment.created.json").read_text(encoding="utf-8"))
    payload = copy.deepcopy(payload)
    payload["comment"]["body"] = body
    if on_pull_request:
        payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/a/b/pulls/1"}
    return payload


def runs(event_name: str, payload: dict[str, Any]) -> bool:
    github = {"event_name": event_name, "event": payload, "actor": "octocat"}
    return bool(evaluate(job_condition(), {"github": github}))


@pytest.mark.parametrize(
    "body",
    [
        '/prime delegate repo:acme/api ci "the release waits"',
        "Please look at this.\n\n/prime delegate repo:acme/web dependabot",
        '/prime priority repo:acme/api +10 "release"',
        "/prime priority signal:ci clear",
    ],
)
def test_an_org_command_comment_starts_org_prime(body: str) -> None:
    assert runs("issue_comment", comment(body))


@pytest.mark.parametrize("body", ["Thanks!", "/prime wake", "/prime status", "delegate this"])
def test_any_other_comment_starts_nothing(body: str) -> None:
    assert not runs("issue_comment", comment(body))


def test_a_command_on_a_pull_request_starts_nothing() -> None:
    assert not runs("issue_comment", comment("/prime delegate repo:a/b ci", on_pull_request=True))


@pytest.mark.parametrize("event", ["schedule", "workflow_dispatch", "repository_dispatch"])
def test_other_events_always_run(event: str) -> None:
    assert runs(event, {"action": "prime-flag"} if event == "repository_dispatch" else {})
