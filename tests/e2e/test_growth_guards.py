"""The growth gate's merge waits for the code owners and survives branch protection (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from prime_action.adapters.github.client import GitHubClient
from prime_action.runners.boundary import branch_name
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.github import FakeGitHub
from tests.e2e.harness import FILES, REPO, Actions
from tests.e2e.test_growth import CONFIG, SEED, SHORT, TOKENIZER, agent, client, gate, tickets

__all__ = ["client"]


def _green_pull(fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                client: GitHubClient, extra: dict[str, str]) -> tuple[int, int]:  # fmt: skip
    files = {**FILES, "seed.yaml": SEED, ".github/prime.yml": CONFIG, **extra,
             RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True)}  # fmt: skip
    fake.add_repo(REPO, files)
    actions = Actions(fake, tmp_path, monkeypatch)
    actions.run("workflow_dispatch")
    actions.run("workflow_dispatch")
    ticket = tickets(fake)[TOKENIZER][0]
    pull = agent(client, TOKENIZER, {"src/core/tokens.py": SHORT}, ticket)
    fake.set_ci(REPO, checks=["CI"], ref=branch_name(TOKENIZER))
    return pull, ticket


def test_auto_merge_waits_for_the_code_owners_approval(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: GitHubClient
) -> None:
    owners = {".github/CODEOWNERS": "*.md @docs-team-lead\nsrc/core/ @carol\n"}
    pull, ticket = _green_pull(fake_github, tmp_path, monkeypatch, client, owners)
    assert gate(client, pull) == f"asked carol to review PR #{pull}"
    found = fake_github.repos[REPO].issues[pull]
    assert found.state == "open"
    assert found.pull is not None
    assert "carol" in found.pull.requested_reviewers
    assert gate(client, pull).startswith(f"PR #{pull}: every gate is green; the CODEOWNERS")
    fake_github.review(REPO, pull, "mallory")  # not an owner: still waits
    assert "CODEOWNERS" in gate(client, pull)
    fake_github.review(REPO, pull, "carol")
    assert gate(client, pull) == f"merged PR #{pull} for ticket #{ticket}"


def test_a_protected_branch_refusing_the_merge_is_reported_not_a_crash(
    fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: GitHubClient
) -> None:
    pull, ticket = _green_pull(fake_github, tmp_path, monkeypatch, client, {})
    fake_github.repos[REPO].protected.add("main")
    line = gate(client, pull)
    assert line.startswith(f"did not merge PR #{pull}: GitHub refused (405)")
    assert tickets(fake_github)[TOKENIZER][1] == "open"  # the ticket stays open
    fake_github.review(REPO, pull, "carol")
    assert gate(client, pull) == f"merged PR #{pull} for ticket #{ticket}"
