"""The composite action's shape, and the cron minute and rendering behind `prime init`."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from prime_action.domain.errors import UsageError
from prime_action.workflows import (
    DEFAULT_ACTION_REF,
    config_schema_url,
    cron_minute,
    hourly_cron,
    render_repo_workflow,
    render_runner_workflow,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(action: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = action["runs"]["steps"]
    return result


def test_action_is_a_composite(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert action["name"]
    assert action["description"]


def test_action_takes_the_documented_inputs(action: dict[str, Any]) -> None:
    inputs = action["inputs"]

    assert {"command", "github-token", "config", "model", "dry-run"} <= set(inputs)
    assert inputs["command"]["default"] == "wake"
    assert inputs["github-token"]["default"] == "${{ github.token }}"
    assert inputs["model"]["default"] == ""
    assert all(spec.get("description") for spec in inputs.values())


def test_action_outputs_come_from_the_prime_step(action: dict[str, Any]) -> None:
    outputs = action["outputs"]

    assert set(outputs) == {"summary", "next-wake", "actions"}
    for name, spec in outputs.items():
        assert spec["value"] == f"${{{{ steps.prime.outputs.{name} }}}}"
    assert any(step.get("id") == "prime" for step in steps(action))


def test_every_run_step_names_its_shell(action: dict[str, Any]) -> None:
    runs = [step for step in steps(action) if "run" in step]

    assert runs
    assert all(step.get("shell") == "bash" for step in runs)


def test_every_input_reaches_the_program_through_env(action: dict[str, Any]) -> None:
    env = {key: value for step in steps(action) for key, value in step.get("env", {}).items()}

    for name in action["inputs"]:
        assert f"${{{{ inputs.{name} }}}}" in env.values()
    assert ("GITHUB_TOKEN", "${{ inputs.github-token }}") in env.items()


def test_action_installs_the_llm_extra_only_for_a_model(action: dict[str, Any]) -> None:
    install = next(step for step in steps(action) if step["name"] == "Install Prime")

    assert install["env"] == {"PRIME_MODEL": "${{ inputs.model }}"}
    assert 'if [ -n "$PRIME_MODEL" ]; then spec="$spec[llm]"; fi' in install["run"]
    assert "$GITHUB_ACTION_PATH" in install["run"]


@pytest.mark.parametrize(
    ("name", "minute"),
    [
        ("acme/api", 7),
        ("acme/web", 22),
        ("acme/infra", 0),
        ("octocat/hello-world", 6),
        ("python/cpython", 39),
        ("pypa/pip", 2),
        ("encode/httpx", 40),
        ("hynek/structlog", 50),
    ],
)
def test_cron_minute_is_a_stable_hash_of_the_name(name: str, minute: int) -> None:
    # Pinned values: changing the hash would move every installed repository's schedule.
    assert cron_minute(name) == minute
    assert cron_minute(name.upper()) == minute
    assert hourly_cron(name) == f"{minute} * * * *"


def test_cron_minutes_of_the_table_all_differ() -> None:
    names = ["acme/api", "acme/web", "acme/infra", "octocat/hello-world", "python/cpython"]

    assert len({cron_minute(name) for name in names}) == len(names)


def test_thousands_of_repositories_spread_over_the_hour() -> None:
    counts = Counter(cron_minute(f"acme/service-{i}") for i in range(6000))

    assert set(counts) == set(range(60))
    assert max(counts.values()) < 2 * 6000 / 60


def test_schema_url_follows_the_action_ref() -> None:
    assert config_schema_url("acme/prime/sub@v2.1") == (
        "https://raw.githubusercontent.com/acme/prime/v2.1/prime_action/schemas/config.schema.json"
    )
    assert DEFAULT_ACTION_REF.startswith("prime-action/prime@")


def test_workflow_names_the_ci_workflows_as_json_strings() -> None:
    text = render_repo_workflow(repo="acme/api", ci_workflows=["CI", "a: b # c"])
    doc = yaml.safe_load(text)

    assert doc[True]["workflow_run"]["workflows"] == ["CI", "a: b # c"]


def test_a_multi_line_repository_name_cannot_break_the_workflow() -> None:
    text = render_repo_workflow(repo="acme/api\nname: evil")

    assert yaml.safe_load(text)["name"] == "Prime"


def test_an_empty_ci_workflow_list_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--ci-workflow"):
        render_repo_workflow(repo="acme/api", ci_workflows=[])


def test_a_sleeping_tick_stops_before_the_install(action: dict[str, Any]) -> None:
    first, *rest = steps(action)
    assert first["id"] == "asleep"
    assert first["if"] == "inputs.command == 'wake' && github.event_name == 'schedule'"
    assert "prime_action/hibernation.py" in first["run"]
    assert '|| echo "asleep=false"' in first["run"]  # a failing check never skips a wake
    assert [step["if"] for step in rest] == ["steps.asleep.outputs.asleep != 'true'"] * len(rest)


def test_the_hibernation_check_needs_only_the_standard_library() -> None:
    tree = ast.parse((ROOT / "prime_action" / "hibernation.py").read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {
        "__future__"
    }


def test_the_readme_permissions_table_is_what_the_repository_workflow_asks_for() -> None:
    workflow = yaml.safe_load(render_repo_workflow(repo="acme/api"))
    asked = {f"{k}: {v}" for k, v in workflow["jobs"]["wake"]["permissions"].items()}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| permission | why |", 1)[1].split("\n\n", 1)[0]
    documented = {
        cell.strip("` ") for row in table.splitlines()[2:] for cell in row.split("|")[1].split(",")
    }
    assert documented == asked


def runner_jobs(standalone: bool) -> dict[str, Any]:
    jobs: dict[str, Any] = yaml.safe_load(render_runner_workflow(standalone=standalone))["jobs"]
    return jobs


def runs_repository_code(job: dict[str, Any]) -> bool:
    """Whether a job runs the repository's commands, agent or tests: `prime run --produce`."""
    return any("--produce" in str(s.get("with", {}).get("args", "")) for s in job["steps"])


