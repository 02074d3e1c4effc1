"""Workflow detectors: permissions, pinned actions, and workflows that do not parse."""

from __future__ import annotations

import pytest

from prime_action.config.models import PinningSettings, PinPolicy
from prime_action.signals.workflows import (
    Broken,
    PinnedActions,
    Workflow,
    WorkflowPermissions,
    is_unpinned,
    parse_workflow,
    workflow_paths,
)
from tests.signals.snapshots import remote, snap

SHA = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab"
CI = ".github/workflows/ci.yml"


def workflow(*steps: str, permissions: str | None = "contents: read", job_extra: str = "") -> str:
    """A one-job workflow whose steps use the given actions."""
    top = f"permissions:\n  {permissions}\n" if permissions else ""
    lines = "".join(f"      - uses: {ref}\n" for ref in steps) or "      - run: make\n"
    return (
        f"name: CI\non:\n  push:\n{top}jobs:\n  build:\n    runs-on: ubuntu-latest\n"
        f"{job_extra}    steps:\n{lines}"
    )


# --- parsing ---------------------------------------------------------------------------


def test_parse_workflow_turns_the_yaml_true_key_back_into_on() -> None:
    parsed = parse_workflow(CI, workflow())
    assert isinstance(parsed, Workflow)
    assert "on" in parsed.top
    assert True not in parsed.top


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            "jobs: [\n  x: 1\n", "is not valid YAML (line", id="syntax_error_names_a_line"
        ),
        pytest.param("- just\n- a list\n", "is not a YAML mapping", id="list_is_not_a_workflow"),
        pytest.param("", "is not a YAML mapping", id="empty_file_is_not_a_workflow"),
        pytest.param("on: push\n", "has no `jobs:` mapping", id="workflow_without_jobs"),
        pytest.param(None, "was not read", id="file_the_shell_did_not_fetch"),
    ],
)
def test_parse_workflow_reports_what_is_wrong_instead_of_raising(
    text: str | None, problem: str
) -> None:
    parsed = parse_workflow(CI, text)
    assert isinstance(parsed, Broken)
    assert parsed.path == CI
    assert parsed.problem.startswith(problem)


def test_workflow_paths_are_the_yaml_files_directly_in_the_workflows_folder() -> None:
    paths = [CI, ".github/workflows/release.yaml", ".github/workflows/sub/x.yml",
             ".github/workflows/README.md", "ci.yml"]  # fmt: skip
    assert workflow_paths(paths) == (CI, ".github/workflows/release.yaml")


# --- pinned-actions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "unpinned"),
    [
        pytest.param("tj-actions/changed-files@v45", True, id="third_party_tag_is_unpinned"),
        pytest.param("docker/build-push-action@main", True, id="third_party_branch_is_unpinned"),
        pytest.param("owner/repo", True, id="missing_ref_is_unpinned"),
        pytest.param("owner/repo@8e5e7e5", True, id="short_sha_is_unpinned"),
        pytest.param(f"owner/repo@{SHA}", False, id="full_sha_is_pinned"),
        pytest.param(f"owner/repo/sub/path@{SHA}", False, id="full_sha_of_a_subaction_is_pinned"),
        pytest.param("org/shared/.github/workflows/ci.yml@v1", True, id="reusable_workflow_on_tag"),
        pytest.param("github/codeql-action/init@v3", True, id="github_org_is_third_party"),
        pytest.param("actions/checkout@v4", True, id="first_party_tags_are_unpinned_too"),
        pytest.param(
            "slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@v2.0.0",
            False,
            id="slsa_generator_stays_on_its_tag",
        ),
        pytest.param("./.github/actions/setup", False, id="local_action_is_never_unpinned"),
        pytest.param("$/.github/actions/setup", False, id="same_repo_dollar_form_is_local"),
        pytest.param(
            "$/.github/workflows/build.yml", False, id="same_repo_reusable_workflow_is_local"
        ),
        pytest.param("docker://alpine:3.20", False, id="docker_image_is_not_counted"),
    ],
)
def test_is_unpinned_classifies_uses_refs(ref: str, *, unpinned: bool) -> None:
    assert is_unpinned(ref) is unpinned


