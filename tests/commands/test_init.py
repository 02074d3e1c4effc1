"""`prime init`: the workflow and config it writes, and its refusal to overwrite."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from prime_action.cli import main
from prime_action.config.loader import parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.workflows import RUNNER_WORKFLOW_PATH

# prime init pins `uses:` to a commit: a release's stamp, or --ref as here.
SHA = "0123456789abcdef0123456789abcdef01234567"
PINNED = ["--ref", SHA]

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ".github/workflows/prime.yml"
CONFIG = ".github/prime.yml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    assert main(["init", *PINNED, str(tmp_path), "--repo", "acme/api"]) == 0
    return tmp_path


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict)
    return on


def run_scripts(doc: dict[str, Any]) -> Iterator[str]:
    """Every `run:` script of a workflow's jobs or of a composite action."""
    steps: list[dict[str, Any]] = list(doc.get("runs", {}).get("steps", []))
    for job in doc.get("jobs", {}).values():
        steps.extend(job.get("steps", []))
    for step in steps:
        if "run" in step:
            yield str(step["run"])


def expressions_in_scripts(doc: dict[str, Any]) -> list[str]:
    return [script for script in run_scripts(doc) if "${{" in script]


def test_init_writes_the_workflow_and_the_config(repo: Path) -> None:
    assert (repo / WORKFLOW).is_file()
    assert (repo / CONFIG).is_file()


def test_workflow_listens_to_every_wake_event(repo: Path) -> None:
    on = triggers(load(repo / WORKFLOW))

    assert set(on) == {
        "schedule",
        "workflow_dispatch",
        "issues",
        "issue_comment",
        "workflow_run",
        "pull_request",
        "check_suite",
        "push",
        "repository_dispatch",
    }
    assert set(on["issues"]["types"]) == {"labeled", "opened", "edited", "closed"}
    assert on["issue_comment"]["types"] == ["created"]
    assert on["workflow_run"] == {
        "workflows": ["CI"],
        "types": ["completed"],
        "branches": ["main", "prime/**"],
    }
    assert on["pull_request"]["types"] == ["closed", "opened", "synchronize"]
    assert on["check_suite"] == {"types": ["completed"]}
    assert on["push"]["branches"] == ["main"]
    assert set(on["repository_dispatch"]["types"]) == {
        "prime-job-result",
        "prime-delegate",
        "prime-wake",
    }
    # Standalone: a tick every 3 hours (240 billed minutes a month, not hourly's 720).
    assert on["schedule"] == [{"cron": "7 */3 * * *"}]


def test_workflow_runs_one_wake_at_a_time_and_never_cancels_one(repo: Path) -> None:
    concurrency = load(repo / WORKFLOW)["concurrency"]

    assert concurrency["cancel-in-progress"] is False
    assert "github.repository" in concurrency["group"]


def test_workflow_grants_nothing_by_default_and_each_job_its_own_permissions(
    repo: Path,
) -> None:
    workflow = load(repo / WORKFLOW)

    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert job["permissions"]
    assert workflow["jobs"]["wake"]["permissions"] == {
        "contents": "write",
        "issues": "write",
        "pull-requests": "write",
        "actions": "write",
        "checks": "read",
        "statuses": "read",
    }


def test_every_granted_permission_says_why_in_a_comment(repo: Path) -> None:
    text = (repo / WORKFLOW).read_text(encoding="utf-8")
    grants = re.findall(r"^ +[a-z-]+: (?:read|write)\b.*$", text, flags=re.MULTILINE)

    assert len(grants) == 6
    assert all(re.search(r"(?:read|write) +# \w", line) for line in grants)


def test_workflow_skips_events_caused_by_prime_itself_before_a_runner_starts(repo: Path) -> None:
    condition = load(repo / WORKFLOW)["jobs"]["wake"]["if"]

    assert "github.actor != 'github-actions[bot]'" in condition
    assert "${{" not in condition


def test_workflow_uses_the_given_action_and_ci_workflows(tmp_path: Path) -> None:
    code = main(
        [
            "init",
            str(tmp_path),
            "--action-ref",
            "acme/prime-fork@0123456789abcdef0123456789abcdef01234567",
            "--ci-workflow",
            "Tests",
            "--ci-workflow",
            'Lint "strict"',
        ]
    )
    workflow = load(tmp_path / WORKFLOW)

    assert code == 0
    assert triggers(workflow)["workflow_run"]["workflows"] == ["Tests", 'Lint "strict"']
    step = workflow["jobs"]["wake"]["steps"][0]
    assert step["uses"] == "acme/prime-fork@0123456789abcdef0123456789abcdef01234567"
    assert "acme/prime-fork/0123456789abcdef" in (tmp_path / CONFIG).read_text(encoding="utf-8")