@pytest.mark.parametrize("standalone", [True, False])
def test_the_job_running_repository_code_can_only_read_and_holds_no_token_or_secret(
    standalone: bool,
) -> None:
    jobs = runner_jobs(standalone)
    (name,) = [name for name, job in jobs.items() if runs_repository_code(job)]
    produce = jobs[name]

    assert produce["permissions"] in ({}, {"contents": "read"})
    text = yaml.safe_dump(produce)
    assert "secrets." not in text  # an agent's model key is the one a user may add
    assert "github.token" not in text
    (run,) = [s for s in produce["steps"] if "--produce" in str(s.get("with", {}).get("args"))]
    assert run["with"]["github-token"] == ""  # not even the job's read-only token
    checkouts = [
        s for s in produce["steps"] if str(s.get("uses", "")).startswith("actions/checkout")
    ]
    assert all(s["with"]["persist-credentials"] is False and "token" not in s["with"]
               for s in checkouts)  # fmt: skip


@pytest.mark.parametrize("standalone", [True, False])
def test_the_jobs_holding_a_write_token_or_a_secret_run_no_code_of_the_repository(
    standalone: bool,
) -> None:
    jobs = runner_jobs(standalone)
    trusted = {n: j for n, j in jobs.items() if not runs_repository_code(j)}
    assert set(trusted) == ({"propose"} if standalone else {"fetch", "propose"})

    for job in trusted.values():
        scripts = [s["run"] for s in job["steps"] if "run" in s]
        # Packing, or checking the repository's name for the App token: no building.
        assert all(script.startswith("tar -czf") or "is not OWNER/NAME" in script
                   for script in scripts)  # fmt: skip
        uses = [str(s["uses"]) for s in job["steps"] if "uses" in s]
        commands = [
            s["with"].get("command") for s in job["steps"] if "command" in s.get("with", {})
        ]
        assert set(commands) <= {"run", "report"}
        assert all("--produce" not in str(s.get("with", {}).get("args")) for s in job["steps"])
        assert len([u for u in uses if u.startswith("actions/checkout")]) <= 1
    # The writing job works through the API: it never checks out the repository it writes to.
    assert not any("checkout" in str(s.get("uses", "")) for s in jobs["propose"]["steps"])
    assert jobs["propose"]["needs"] == "produce"
    assert jobs["propose"]["if"].startswith("always()")


@pytest.mark.parametrize("standalone", [True, False])
def test_every_action_the_runner_uses_but_prime_is_pinned_by_commit(standalone: bool) -> None:
    uses = [str(s["uses"]) for job in runner_jobs(standalone).values() for s in job["steps"]
            if "uses" in s]  # fmt: skip
    others = [u for u in uses if not u.startswith(DEFAULT_ACTION_REF)]

    assert {u.split("@")[0] for u in others} >= {
        "actions/upload-artifact",
        "actions/download-artifact",
    }
    assert all(len(u.split("@")[1]) == 40 for u in others)


ZIZMOR = Path(sys.executable).parent / "zizmor"
# Prime's own action goes by its published tag (scripts/lint_actions.sh says why); every other
# action is held to a commit.
ZIZMOR_CONFIG = f"""\
rules:
  unpinned-uses:
    config:
      policies:
        "{DEFAULT_ACTION_REF.split("/")[0]}/*": ref-pin
        "actions/*": ref-pin
        "*": hash-pin
"""


@pytest.mark.skipif(not ZIZMOR.is_file(), reason="zizmor is a dev dependency")
def test_zizmor_pedantic_finds_nothing_in_the_runner_workflows_and_the_action(
    tmp_path: Path,
) -> None:
    for name, standalone in (("standalone.yml", True), ("org.yml", False)):
        (tmp_path / name).write_text(render_runner_workflow(standalone=standalone))
    (tmp_path / "zizmor.yml").write_text(ZIZMOR_CONFIG)
    files = [str(tmp_path / "standalone.yml"), str(tmp_path / "org.yml"), str(ROOT / "action.yml")]

    done = subprocess.run(
        [str(ZIZMOR), "--offline", "--pedantic", "--format", "json", "--no-progress",
         "--config", str(tmp_path / "zizmor.yml"), *files],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    findings = json.loads(done.stdout)
    assert [(f["ident"], f["determinations"]["severity"]) for f in findings] == []


def test_no_prime_step_restores_a_cache_a_read_only_runner_job_could_save(
    action: dict[str, Any],
) -> None:
    # The produce job runs repository code as the runner's user (root through sudo on hosted
    # runners): it can reach the Actions runtime token and save a cache under any key not yet
    # taken, or let actions/cache's post step save the venv it tampered with. A writing job
    # restoring that key would run those files with the write token. A cache in the action
    # must stay out of the produce job, and no writing job may restore what it could write.
    caches = [step for step in steps(action) if "actions/cache" in str(step.get("uses", ""))]
    for name, job in runner_jobs(standalone=True).items():
        assert not (caches and runs_repository_code(job)), (
            f"action.yml restores a cache, and the runner's {name} job runs repository code "
            "with it: keep the cache out of that job (and its key out of the writing jobs)"
        )
