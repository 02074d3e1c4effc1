"""File-presence detectors: which files count, and what a missing one reports."""

from __future__ import annotations

import pytest

from prime_action.signals import files
from prime_action.signals.files import PRESENCE, FilePresence, find
from tests.signals.snapshots import remote, snap

PRESENT = [
    pytest.param(files.README, "README.md", id="readme_at_the_root_counts"),
    pytest.param(files.README, "docs/README.rst", id="readme_in_docs_counts"),
    pytest.param(files.README, "readme", id="readme_without_extension_counts"),
    pytest.param(files.LICENSE, "LICENSE", id="license_file_counts"),
    pytest.param(files.LICENSE, "COPYING.txt", id="copying_counts_as_a_license"),
    pytest.param(files.LICENSE, "LICENSE-APACHE", id="dual_license_files_count"),
    pytest.param(files.LICENSE, "LICENSES/MIT.txt", id="reuse_licenses_folder_counts"),
    pytest.param(files.SECURITY_POLICY, ".github/SECURITY.md", id="security_in_github_counts"),
    pytest.param(files.SECURITY_POLICY, "security.rst", id="security_in_rst_counts"),
    pytest.param(files.CODEOWNERS, ".github/CODEOWNERS", id="codeowners_in_github_counts"),
    pytest.param(files.CODEOWNERS, "docs/CODEOWNERS", id="codeowners_in_docs_counts"),
    pytest.param(files.EDITORCONFIG, ".editorconfig", id="editorconfig_counts"),
    pytest.param(files.AGENT_INSTRUCTIONS, "CLAUDE.md", id="claude_md_counts"),
    pytest.param(files.AGENT_INSTRUCTIONS, "AGENTS.md", id="agents_md_counts"),
    pytest.param(files.CONTRIBUTING, ".github/CONTRIBUTING.md", id="contributing_counts"),
    pytest.param(files.GITIGNORE, ".gitignore", id="gitignore_counts"),
    pytest.param(
        files.ISSUE_TEMPLATES, ".github/ISSUE_TEMPLATE/bug.yml", id="issue_template_forms_count"
    ),
    pytest.param(files.ISSUE_TEMPLATES, ".github/ISSUE_TEMPLATE.md", id="single_template_counts"),
]

ABSENT = [
    pytest.param(files.README, "src/README.md", id="readme_deep_in_the_tree_does_not_count"),
    pytest.param(files.LICENSE, "vendor/lib/LICENSE", id="vendored_license_does_not_count"),
    pytest.param(files.SECURITY_POLICY, "security.py", id="security_module_is_not_a_policy"),
    pytest.param(files.SECURITY_POLICY, "security/policy.md", id="security_folder_is_no_policy"),
    pytest.param(files.AGENT_INSTRUCTIONS, "docs/CLAUDE.md", id="claude_md_in_docs_is_not_read"),
    pytest.param(files.GITIGNORE, "src/.gitignore", id="nested_gitignore_is_not_the_root_one"),
    pytest.param(files.EDITORCONFIG, "editorconfig.txt", id="similar_names_do_not_count"),
]


@pytest.mark.parametrize(("detector", "path"), PRESENT)
def test_presence_signal_is_ok_when_a_known_file_exists(detector: FilePresence, path: str) -> None:
    signal = detector.detect(snap(path, "src/main.py"))
    assert (signal.status, signal.detail, signal.fix) == ("ok", f"found {path}", None)


@pytest.mark.parametrize(("detector", "path"), ABSENT)
def test_presence_signal_fails_when_only_lookalikes_exist(
    detector: FilePresence, path: str
) -> None:
    signal = detector.detect(snap(path))
    assert signal.status == "failing"
    assert signal.fixable


@pytest.mark.parametrize("detector", PRESENCE, ids=lambda d: d.name)
def test_presence_signals_fail_on_an_empty_tree_with_a_fix(detector: FilePresence) -> None:
    signal = detector.detect(snap())
    assert signal.name == detector.name
    assert signal.status == "failing"
    assert signal.detail == detector.missing
    assert signal.fix == detector.fix


@pytest.mark.parametrize("detector", PRESENCE, ids=lambda d: d.name)
def test_presence_signals_want_no_file_contents(detector: FilePresence) -> None:
    assert tuple(detector.wants(["README.md", "LICENSE"])) == ()


def test_presence_is_the_same_on_a_remote_listing_and_a_local_tree() -> None:
    local = files.LICENSE.detect(snap("LICENSE"))
    seen_remotely = files.LICENSE.detect(remote("LICENSE"))
    assert local == seen_remotely


def test_fingerprint_changes_when_the_file_that_satisfies_the_signal_changes() -> None:
    first = files.README.detect(snap("README.md"))
    second = files.README.detect(snap("docs/README.md"))
    assert first.fingerprint != second.fingerprint
    assert first.fingerprint == files.README.detect(snap("README.md")).fingerprint


@pytest.mark.parametrize(
    ("paths", "patterns", "expected"),
    [
        pytest.param(["readme.MD"], ["README.md"], "readme.MD", id="matching_ignores_case"),
        pytest.param(
            ["docs/README.md", "README.md"],
            ["readme.*", "docs/readme.*"],
            "README.md",
            id="earlier_patterns_win",
        ),
        pytest.param(["readme.d/notes"], ["readme.*"], None, id="star_does_not_cross_folders"),
        pytest.param(["LICENSES/a/b.txt"], ["licenses/"], "LICENSES/a/b.txt", id="folder_prefix"),
        pytest.param([], ["readme"], None, id="nothing_matches_an_empty_listing"),
    ],
)
def test_find_picks_the_first_path_for_the_first_matching_pattern(
    paths: list[str], patterns: list[str], expected: str | None
) -> None:
    assert find(paths, patterns) == expected