def test_default_branch_comes_from_the_checkouts_origin_head(tmp_path: Path) -> None:
    head = tmp_path / ".git" / "refs" / "remotes" / "origin" / "HEAD"
    head.parent.mkdir(parents=True)
    head.write_text("ref: refs/remotes/origin/trunk\n", encoding="utf-8")

    assert main(["init", *PINNED, str(tmp_path)]) == 0
    assert triggers(load(tmp_path / WORKFLOW))["push"]["branches"] == ["trunk"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--action-ref", "prime-action/prime"],
        ["--action-ref", "evil/x@v1\non: push"],
        [*PINNED, "--ci-workflow", ""],
        [*PINNED, "--default-branch", "main\nx"],
        ["--ref", "v1\non: push"],
    ],
)
def test_values_that_cannot_be_written_safely_are_usage_errors(
    tmp_path: Path, argv: list[str]
) -> None:
    assert main(["init", str(tmp_path), *argv]) == 2
    assert not (tmp_path / ".github").exists()


def test_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["init", *PINNED, str(tmp_path / "nope")]) == 2


def test_config_is_all_comments_and_loads_as_the_defaults(repo: Path) -> None:
    text = (repo / CONFIG).read_text(encoding="utf-8")

    assert all(not line or line.startswith("#") for line in text.splitlines())
    assert parse_yaml(text, RepoConfig, CONFIG) == RepoConfig()


def test_config_points_editors_at_the_shipped_schema(repo: Path) -> None:
    first = (repo / CONFIG).read_text(encoding="utf-8").splitlines()[0]

    assert first == (
        "# yaml-language-server: $schema=https://raw.githubusercontent.com/prime-action/prime"
        f"/{SHA}/prime_action/schemas/config.schema.json"
    )
    assert (ROOT / "prime_action" / "schemas" / "config.schema.json").is_file()


def uncomment(text: str) -> str:
    """The config with every commented-out key switched on."""
    return re.sub(r"^# (?=\s*[a-z_]+:)", "", text, flags=re.MULTILINE)


