"""`prime fix --local PATH SIGNAL`: write the fileops fix of a signal into a checkout."""

from __future__ import annotations

import argparse
from pathlib import Path

from prime_action.adapters.local.snapshot import list_paths
from prime_action.config.loader import load_config
from prime_action.config.models import RepoConfig
from prime_action.domain.clock import SystemClock
from prime_action.domain.errors import PrimeError, UsageError
from prime_action.fileops.fixes import FIXABLE, LICENSES, FixPlan, content_files, plan_fix

# Nobody's real handle: locally Prime cannot know who owns the repository without asking git
# or the network. SECURITY.md may name this placeholder; CODEOWNERS never does (it would
# request nobody's review), so the codeowners fix needs --owner.
DEFAULT_OWNER = "@maintainers"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("--local", metavar="PATH", type=Path, required=True, help="the checkout")
    parser.add_argument("signal", help=f"one of: {', '.join(sorted(FIXABLE))}")
    parser.add_argument(
        "--license",
        dest="license_id",
        metavar="SPDX",
        help=f"license to add ({', '.join(LICENSES)}); default: `license:` in .github/prime.yml",
    )
    parser.add_argument(
        "--owner",
        help="@user, @org/team or email for CODEOWNERS (required by that fix) and SECURITY.md "
        f"(default {DEFAULT_OWNER})",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the files, write nothing")


def run(args: argparse.Namespace) -> int:
    """Render the fix for the checkout and write the files it lacks; exit 2 on a bad argument."""
    root: Path = args.local
    if not root.is_dir():
        msg = f"--local {root}: not a directory; pass the root of a checkout"
        raise UsageError(msg)
    config = load_config(root / ".github" / "prime.yml", RepoConfig)
    paths = list_files(root)
    plan = plan_fix(
        args.signal,
        paths,
        owner=args.owner or DEFAULT_OWNER,
        code_owner=args.owner,
        custom_fixes={c.name: c.fix for c in config.custom_signals if c.fix},
        license_id=args.license_id or config.license,
        year=SystemClock().now().year,
        files=_contents(root, paths),
    )
    _apply(root, plan, dry_run=args.dry_run)
    return 0


def list_files(root: Path) -> list[str]:
    """Every file under root git would track (the scan's listing), as sorted posix paths.

    Args:
        root: the checkout to list.

    Returns:
        Relative posix paths, e.g. ".github/workflows/ci.yml".
    """
    return list(list_paths(root))


def _contents(root: Path, paths: list[str]) -> dict[str, str]:
    # Only the few files a fix reads (linter sections and runs, dependabot.yml); an unreadable
    # one is treated as empty, which at worst offers a file the user can decline.
    contents: dict[str, str] = {}
    for name in content_files(paths):
        try:
            contents[name] = (root / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    return contents


def _apply(root: Path, plan: FixPlan, *, dry_run: bool) -> None:
    for path in plan.present:
        print(f"{path}: exists, left alone")
    for path, content in plan.changes().items():
        if dry_run:
            print(f"--- {path} (would write) ---")
            print(content, end="" if content.endswith("\n") else "\n")
        elif path in plan.update:
            _rewrite(root / path, content)
            print(f"{path}: updated")
        else:
            print(f"{path}: {'wrote' if _create(root / path, content) else 'exists, left alone'}")
    if not plan.changes() and not plan.present:
        print("nothing to write: no file of this fix applies to the repository")


def _rewrite(target: Path, content: str) -> None:
    # A merge into a file the fix read (dependabot.yml): its text was the input.
    try:
        target.write_text(content, encoding="utf-8", newline="")
    except OSError as e:
        msg = f"{target}: cannot be written ({e}); check the file's permissions"
        raise PrimeError(msg) from e


def _create(target: Path, content: str) -> bool:
    # Mode "x" creates or fails atomically: a file that appeared after the listing (or that
    # the listing skipped) is never overwritten. newline="" writes the template's "\n" as is.
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="") as handle:
            handle.write(content)
    except FileExistsError:
        return False
    except OSError as e:
        msg = f"{target}: cannot be written ({e}); check the directory's permissions"
        raise PrimeError(msg) from e
    return True
