"""The read-only job's patch in the writing job: git's own diffs apply, hostile ones are refused."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from prime_action.runners.patch import (
    MAX_PATCH_BYTES,
    PatchRefused,
    apply_patch,
    parse_patch,
)

BASE = {
    "README.md": "# api\n",
    "src/app.py": "import os\n\n\ndef main():\n    print('hi')\n"
    + "".join(f"# line {n}\n" for n in range(40)),
    "no-newline.txt": "first\nlast",
    "dos.txt": "one\r\ntwo\r\n",
    "with space.md": "a\n",
}


def git(root: Path, *args: str) -> str:
    # Bytes, decoded here: text=True would turn CRLF into LF (universal newlines).
    done = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=root,
                          capture_output=True, check=True)  # fmt: skip
    return done.stdout.decode()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for path, text in BASE.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(text.encode())
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base")
    return root


def diff(root: Path) -> str:
    git(root, "add", "-A")
    return git(root, "diff", "--cached", "--binary", "--no-renames", "--no-ext-diff", "HEAD")


def write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_bytes(text.encode())


EDITS = {
    "src/app.py": BASE["src/app.py"]
    .replace("print('hi')", "print('hello')")
    .replace("# line 30\n", "# line 30\n# added\n")
    .replace("# line 39\n", ""),
    "no-newline.txt": "first\nlast\nmore",
    "dos.txt": "one\r\n2\r\n",
    "with space.md": "a\nb\n",
    "docs/new.md": "new\n",
    "empty.txt": "",
    "README.md": "# api\n\nNo final newline now",
}


@pytest.mark.parametrize("path", sorted(EDITS))
def test_a_git_diff_of_an_edit_or_a_new_file_applies_to_the_same_text(
    repo: Path, path: str
) -> None:
    write(repo, path, EDITS[path])

    files = parse_patch(diff(repo))

    assert [f.path for f in files] == [path]
    assert apply_patch(files, {path: BASE.get(path)}) == {path: EDITS[path]}


def test_all_edits_at_once_apply_together(repo: Path) -> None:
    for path, text in EDITS.items():
        write(repo, path, text)

    assert apply_patch(parse_patch(diff(repo)), BASE) == EDITS


def test_an_empty_patch_changes_nothing() -> None:
    assert parse_patch("") == ()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda r: (r / "README.md").unlink(), "README.md: the patch deletes it"),
        (lambda r: os.symlink("/etc/passwd", r / "leak"), "leak is a symbolic link"),
        (lambda r: (r / "src/app.py").chmod(0o755), "src/app.py: the patch changes its file mode"),
        (lambda r: (r / "logo.png").write_bytes(b"\x89PNG\0\0\1"), "logo.png: .* binary"),
    ],
)  # fmt: skip
def test_what_git_writes_for_a_deletion_a_symlink_a_mode_or_a_binary_is_refused(
    repo: Path, change: object, reason: str
) -> None:
    change(repo)  # type: ignore[operator]

    with pytest.raises(PatchRefused, match=reason):
        parse_patch(diff(repo))


def test_a_symlink_replacing_a_file_is_refused(repo: Path) -> None:
    (repo / "README.md").unlink()
    os.symlink("/home/runner/.credentials", repo / "README.md")

    with pytest.raises(PatchRefused, match=r"README\.md"):
        parse_patch(diff(repo))


def new_file(path: str, mode: str = "100644", body: str = "@@ -0,0 +1 @@\n+x\n") -> str:
    return (f"diff --git a/{path} b/{path}\nnew file mode {mode}\nindex 0000000..587be6b\n"
            f"--- /dev/null\n+++ b/{path}\n{body}")  # fmt: skip


HOSTILE = [
    (new_file("../outside.txt"), "not a path inside the repository"),
    (new_file("/etc/cron.d/x"), "not a path inside the repository"),
    (new_file("src/../../x"), "not a path inside the repository"),
    (new_file(".git/hooks/pre-commit"), "not a path inside the repository"),
    (new_file("vendor/lib/.git/config"), "not a plain path inside the repository"),
    (new_file("a//b"), "not a plain path inside the repository"),
    (new_file("./a"), "not a plain path inside the repository"),
    (new_file("link", mode="120000"), "link is a symbolic link"),
    (new_file("sub", mode="160000"), "sub is a submodule"),
    (new_file("x", mode="100666"), "unknown file mode"),
    ('diff --git "a/\\tx" "b/\\tx"\nnew file mode 100644\n', "not a plain path"),
    ("diff --git a/x b/y\n", "names two paths"),
    ("diff --git a/x b/x\nrename from y\nrename to x\n", "x: the patch renames a file"),
    ("diff --git a/x b/x\nsimilarity index 90%\n", "x: the patch renames or copies"),
    ("diff --git a/x b/x\nGIT binary patch\nliteral 0\n", "x: the patch changes a binary"),
    ("diff --git a/x b/x\nindex 1..2 120000\n--- a/x\n+++ b/x\n", "x is a symbolic link"),
    ("diff --git a/x b/x\nX-Evil: 1\n", "unexpected line in the patch header"),
    ("+++ b/x\n@@ -0,0 +1 @@\n+x\n", "does not start with `diff --git`"),
    (new_file("x", body="@@ -0,0 +1,2 @@\n+x\n"), "line counts do not match"),
    (new_file("x", body="@@ -0,0 +1 @@\n+x\n*y\n"), "expected a hunk header"),
    (new_file("x", body="@@ -0,0 +1,2 @@\n+x\n*y\n"), "starts with neither space"),
    (new_file("x") + new_file("x"), "changes a file twice"),
]


@pytest.mark.parametrize(("patch", "reason"), HOSTILE)
def test_a_hostile_patch_is_refused_with_its_reason(patch: str, reason: str) -> None:
    with pytest.raises(PatchRefused, match=reason.replace("(", r"\(")):
        parse_patch(patch)


def test_a_workflow_file_passes_the_patch_and_meets_the_boundary_rule() -> None:
    # The patch carries it; the PR boundary refuses it (or, when allowed, proposes it).
    (workflow,) = parse_patch(new_file(".github/workflows/ci.yml"))
    assert workflow.path == ".github/workflows/ci.yml"


def test_an_oversized_patch_is_refused_before_it_is_parsed() -> None:
    body = "".join("+" + "x" * 99 + "\n" for _ in range(MAX_PATCH_BYTES // 100 + 1))
    lines = MAX_PATCH_BYTES // 100 + 1

    with pytest.raises(PatchRefused, match="the patch is larger than 1024 KiB"):
        parse_patch(new_file("big.txt", body=f"@@ -0,0 +1,{lines} @@\n{body}"))


def test_too_many_files_are_refused() -> None:
    patch = "".join(new_file(f"f{n}.txt") for n in range(101))

    with pytest.raises(PatchRefused, match="changes 101 files; at most 100"):
        parse_patch(patch)


@pytest.mark.parametrize(
    ("base", "reason"),
    [
        ({"README.md": "# api, since changed\n"}, "README.md: the patch does not apply at line 1"),
        ({}, "README.md does not exist where the pull request starts"),
    ],
)
def test_a_patch_whose_base_changed_does_not_apply(
    repo: Path, base: dict[str, str], reason: str
) -> None:
    write(repo, "README.md", "# api\nmore\n")

    with pytest.raises(PatchRefused, match=reason):
        apply_patch(parse_patch(diff(repo)), base)


def test_a_new_file_that_exists_where_the_pull_request_starts_is_refused(repo: Path) -> None:
    write(repo, "docs/new.md", "new\n")

    with pytest.raises(PatchRefused, match=r"docs/new\.md exists already"):
        apply_patch(parse_patch(diff(repo)), {"docs/new.md": "someone else's\n"})