def key_paths(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, field in model.model_fields.items():
        yield prefix + name
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from key_paths(field.annotation, f"{prefix}{name}.")


def yaml_key_paths(data: dict[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in data.items():
        yield prefix + key
        if isinstance(value, dict) and value:
            yield from yaml_key_paths(value, f"{prefix}{key}.")


def test_uncommented_config_shows_every_key_with_its_true_default(repo: Path) -> None:
    text = uncomment((repo / CONFIG).read_text(encoding="utf-8"))
    shown = yaml.safe_load(text)

    assert set(yaml_key_paths(shown)) == set(key_paths(RepoConfig))
    assert parse_yaml(text, RepoConfig, CONFIG) == RepoConfig()


def test_every_shown_key_has_a_one_line_explanation(repo: Path) -> None:
    text = (repo / CONFIG).read_text(encoding="utf-8")
    keys = [line for line in text.splitlines() if re.match(r"# +[a-z_]+:", line)]

    assert keys
    assert all(re.search(r"  # \w", line) for line in keys)


def test_second_init_refuses_and_leaves_both_files_untouched(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {name: (repo / name).read_bytes() for name in (WORKFLOW, CONFIG)}
    capsys.readouterr()

    assert main(["init", *PINNED, str(repo), "--repo", "other/name"]) == 2
    err = capsys.readouterr().err
    assert WORKFLOW in err
    assert "--force" in err
    assert {name: (repo / name).read_bytes() for name in (WORKFLOW, CONFIG)} == before


def test_an_existing_config_alone_blocks_init_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / CONFIG).write_text("version: 1\n", encoding="utf-8")

    assert main(["init", *PINNED, str(tmp_path)]) == 2
    assert CONFIG in capsys.readouterr().err
    assert not (tmp_path / WORKFLOW).exists()
    assert (tmp_path / CONFIG).read_text(encoding="utf-8") == "version: 1\n"


def test_force_overwrites_both_files(repo: Path) -> None:
    (repo / WORKFLOW).write_text("edited\n", encoding="utf-8")
    (repo / CONFIG).write_text("edited\n", encoding="utf-8")

    assert main(["init", *PINNED, str(repo), "--repo", "acme/api", "--force"]) == 0
    assert load(repo / WORKFLOW)["name"] == "Prime"
    assert (repo / CONFIG).read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_no_run_script_in_a_rendered_workflow_or_the_action_expands_an_expression(
    repo: Path,
) -> None:
    docs = [load(repo / WORKFLOW), load(ROOT / "action.yml")]
    docs += [load(path) for path in sorted((ROOT / ".github" / "workflows").glob("*.yml"))]

    assert all(list(run_scripts(doc)) for doc in docs[1:2])  # the scan does see scripts
    assert [script for doc in docs for script in expressions_in_scripts(doc)] == []


def test_the_expression_scan_catches_an_expression_in_a_script() -> None:
    doc = {"jobs": {"a": {"steps": [{"run": 'echo "${{ github.event.issue.title }}"'}]}}}

    assert expressions_in_scripts(doc) == ['echo "${{ github.event.issue.title }}"']


def test_init_offers_standalone_by_default_with_its_runner_workflow(tmp_path: Path) -> None:
    assert main(["init", *PINNED, str(tmp_path), "--repo", "acme/api"]) == 0

    runner = yaml.safe_load((tmp_path / RUNNER_WORKFLOW_PATH).read_text(encoding="utf-8"))
    assert runner["jobs"]["propose"]["permissions"]["pull-requests"] == "write"
    assert set(runner[True]["workflow_dispatch"]["inputs"]) == {
        "attempt", "repo", "signal", "runner", "approach", "ref",
    }  # fmt: skip
    config = parse_yaml((tmp_path / CONFIG).read_text(encoding="utf-8"), RepoConfig, CONFIG)
    assert config.jobs.mode == "standalone"


def test_init_in_org_mode_leaves_jobs_to_the_org_dispatcher(tmp_path: Path) -> None:
    assert main(["init", *PINNED, str(tmp_path), "--repo", "acme/api", "--mode", "org"]) == 0

    assert not (tmp_path / RUNNER_WORKFLOW_PATH).exists()
    assert (
        parse_yaml((tmp_path / CONFIG).read_text(encoding="utf-8"), RepoConfig, CONFIG).jobs.mode
        == "org"
    )
    # Org Prime sends prime-wake when the repository is due: one daily safety tick, no hourly.
    cron = triggers(load(tmp_path / WORKFLOW))["schedule"][0]["cron"]
    minute, hour, *rest = cron.split()
    assert hour.isdigit()
    assert minute.isdigit()
    assert rest == ["*", "*", "*"]
    assert "prime-wake" in triggers(load(tmp_path / WORKFLOW))["repository_dispatch"]["types"]


@pytest.mark.parametrize(
    ("hours", "cron"), [("1", "7 * * * *"), ("6", "7 */6 * * *"), ("24", "7 16 * * *")]
)
def test_init_sets_the_schedule_it_is_given(tmp_path: Path, hours: str, cron: str) -> None:
    assert (
        main(["init", str(tmp_path), "--repo", "acme/api", "--schedule-hours", hours, *PINNED]) == 0
    )

    assert triggers(load(tmp_path / WORKFLOW))["schedule"] == [{"cron": cron}]


def test_a_schedule_that_does_not_divide_a_day_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["init", str(tmp_path), "--repo", "acme/api", "--schedule-hours", "5", *PINNED]) == 2
    )
    assert "--schedule-hours 5: use one of 1, 2, 3, 4, 6, 8, 12, 24" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_the_ci_workflows_are_the_checkouts_own_push_and_pull_request_workflows(
    tmp_path: Path,
) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    job = "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
    (workflows / "ci.yml").write_text(f"name: Tests\non: [push, pull_request]\n{job}")
    (workflows / "lint.yaml").write_text(f"on:\n  pull_request:\n{job}")
    (workflows / "release.yml").write_text(f"name: Release\non: release\n{job}")
    (workflows / "prime.yml").write_text(f"name: Prime\non: push\n{job}")

    assert main(["init", *PINNED, str(tmp_path), "--force"]) == 0

    names = triggers(load(tmp_path / WORKFLOW))["workflow_run"]["workflows"]
    assert names == ["Tests", ".github/workflows/lint.yaml"]


def test_a_checkout_without_ci_workflows_gets_the_usual_name(repo: Path) -> None:
    assert triggers(load(repo / WORKFLOW))["workflow_run"]["workflows"] == ["CI"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--org", "--seed"], "--org and --seed"),
        (["--org", "--mode", "org"], "--mode: only for a repository's own workflow, not --org"),
        (["--seed", "--ci-workflow", "Tests"], "--ci-workflow: only for"),
        (["--org", "--default-branch", "trunk"], "--default-branch: only for"),
        (["--org", "--schedule-hours", "6"], "--schedule-hours: only for"),
    ],
)
def test_flags_of_another_kind_of_setup_are_refused_not_dropped(
    tmp_path: Path, argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", *PINNED, str(tmp_path), *argv]) == 2
    assert words in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
