"""The org repository's workflow and config as `prime init --org` writes them."""

from __future__ import annotations

from pathlib import Path

import yaml

from prime_action.cli import main
from prime_action.config.loader import parse_yaml
from prime_action.config.org import OrgConfig
from prime_action.workflows import render_org_config, render_org_workflow

# prime init pins `uses:` to a commit: a release's stamp, or --ref as here.
SHA = "0123456789abcdef0123456789abcdef01234567"
PINNED = ["--ref", SHA]


def test_the_org_workflow_wakes_hourly_on_demand_on_flags_and_on_priority_commands() -> None:
    doc = yaml.safe_load(render_org_workflow(repo="acme/prime-org"))
    triggers = doc[True]
    # Hourly: each run is the alarm clock of the repositories whose next wake has passed.
    assert triggers["schedule"][0]["cron"].endswith(" * * * *")
    assert "workflow_dispatch" in triggers
    assert triggers["repository_dispatch"]["types"] == ["prime-flag"]
    assert triggers["issue_comment"]["types"] == ["created"]
    assert "/prime priority" in doc["jobs"]["org"]["if"]


def test_the_org_workflow_declares_least_privilege_and_one_run_at_a_time() -> None:
    doc = yaml.safe_load(render_org_workflow(repo="acme/prime-org"))
    assert doc["permissions"] == {}
    assert doc["jobs"]["org"]["permissions"] == {
        "contents": "write",
        "issues": "write",
        "actions": "write",
    }
    assert doc["concurrency"]["cancel-in-progress"] is False
    step = doc["jobs"]["org"]["steps"][-1]
    assert step["with"]["command"] == "org"
    assert step["with"]["github-token"] == (
        "${{ steps.app.outputs.token || secrets.PRIME_TOKEN || github.token }}"
    )
    assert "run" not in step


def test_the_org_config_template_names_every_key_and_loads_as_the_defaults() -> None:
    text = render_org_config(repo="acme/prime-org")
    assert parse_yaml(text, OrgConfig, "prime-org.yml") == OrgConfig()
    for key in OrgConfig.model_fields:
        assert f"# {key}:" in text or f"{key}:" in text, key
    assert "org-config.schema.json" in text.splitlines()[0]


def test_init_org_writes_the_org_workflow_config_dispatcher_and_runner(tmp_path: Path) -> None:
    assert main(["init", *PINNED, str(tmp_path), "--org", "--repo", "acme/prime-org"]) == 0
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.yml"))
    assert written == [
        ".github/prime-org.yml",
        ".github/workflows/prime-dispatch.yml",
        ".github/workflows/prime-onboard.yml",
        ".github/workflows/prime-org.yml",
        ".github/workflows/prime-run.yml",
    ]
    assert main(["init", *PINNED, str(tmp_path), "--org"]) == 2
