"""The dependabot signal: a config exists, is not empty and covers the workflows."""

from __future__ import annotations

import pytest

from prime_action.signals.dependabot import Dependabot, configured_ecosystems
from tests.signals.snapshots import remote, snap

CONFIG = ".github/dependabot.yml"


def dependabot(*ecosystems: str) -> str:
    """A dependabot.yml with one weekly entry per ecosystem."""
    entries = "".join(
        f"  - package-ecosystem: {eco}\n    directory: /\n    schedule:\n      interval: weekly\n"
        for eco in ecosystems
    )
    return f"version: 2\nupdates:\n{entries or '  []'}\n"


@pytest.mark.parametrize(
    ("paths", "config", "status"),
    [
        pytest.param(["package.json"], None, "failing", id="npm_without_config_fails"),
        pytest.param(["README.md"], None, "skipped", id="nothing_to_update_is_skipped"),
        pytest.param(["package.json"], dependabot("npm"), "ok", id="covered_ecosystem_passes"),
        pytest.param(
            ["package.json", "api/go.mod", ".github/workflows/ci.yml"],
            dependabot("npm"),
            "failing",
            id="uncovered_workflows_fail",
        ),
        pytest.param(
            ["package.json", "api/go.mod"],
            dependabot("npm"),
            "ok",
            id="a_chosen_set_of_ecosystems_passes",
        ),
        pytest.param(["go.mod"], dependabot(), "failing", id="empty_updates_fails"),
        pytest.param(
            ["go.mod", "testdata/pom.xml", "examples/app/package.json"],
            dependabot("gomod"),
            "ok",
            id="fixtures_and_examples_are_not_ecosystems",
        ),
        pytest.param(
            ["pyproject.toml", "uv.lock"], dependabot("uv"), "ok", id="uv_entry_covers_pyproject"
        ),
        pytest.param(
            ["pyproject.toml", "uv.lock", ".github/workflows/ci.yml"],
            dependabot("pip", "github-actions"),
            "ok",
            id="pip_entry_is_the_maintainers_choice",
        ),
        pytest.param(
            [".github/workflows/ci.yml"], None, "failing", id="workflows_need_actions_updates"
        ),
        pytest.param(["README.md"], dependabot(), "ok", id="empty_config_with_nothing_to_do"),
        pytest.param(["go.mod"], "updates: [\n", "failing", id="invalid_yaml_fails"),
        pytest.param(["go.mod"], "version: 2\n", "failing", id="config_without_updates_fails"),
    ],
)
def test_dependabot_passes_only_when_every_ecosystem_is_covered(
    paths: list[str], config: str | None, status: str
) -> None:
    files = {CONFIG: config} if config is not None else {}
    assert Dependabot().detect(snap(*paths, files=files)).status == status


def test_dependabot_fix_lists_every_ecosystem_with_its_directories() -> None:
    signal = Dependabot().detect(snap("package.json", "web/package.json", "requirements.txt"))
    assert signal.fix is not None
    assert signal.fix.runner == "fileops"
    assert "npm (/ /web), pip (/)" in signal.fix.approach


def test_dependabot_names_the_uncovered_ecosystems() -> None:
    files = {CONFIG: dependabot()}
    signal = Dependabot().detect(snap("package.json", "go.mod", "Cargo.toml", files=files))
    assert signal.detail == f"{CONFIG} does not cover: cargo, gomod, npm"
    assert signal.fix is not None
    assert "cargo (/), gomod (/), npm (/)" in signal.fix.approach


def test_dependabot_asks_a_partial_config_only_for_github_actions() -> None:
    files = {CONFIG: dependabot("npm")}
    paths = ("package.json", "go.mod", ".github/workflows/ci.yml")
    signal = Dependabot().detect(snap(*paths, files=files))
    assert signal.detail == f"{CONFIG} does not cover: github-actions"


def test_dependabot_names_an_invalid_config() -> None:
    signal = Dependabot().detect(snap("go.mod", files={CONFIG: "updates: [\n"}))
    assert signal.detail.startswith(f"{CONFIG} is not a valid Dependabot config")


def test_renovate_counts_as_an_update_tool() -> None:
    signal = Dependabot().detect(remote("package.json", "renovate.json"))
    assert (signal.status, signal.detail) == ("ok", "Renovate configures updates (renovate.json)")


def test_dependabot_wants_its_config_as_the_listing_spells_it() -> None:
    assert tuple(Dependabot().wants(["README.md", ".github/Dependabot.yaml"])) == (
        ".github/Dependabot.yaml",
    )
    assert tuple(Dependabot().wants(["README.md"])) == ()


def test_configured_ecosystems_reads_the_package_ecosystem_of_each_entry() -> None:
    assert configured_ecosystems(dependabot("npm", "pip")) == ("npm", "pip")
    assert configured_ecosystems("- a list\n") is None