@pytest.mark.parametrize(
    ("policies", "unpinned"),
    [
        pytest.param({}, True, id="default_hash_pins_everything"),
        pytest.param({"actions/*": "ref-pin"}, False, id="owner_pattern_allows_tags"),
        pytest.param(
            {"actions/*": "ref-pin", "actions/checkout": "hash-pin"},
            True,
            id="most_specific_pattern_wins",
        ),
    ],
)
def test_the_pinning_policy_is_configurable_per_pattern(
    policies: dict[str, PinPolicy], *, unpinned: bool
) -> None:
    pinning = PinningSettings(policies=policies)
    assert is_unpinned("actions/checkout@v4", pinning) is unpinned
    assert is_unpinned("Actions/Checkout@v4", pinning) is unpinned  # owners ignore case


def test_a_ref_pin_policy_still_wants_a_ref() -> None:
    assert is_unpinned("actions/checkout", PinningSettings(default="ref-pin")) is True


def test_pinned_actions_fails_for_tag_refs() -> None:
    text = workflow("actions/checkout@v4", "tj-actions/changed-files@v45", f"a/b@{SHA}")
    signal = PinnedActions().detect(snap(files={CI: text}))
    assert signal.status == "failing"
    assert f"{CI}: tj-actions/changed-files@v45" in signal.detail
    assert f"{CI}: actions/checkout@v4" in signal.detail
    assert signal.fix is not None
    assert signal.fix.runner == "agent"


def test_pinned_actions_follows_the_configured_policy() -> None:
    text = workflow("actions/checkout@v4", f"a/b@{SHA}")
    pinning = PinningSettings(policies={"actions/*": "ref-pin"})
    assert PinnedActions(pinning=pinning).detect(snap(files={CI: text})).status == "ok"


def test_pinned_actions_honours_a_zizmor_ignore_comment() -> None:
    text = workflow("a/b@v1").replace("a/b@v1", "a/b@v1  # zizmor: ignore[unpinned-uses]")
    assert PinnedActions().detect(snap(files={CI: text})).status == "ok"


def test_prime_s_own_steps_in_its_own_workflow_are_not_judged() -> None:
    text = (
        "# Prime: an agent for this repository, written by `prime init`; edit it freely.\n"
        "on: push\njobs:\n  wake:\n    steps:\n"
        "      - uses: prime-action/prime@v1\n        with:\n          command: wake\n"
    )
    assert PinnedActions().detect(snap(files={CI: text})).status == "ok"
    stranger = text.replace("written by `prime init`", "written by hand")
    assert PinnedActions().detect(snap(files={CI: stranger})).status == "failing"


def test_pinned_actions_counts_reusable_workflow_jobs() -> None:
    text = "on: push\njobs:\n  call:\n    uses: org/shared/.github/workflows/ci.yml@main\n"
    signal = PinnedActions().detect(snap(files={CI: text}))
    assert signal.status == "failing"
    assert "org/shared/.github/workflows/ci.yml@main" in signal.detail


def test_pinned_actions_is_ok_with_local_docker_and_sha_refs() -> None:
    text = workflow("./.github/actions/setup", "docker://alpine:3.20", f"a/b@{SHA}")
    signal = PinnedActions().detect(snap(files={CI: text}))
    assert (signal.status, signal.detail) == ("ok", "all 1 workflows pass")


def test_pinned_actions_fingerprint_hashes_the_list_of_unpinned_actions() -> None:
    one = PinnedActions().detect(snap(files={CI: workflow("a/b@v1")}))
    same = PinnedActions().detect(snap(files={CI: workflow("a/b@v1", f"actions/cache@{SHA}")}))
    more = PinnedActions().detect(snap(files={CI: workflow("a/b@v1", "c/d@v2")}))
    assert one.fingerprint == same.fingerprint
    assert one.fingerprint != more.fingerprint


def test_pinned_actions_detail_shortens_a_long_list() -> None:
    text = workflow(*(f"owner/action{i}@v1" for i in range(8)))
    signal = PinnedActions().detect(snap(files={CI: text}))
    assert signal.detail.endswith("; and 3 more")


def test_pinned_actions_is_unknown_naming_a_malformed_workflow() -> None:
    signal = PinnedActions().detect(snap(files={CI: "jobs: [\n"}))
    assert signal.status == "unknown"
    assert CI in signal.detail
    assert signal.fix is None


