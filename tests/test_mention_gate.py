"""The repository workflow's job `if:` lets a comment mentioning `--mention`'s login through,
the full workflow and the reusable one alike, on GitHub's example issue_comment payload."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from prime_action.domain.errors import UsageError
from prime_action.workflows import render_repo_config, render_repo_workflow
from testing.expressions import evaluate

ROOT = Path(__file__).resolve().parents[1]
WEBHOOKS = ROOT / "tests" / "fixtures" / "webhooks"


def comment(body: str) -> dict[str, Any]:
    """GitHub's example issue_comment.created payload with another comment body."""
    payload = json.loads((WEBHOOKS / "issue_comment.created.json").read_text(encoding="utf-8"))
    payload = copy.deepcopy(payload)
    payload["comment"]["body"] = body
    return payload


def starts(condition: str, body: str, inputs: dict[str, Any] | None = None) -> bool:
    github = {"event_name": "issue_comment", "event": comment(body), "actor": "octocat"}
    return bool(evaluate(condition, {"github": github, "inputs": inputs or {}}))


def full(mention: str | None) -> str:
    workflow = yaml.safe_load(render_repo_workflow(repo="acme/api", mention=mention))
    condition = workflow["jobs"]["wake"]["if"]
    assert isinstance(condition, str)
    return condition


def reusable() -> str:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "wake.yml").read_text("utf-8"))
    condition = workflow["jobs"]["wake"]["if"]
    assert isinstance(condition, str)
    return condition


@pytest.mark.parametrize(
    ("body", "with_login", "without"),
    [
        ("@prime-bot which fix comes first?", True, False),
        ("Thanks @prime-bot!", True, False),
        ("/prime status", True, True),
        ("/prime put license first", True, True),
        ("Thanks, looks good.", False, False),
        ("@someone-else can you look?", False, False),
    ],
)
def test_a_mention_starts_the_job_only_when_a_login_is_configured(
    body: str, with_login: bool, without: bool
) -> None:
    assert starts(full("prime-bot"), body) is with_login
    assert starts(full(None), body) is without
    assert starts(reusable(), body, {"mention": "prime-bot"}) is with_login
    assert starts(reusable(), body, {"mention": ""}) is without


def test_the_config_names_the_same_login() -> None:
    assert "conversation:  #" in render_repo_config(mention="prime-bot")
    assert '  mention: "prime-bot"' in render_repo_config(mention="prime-bot")
    assert "\nconversation:" not in render_repo_config()


@pytest.mark.parametrize("login", ["@prime-bot", "x' || true", "a b", "-lead", "a" * 40])
def test_a_login_that_is_not_one_is_refused(login: str) -> None:
    with pytest.raises(UsageError, match="not a GitHub login"):
        render_repo_workflow(repo="acme/api", mention=login)
