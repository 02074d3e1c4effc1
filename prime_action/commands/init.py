"""`prime init [PATH]`: write the Prime workflow and a commented config into a repository."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from prime_action.domain.errors import UsageError
from prime_action.growth.seed import SEED_PATH, render_seed
from prime_action.signals.workflows import Workflow, parse_workflow, workflow_paths
from prime_action.workflows import (
    CONFIG_PATH,
    DEFAULT_ACTION_REF,
    DEFAULT_BRANCH,
    DEFAULT_CI_WORKFLOWS,
    DISPATCH_WORKFLOW_PATH,
    ORG_CONFIG_PATH,
    ORG_MODE_HOURS,
    ORG_WORKFLOW_PATH,
    RUNNER_WORKFLOW_PATH,
    SCHEDULE_HOURS,
    STANDALONE_HOURS,
    WORKFLOW_PATH,
    render_dispatch_workflow,
    render_org_config,
    render_org_workflow,
    render_repo_config,
    render_repo_workflow,
    render_runner_workflow,
)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "path", nargs="?", default=".", help="the repository's checkout (default: .)"
    )
    parser.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        help="the repository's full name, which sets the cron minute (default: the folder name)",
    )
    parser.add_argument(
        "--action-ref",
        metavar="OWNER/NAME@REF",
        default=DEFAULT_ACTION_REF,
        help=f"the Prime action the workflow uses (default: {DEFAULT_ACTION_REF})",
    )
    parser.add_argument(
        "--ci-workflow",
        metavar="NAME",
        action="append",
        dest="ci_workflows",
        help="a CI workflow whose runs on the default branch wake Prime; repeatable "
        f"(default: {', '.join(DEFAULT_CI_WORKFLOWS)})",
    )
    parser.add_argument(
        "--default-branch",
        metavar="BRANCH",
        help="the branch Prime watches (default: origin's HEAD in the checkout, else "
        f"{DEFAULT_BRANCH})",
    )
    parser.add_argument(
        "--org",
        action="store_true",
        help="set up the org repository instead: Org Prime's workflow and config, the "
        "dispatcher and the org runner",
    )
    parser.add_argument(
        "--seed",
        action="store_true",
        help="write a commented seed.yaml instead: the genome of growth mode (prime schema seed)",
    )
    parser.add_argument(
        "--mode",
        choices=("standalone", "org"),
        default="standalone",
        help="standalone (default): this repository dispatches its own jobs to its runner "
        "workflow (prime-run.yml); org: the org repository's dispatcher runs them",
    )
    parser.add_argument(
        "--schedule-hours",
        type=int,
        metavar="N",
        help="hours between the workflow's scheduled ticks, one of "
        f"{', '.join(map(str, SCHEDULE_HOURS))} (default: {STANDALONE_HOURS}; with --mode org "
        f"{ORG_MODE_HOURS}, since Org Prime wakes the repository); each tick bills a minute on "
        "a private repository",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")


def run(args: argparse.Namespace) -> int:
    """Write both files, or neither when one exists and `--force` is not given."""
    root = Path(args.path)
    if not root.is_dir():
        msg = f"{root} is not a directory; pass the repository's checkout"
        raise UsageError(msg)
    _refuse_conflicts(args)
    files = (
        _org_files(root, args)
        if args.org
        else _seed_files(root, args)
        if args.seed
        else {
            root / WORKFLOW_PATH: render_repo_workflow(
                repo=args.repo or root.resolve().name,
                action_ref=args.action_ref,
                ci_workflows=args.ci_workflows or detect_ci_workflows(root),
                default_branch=args.default_branch or detect_default_branch(root),
                org_mode=args.mode == "org",
                schedule_hours=args.schedule_hours,
            ),
            root / CONFIG_PATH: render_repo_config(action_ref=args.action_ref)
            + ORG_MODE * (args.mode == "org"),
        }
        | _runner_files(root, args)
    )
    if not args.force:
        for path in files:
            if path.exists():
                msg = f"{path} already exists; pass --force to overwrite it"
                raise UsageError(msg)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {path}\n")
    sys.stdout.write("Commit these files; Prime wakes on its next scheduled minute.\n")
    return 0


def _org_files(root: Path, args: argparse.Namespace) -> dict[Path, str]:
    repo = args.repo or root.resolve().name
    return {
        root / ORG_WORKFLOW_PATH: render_org_workflow(repo=repo, action_ref=args.action_ref),
        root / ORG_CONFIG_PATH: render_org_config(repo=repo, action_ref=args.action_ref),
        root / DISPATCH_WORKFLOW_PATH: render_dispatch_workflow(
            repo=repo, action_ref=args.action_ref
        ),
        root / RUNNER_WORKFLOW_PATH: render_runner_workflow(
            standalone=False, action_ref=args.action_ref
        ),
    }


# An org-mode repository says so in its config: its wake leaves jobs to the org dispatcher.
ORG_MODE = "\njobs:\n  mode: org  # the org repository's dispatcher runs this repository's jobs\n"


def _runner_files(root: Path, args: argparse.Namespace) -> dict[Path, str]:
    if args.mode != "standalone":
        return {}
    text = render_runner_workflow(standalone=True, action_ref=args.action_ref)
    return {root / RUNNER_WORKFLOW_PATH: text}


def _seed_files(root: Path, args: argparse.Namespace) -> dict[Path, str]:
    name = args.repo or root.resolve().name
    return {root / SEED_PATH: render_seed(name, args.action_ref)}


def detect_default_branch(root: Path) -> str:
    """The branch `origin/HEAD` points at in a git checkout, else the usual default.

    Args:
        root: the checkout's top folder.

    Returns:
        A branch name such as `main`.
    """
    head = root / ".git" / "refs" / "remotes" / "origin" / "HEAD"
    try:
        text = head.read_text(encoding="utf-8").strip()
    except OSError:
        return DEFAULT_BRANCH
    prefix = "ref: refs/remotes/origin/"
    return text.removeprefix(prefix) if text.startswith(prefix) else DEFAULT_BRANCH


def _refuse_conflicts(args: argparse.Namespace) -> None:
    """Flags that belong to another kind of setup are an error, never silently dropped."""
    kind = "--org" if args.org else "--seed" if args.seed else None
    if args.org and args.seed:
        msg = "--org and --seed write different files: run prime init once for each"
        raise UsageError(msg)
    repo_only = [
        flag
        for flag, given in (
            ("--mode", args.mode != "standalone"),
            ("--ci-workflow", bool(args.ci_workflows)),
            ("--default-branch", bool(args.default_branch)),
            ("--schedule-hours", args.schedule_hours is not None),
        )
        if given
    ]
    if kind and repo_only:
        msg = f"{', '.join(repo_only)}: only for a repository's own workflow, not {kind}; drop it"
        raise UsageError(msg)


def detect_ci_workflows(root: Path) -> tuple[str, ...]:
    """The names of the checkout's workflows that run on pushes or pull requests (its CI).

    Prime's own workflows are left out; a workflow without `name:` is named by its path, as
    GitHub does. None found (or no checkout): DEFAULT_CI_WORKFLOWS.
    """
    names = []
    for path in workflow_paths(_listing(root)):
        if Path(path).name.startswith("prime"):
            continue
        parsed = parse_workflow(path, (root / path).read_text(encoding="utf-8", errors="replace"))
        if isinstance(parsed, Workflow) and _on_code(parsed.top.get("on")):
            names.append(str(parsed.top.get("name") or path))
    return tuple(names) or DEFAULT_CI_WORKFLOWS


def _listing(root: Path) -> tuple[str, ...]:
    folder = root / ".github" / "workflows"
    if not folder.is_dir():
        return ()
    return tuple(f".github/workflows/{p.name}" for p in sorted(folder.iterdir()) if p.is_file())


def _on_code(triggers: object) -> bool:
    """Whether `on:` includes push or pull_request (a string, a list or a mapping)."""
    names = [triggers] if isinstance(triggers, str) else triggers
    if not isinstance(names, list | dict):
        return False
    return bool({"push", "pull_request"} & {n for n in names if isinstance(n, str)})