def test_a_finding_in_one_workflow_fails_even_when_another_is_malformed() -> None:
    broken = ".github/workflows/broken.yml"
    signal = PinnedActions().detect(snap(files={CI: workflow("a/b@v1"), broken: ":\n- ["}))
    assert signal.status == "failing"
    assert f"not checked: {broken}" in signal.detail


def test_workflow_signals_are_skipped_without_workflows() -> None:
    for detector in (PinnedActions(), WorkflowPermissions()):
        signal = detector.detect(snap("README.md"))
        assert (signal.status, signal.detail) == ("skipped", "no workflows in .github/workflows/")


def test_a_workflow_listed_but_not_fetched_makes_the_signal_unknown() -> None:
    signal = PinnedActions().detect(remote(CI))
    assert signal.status == "unknown"
    assert f"{CI} was not read" in signal.detail


def test_workflow_signals_want_exactly_the_workflow_files() -> None:
    paths = [CI, "README.md", ".github/dependabot.yml"]
    assert tuple(PinnedActions().wants(paths)) == (CI,)
    assert tuple(WorkflowPermissions().wants(paths)) == (CI,)


# --- workflow-permissions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        pytest.param(workflow(), "ok", id="top_level_permissions_pass"),
        pytest.param(workflow(permissions="{}"), "ok", id="empty_permissions_pass"),
        pytest.param(
            workflow(permissions=None, job_extra="    permissions:\n      contents: read\n"),
            "ok",
            id="permissions_on_every_job_pass",
        ),
        pytest.param(workflow(permissions=None), "failing", id="no_permissions_fails"),
        pytest.param(
            "on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n",
            "failing",
            id="top_level_write_all_fails",
        ),
        pytest.param(
            "on: push\npermissions: {}\njobs:\n  a:\n    permissions: write-all\n",
            "failing",
            id="job_level_write_all_fails",
        ),
        pytest.param(
            "on: push\njobs:\n  a:\n    permissions: {}\n  b:\n    runs-on: x\n",
            "failing",
            id="one_job_without_permissions_fails",
        ),
        pytest.param(
            "on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: x\n"
            "  b:\n    runs-on: x\n",
            "failing",
            id="workflow_level_write_for_many_jobs_fails",
        ),
        pytest.param(
            "on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: x\n",
            "ok",
            id="workflow_level_write_for_one_job_is_that_job_s",
        ),
        pytest.param(
            "on: push\npermissions:\n  packages: write  # zizmor: ignore[excessive-permissions]\n"
            "jobs:\n  a:\n    runs-on: x\n  b:\n    runs-on: x\n",
            "ok",
            id="zizmor_ignore_comment_is_honoured",
        ),
        pytest.param(
            "on:\n  workflow_call:\njobs:\n  a:\n    runs-on: x\n",
            "ok",
            id="reusable_workflow_takes_its_caller_s_token",
        ),
        pytest.param(
            "on: [workflow_call, push]\njobs:\n  a:\n    runs-on: x\n",
            "failing",
            id="reusable_workflow_also_run_by_push_is_judged",
        ),
    ],
)
def test_workflow_permissions_passes_only_least_privilege_tokens(text: str, status: str) -> None:
    assert WorkflowPermissions().detect(snap(files={CI: text})).status == status


def test_workflow_permissions_names_the_workflow_and_its_bare_jobs() -> None:
    text = "on: push\njobs:\n  a:\n    permissions: {}\n  b:\n    runs-on: x\n"
    signal = WorkflowPermissions().detect(snap(files={CI: text}))
    assert f"{CI}: no permissions (jobs b)" in signal.detail
    assert signal.fix is not None
    assert signal.fix.runner == "agent"


def test_workflow_permissions_is_unknown_naming_a_malformed_workflow() -> None:
    signal = WorkflowPermissions().detect(snap(files={CI: "on: push\njobs: {a: [}\n"}))
    assert signal.status == "unknown"
    assert signal.detail.startswith(f"cannot check: {CI} is not valid YAML")


def test_both_workflow_detectors_share_one_parse_of_each_file() -> None:
    texts = {f".github/workflows/w{i}.yml": workflow(f"actions/checkout@v{i}") for i in range(3)}
    snapshot = snap(files=texts)
    parse_workflow.cache_clear()
    WorkflowPermissions().detect(snapshot)
    PinnedActions().detect(snapshot)
    info = parse_workflow.cache_info()
    assert (info.misses, info.hits) == (3, 3)
