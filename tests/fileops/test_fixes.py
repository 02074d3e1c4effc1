"""Fileops fixes: which files each signal's fix renders, and that existing ones are left alone."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml

from prime_action.domain.errors import UsageError
from prime_action.fileops.fixes import (
    CONTENT_FILES,
    FIXABLE,
    LICENSES,
    content_files,
    fix_marker,
    plan_fix,
    render_fix,
)

OWNER = "@acme/core"
YEAR = 2026


def fix(signal: str, *paths: str, license_id: str = "MIT", **extra: Any) -> dict[str, str]:
    extra = {"code_owner": OWNER, **extra}
    return render_fix(signal, paths, owner=OWNER, license_id=license_id, year=YEAR, **extra)


def five(path: str) -> list[str]:
    """Five source files like `path`: enough of a language for it to matter to lint-config."""
    stem, ext = path.rsplit(".", 1)
    return [f"{stem}{i}.{ext}" for i in range(5)]


def dependabot(*paths: str) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(fix("dependabot", *paths)[".github/dependabot.yml"])
    return config


def entries(config: dict[str, Any]) -> list[tuple[str, str]]:
    return [(u["package-ecosystem"], u["directory"]) for u in config["updates"]]


def test_fixable_signals_are_the_six_fileops_fixes() -> None:
    six = {"dependabot", "security-policy", "codeowners", "editorconfig", "license", "lint-config"}
    assert six == FIXABLE


# ---- dependabot ---------------------------------------------------------------------------

ECOSYSTEM_TABLE = [
    (("package.json",), [("npm", "/")]),
    (("package.json", "package-lock.json"), [("npm", "/")]),
    (
        ("pyproject.toml", ".github/workflows/ci.yml"),
        [("github-actions", "/"), ("pip", "/")],
    ),
    (("pyproject.toml", "uv.lock"), [("uv", "/")]),
    (("uv.lock", "pyproject.toml", "tools/requirements.txt"), [("pip", "/tools"), ("uv", "/")]),
    (("go.mod", "web/package.json"), [("gomod", "/"), ("npm", "/web")]),
    (("Cargo.toml", "crates/a/Cargo.toml"), [("cargo", "/"), ("cargo", "/crates/a")]),
    (("Gemfile", "node_modules/left-pad/package.json"), [("bundler", "/")]),
    (("Dockerfile", "deploy/main.tf"), [("docker", "/"), ("terraform", "/deploy")]),
]


@pytest.mark.parametrize(("paths", "expected"), ECOSYSTEM_TABLE)
def test_dependabot_has_one_entry_per_ecosystem_and_directory(
    paths: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    assert entries(dependabot(*paths)) == expected


@pytest.mark.parametrize(("paths", "expected"), ECOSYSTEM_TABLE)
def test_dependabot_is_version_2_with_weekly_grouped_minor_and_patch_updates(
    paths: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    config = dependabot(*paths)
    assert config["version"] == 2
    for update in config["updates"]:
        assert update["schedule"] == {"interval": "weekly"}
        (group,) = update["groups"].values()
        assert group["update-types"] == ["minor", "patch"]


@pytest.mark.parametrize(("paths", "expected"), ECOSYSTEM_TABLE)
def test_dependabot_validates_against_the_schemastore_schema(
    paths: tuple[str, ...], expected: list[tuple[str, str]]
) -> None:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(vendored.joinpath("dependabot.json").read_text(encoding="utf-8"))
    jsonschema.validate(dependabot(*paths), schema)


def test_dependabot_group_names_differ_between_entries() -> None:
    config = dependabot("package.json", "web/package.json", "app/web/package.json")
    names = [name for update in config["updates"] for name in update["groups"]]
    assert names == ["npm-minor-patch", "npm-app-web-minor-patch", "npm-web-minor-patch"]


def test_dependabot_has_nothing_to_write_without_manifests_or_workflows() -> None:
    assert fix("dependabot", "README.md", "src/notes.txt") == {}


@pytest.mark.parametrize(
    "existing",
    [
        ".github/dependabot.yml",
        ".github/dependabot.yaml",
        ".github/Dependabot.YML",
        "renovate.json",
    ],
)
def test_dependabot_is_not_written_when_an_updater_is_configured(existing: str) -> None:
    covering = "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n"
    plan = plan_fix(
        "dependabot",
        ["package.json", existing],
        owner=OWNER,
        license_id="MIT",
        year=1,
        files={existing: covering},
    )
    assert plan.changes() == {}
    assert plan.present == (existing,)


# ---- lint-config --------------------------------------------------------------------------

LINT_TABLE = [
    ("src/app.py", "ruff.toml"),
    ("src/app.js", "eslint.config.mjs"),
    ("src/app.ts", "eslint.config.mjs"),
    ("main.go", ".golangci.yml"),
    ("src/main.rs", "rustfmt.toml"),
    ("lib/app.rb", ".rubocop.yml"),
    ("scripts/build.sh", ".shellcheckrc"),
]


@pytest.mark.parametrize(("source", "lint_file"), LINT_TABLE)
def test_each_language_gets_its_lint_config(source: str, lint_file: str) -> None:
    assert list(fix("lint-config", *five(source))) == [lint_file]


@pytest.mark.parametrize(("source", "lint_file"), LINT_TABLE)
def test_a_lint_config_anywhere_in_the_tree_counts(source: str, lint_file: str) -> None:
    assert fix("lint-config", *five(source), f"packages/one/{lint_file}") == {}


def test_a_lint_config_in_vendored_code_does_not_count() -> None:
    assert list(fix("lint-config", *five("app.js"), "node_modules/x/.eslintrc.json")) == [
        "eslint.config.mjs"
    ]


def test_a_language_with_a_tiny_share_gets_no_lint_config() -> None:
    assert list(fix("lint-config", *five("a.py"), *five("b.py"), "tool.sh")) == ["ruff.toml"]


def test_a_linter_run_in_ci_needs_no_lint_config() -> None:
    ci = ".github/workflows/ci.yml"
    files = {ci: "jobs:\n  l:\n    steps:\n      - run: uvx ruff check\n"}
    plan = plan_fix(
        "lint-config", [*five("a.py"), ci], owner=OWNER, license_id="MIT", year=1, files=files
    )
    assert (plan.changes(), plan.present) == ({}, (ci,))


def test_every_detected_language_gets_one_lint_config() -> None:
    sources = (*five("a.py"), "z.py", *five("c.sh"), *five("d.js"), *five("e.ts"), "README.md")
    files = fix("lint-config", *sources)
    assert list(files) == ["ruff.toml", "eslint.config.mjs", ".shellcheckrc"]


@pytest.mark.parametrize(
    ("sources", "typescript"),
    [((*five("a.ts"), *five("b.js")), True), (tuple(five("b.js")), False)],
)
def test_eslint_config_adds_typescript_rules_only_for_typescript(
    sources: tuple[str, ...], typescript: bool
) -> None:
    assert ("typescript-eslint" in fix("lint-config", *sources)["eslint.config.mjs"]) is typescript


@pytest.mark.parametrize(
    ("files", "present"),
    [
        ({"pyproject.toml": "[tool.ruff]\nline-length = 88\n"}, "pyproject.toml"),
        ({"setup.cfg": "[flake8]\nmax-line-length = 88\n"}, "setup.cfg"),
    ],
)
def test_a_linter_section_in_a_root_file_counts_as_a_config(
    files: dict[str, str], present: str
) -> None:
    plan = plan_fix(
        "lint-config", [*five("a.py"), *files], owner=OWNER, license_id="MIT", year=1, files=files
    )
    assert plan.create == {}
    assert plan.present == (present,)


def test_content_files_are_the_roots_that_may_hold_a_linter_section_and_dependabot() -> None:
    assert CONTENT_FILES == (
        ".github/dependabot.yaml",
        ".github/dependabot.yml",
        "Cargo.toml",
        "package.json",
        "pyproject.toml",
        "setup.cfg",
        "tox.ini",
    )


def test_content_files_add_the_workflows_and_pre_commit_config_as_listed() -> None:
    paths = ["a.py", "pyproject.toml", ".github/workflows/ci.yml", ".pre-commit-config.yaml"]
    assert content_files(paths) == (
        ".github/workflows/ci.yml",
        ".pre-commit-config.yaml",
        "pyproject.toml",
    )


def test_no_lint_config_without_source_files() -> None:
    assert fix("lint-config", "README.md") == {}


# ---- formats and markers ------------------------------------------------------------------

TREE = (
    *(f"{name}{i}.{ext}" for name, ext in [("a", "py"), ("b", "ts"), ("c", "go"), ("d", "rs"),
      ("e", "rb"), ("f", "sh")] for i in range(5)),
    "package.json",
    ".github/workflows/ci.yml",
)  # fmt: skip


def every_rendered_file() -> list[tuple[str, str, str]]:
    return [
        (signal, path, content)
        for signal in sorted(FIXABLE)
        for path, content in fix(signal, *TREE).items()
    ]


@pytest.mark.parametrize(("signal", "path", "content"), every_rendered_file())
def test_every_rendered_file_but_the_license_carries_the_marker(
    signal: str, path: str, content: str
) -> None:
    if path == "LICENSE":
        assert "prime" not in content.lower()
    else:
        assert fix_marker(signal) in content


@pytest.mark.parametrize(("signal", "path", "content"), every_rendered_file())
def test_every_rendered_file_parses_and_ends_with_one_newline(
    signal: str, path: str, content: str
) -> None:
    assert content.endswith("\n")
    assert not content.endswith("\n\n")
    if path.endswith((".yml", ".yaml")):
        assert isinstance(yaml.safe_load(content), dict)
    elif path.endswith(".toml"):
        tomllib.loads(content)
    elif path.endswith(".md"):
        assert content.startswith(f"<!-- Generated by Prime ({fix_marker(signal)})")


def test_marker_names_the_signal() -> None:
    assert fix_marker("codeowners") == "prime:fix=codeowners"


# ---- community files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signal", "target"),
    [
        ("security-policy", "SECURITY.md"),
        ("codeowners", ".github/CODEOWNERS"),
        ("editorconfig", ".editorconfig"),
        ("license", "LICENSE"),
    ],
)
def test_community_files_go_where_github_looks(signal: str, target: str) -> None:
    assert list(fix(signal)) == [target]


def test_codeowners_makes_the_owner_own_everything() -> None:
    assert "\n* @acme/core\n" in fix("codeowners")[".github/CODEOWNERS"]


def test_security_policy_names_the_owner() -> None:
    assert "@acme/core" in fix("security-policy")["SECURITY.md"]


def test_editorconfig_is_the_root_config() -> None:
    assert "\nroot = true\n" in fix("editorconfig")[".editorconfig"]


EXISTING_TABLE = [
    ("license", "LICENSE.md"),
    ("license", "license.txt"),
    ("license", "LICENCE"),
    ("license", "COPYING"),
    ("license", "LICENSE-MIT"),
    ("license", "LICENSES/MIT.txt"),
    ("security-policy", "SECURITY.md"),
    ("security-policy", "docs/SECURITY.md"),
    ("security-policy", ".github/security.rst"),
    ("codeowners", "CODEOWNERS"),
    ("codeowners", ".github/CODEOWNERS"),
    ("codeowners", "docs/CODEOWNERS"),
    ("editorconfig", ".EditorConfig"),
    ("dependabot", ".github/dependabot.yaml"),
    ("lint-config", "pyproject/ruff.toml"),
]


@pytest.mark.parametrize(("signal", "existing"), EXISTING_TABLE)
def test_an_existing_file_doing_the_job_is_never_returned(signal: str, existing: str) -> None:
    # An existing dependabot.yml is judged by what it covers: this one covers everything.
    files = {existing: fix("dependabot", *TREE)[".github/dependabot.yml"]}
    kwargs: dict[str, Any] = {"owner": OWNER, "license_id": "MIT", "year": YEAR}
    plan = plan_fix(signal, [*TREE, existing], files=files, code_owner=OWNER, **kwargs)
    assert existing not in plan.changes()
    assert existing in plan.present
    assert fix(signal, *TREE, existing, files=files) == plan.changes()


@pytest.mark.parametrize("signal", sorted(FIXABLE))
def test_a_rendered_fix_is_never_rendered_twice(signal: str) -> None:
    first = fix(signal, *TREE)
    assert first
    assert fix(signal, *TREE, *first, files=first) == {}


@pytest.mark.parametrize("near_miss", ["docs/LICENSE", "license.d/notes.txt", "src/SECURITY.md"])
def test_files_in_other_places_do_not_count(near_miss: str) -> None:
    signal = "security-policy" if "SECURITY" in near_miss else "license"
    assert fix(signal, near_miss) != {}


# ---- licenses -----------------------------------------------------------------------------

LICENSE_TABLE = [
    ("MIT", "Permission is hereby granted, free of charge", "Copyright (c) 2026 acme"),
    ("Apache-2.0", "END OF TERMS AND CONDITIONS", "Copyright 2026 acme"),
    ("BSD-3-Clause", "Neither the name of the copyright holder", "Copyright (c) 2026, acme"),
    ("ISC", "Permission to use, copy, modify, and/or distribute", "Copyright (c) 2026 acme"),
]


@pytest.mark.parametrize(("spdx", "text", "copyright_line"), LICENSE_TABLE)
def test_each_license_renders_its_full_text_with_year_and_holder(
    spdx: str, text: str, copyright_line: str
) -> None:
    license_text = fix("license", license_id=spdx)["LICENSE"]
    assert text in license_text
    assert f"{copyright_line}\n" in license_text


def test_supported_licenses_are_the_table() -> None:
    assert set(LICENSES) == {spdx for spdx, _, _ in LICENSE_TABLE}


def test_apache_license_is_the_complete_text() -> None:
    text = fix("license", license_id="Apache-2.0")["LICENSE"]
    assert text.count("\n") == 202
    assert "9. Accepting Warranty or Additional Liability." in text


def test_spdx_ids_match_case_insensitively() -> None:
    assert fix("license", license_id="apache-2.0") == fix("license", license_id="Apache-2.0")


@pytest.mark.parametrize(
    ("owner", "holder"),
    [("@acme", "acme"), ("@acme/core", "acme"), ("security@acme.example", "security@acme.example")],
)
def test_the_copyright_holder_is_the_owners_account(owner: str, holder: str) -> None:
    text = render_fix("license", [], owner=owner, license_id="MIT", year=YEAR)["LICENSE"]
    assert f"Copyright (c) 2026 {holder}\n" in text


# ---- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("signal", ["ci", "readme", "Dependabot", ""])
def test_a_signal_without_a_fileops_fix_is_a_usage_error_listing_the_fixable(signal: str) -> None:
    with pytest.raises(UsageError, match="has no fileops fix") as caught:
        fix(signal, *TREE)
    assert all(name in str(caught.value) for name in FIXABLE)


@pytest.mark.parametrize("spdx", ["GPL-3.0-only", "MIT-0", "", "Apache"])
def test_an_unknown_spdx_id_is_a_usage_error_listing_the_supported(spdx: str) -> None:
    with pytest.raises(UsageError, match="no license template") as caught:
        fix("license", license_id=spdx)
    assert all(name in str(caught.value) for name in LICENSES)


def test_the_license_id_matters_only_to_the_license_fix() -> None:
    assert fix("codeowners", license_id="GPL-3.0-only")


@pytest.mark.parametrize("owner", ["acme", "@", "@acme\n* @evil", "@-acme", "@acme/core team"])
def test_an_owner_that_is_no_handle_or_email_is_a_usage_error(owner: str) -> None:
    with pytest.raises(UsageError, match="is not a GitHub @user"):
        render_fix("codeowners", [], owner=owner, license_id="MIT", year=YEAR)


def test_security_policy_says_private_reporting_must_be_enabled_and_enables_nothing() -> None:
    text = fix("security-policy")["SECURITY.md"]
    assert "Private vulnerability reporting" in text
    assert "Prime\ndoes not turn on" in text
