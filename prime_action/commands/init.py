"""`prime init [PATH]`: write the Prime workflow and a commented config into a repository."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from prime_action.commands.fix import list_files
from prime_action.domain.errors import UsageError
from prime_action.domain.release import ACTION_REPOSITORY, is_commit_sha
from prime_action.fileops.fixes import plan_fix
from prime_action.growth.seed import SEED_PATH, render_seed
from prime_action.signals.workflows import Workflow, parse_workflow, workflow_paths
from prime_action.workflows import (
    CONFIG_PATH,
    DEFAULT_BRANCH,
    DEFAULT_CI_WORKFLOWS,
    DISPATCH_WORKFLOW_PATH,
    ONBOARD_WORKFLOW_PATH,
    ORG_CONFIG_PATH,
    ORG_MODE_HOURS,
    ORG_WORKFLOW_PATH,
    RUNNER_WORKFLOW_PATH,
    SCHEDULE_HOURS,
    STANDALONE_HOURS,
    WORKFLOW_PATH,
    check_login,
    render_caller,
    render_dispatch_workflow,
    render_onboard_workflow,
    render_org_config,
    render_org_workflow,
    render_repo_config,
    render_repo_workflow,
    render_runner_workflow,
    shipped_release,
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
        "--ref",
        metavar="SHA",
        help=f"the commit of {ACTION_REPOSITORY} the workflows use, a full 40-hex SHA "
        "(default: the release this Prime was installed from)",
    )
    parser.add_argument(
        "--action-ref",
        metavar="OWNER/NAME@REF",
        help="another copy of the Prime action (a fork or a mirror) instead of "
        f"{ACTION_REPOSITORY}",
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
        "--reusable",
        action="store_true",
        help="write short callers of Prime's reusable workflows (on: workflow_call) instead "
        "of the full workflows",
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
    parser.add_argument(
        "--mention",
        metavar="LOGIN",
        help="a login (without @, e.g. your GitHub App's bot) whose mention in a comment on the "
        "dashboard or a tracking issue is a message to Prime: sets conversation.mention and "
        "lets such comments start the workflow",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files that exist")


def run(args: argparse.Namespace) -> int:
    """Write both files, or neither when one exists and `--force` is not given."""
    root = Path(args.path)
    if not root.is_dir():
        msg = f"{root} is not a directory; pass the repository's checkout"
        raise UsageError(msg)
    _refuse_conflicts(args)
    args.action_ref = _action_ref(args)
    files = (
        _org_files(root, args)
        if args.org
        else _seed_files(root, args)
        if args.seed
        else {
            root / WORKFLOW_PATH: _repo_workflow(root, args),
            root / CONFIG_PATH: render_repo_config(action_ref=args.action_ref, mention=args.mention)
            + ORG_MODE * (args.mode == "org"),
        }
        | _runner_files(root, args)
    )
    if args.reusable:
        files = {path: _as_caller(path, text, args) for path, text in files.items()}
    if not (args.org or args.seed):
        files |= _dependabot_files(root, files)
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


def _repo_workflow(root: Path, args: argparse.Namespace) -> str:
    return render_repo_workflow(
        repo=args.repo or root.resolve().name,
        action_ref=args.action_ref,
        ci_workflows=args.ci_workflows or detect_ci_workflows(root),
        default_branch=args.default_branch or detect_default_branch(root),
        org_mode=args.mode == "org",
        schedule_hours=args.schedule_hours,
        mention=args.mention,
    )


def _as_caller(path: Path, text: str, args: argparse.Namespace) -> str:
    """The caller of Prime's reusable workflow in place of a full workflow (configs stay).

    The full workflow is rendered first, so a caller gets exactly its checked values: the
    cron, the CI workflow names and the branch are read back from it.
    """
    kind = CALLERS.get(path.name) if path.parent.name == "workflows" else None
    if kind is None:
        return text
    full = yaml.safe_load(text)
    on = full.get("on", full.get(True)) or {}
    context: dict[str, Any] = {}
    if "schedule" in on:
        context["cron"] = on["schedule"][0]["cron"]
    if kind == "repo":
        run = on["workflow_run"]
        context |= {"ci_workflows": run["workflows"], "default_branch": run["branches"][0]}
    context["repo"] = args.repo or path.parents[2].resolve().name
    context["standalone"] = not args.org
    if kind == "repo":
        context["mention"] = check_login(args.mention or "")
    return render_caller(kind, action_ref=args.action_ref, **context)


# The workflow files that have a caller form, by file name.
CALLERS = {
    "prime.yml": "repo",
    "prime-run.yml": "runner",
    "prime-org.yml": "org",
    "prime-dispatch.yml": "dispatch",
}


def _action_ref(args: argparse.Namespace) -> str:
    """The `uses:` value: an explicit --action-ref or --ref, else the installed release's."""
    if args.action_ref and args.ref:
        msg = "--ref names a commit of the published action, --action-ref another copy: pick one"
        raise UsageError(msg)
    if args.action_ref:
        return str(args.action_ref)
    if args.ref:
        if not re.fullmatch(r"[\w./-]+", args.ref):
            msg = f"--ref {args.ref!r} is not a commit SHA or a tag"
            raise UsageError(msg)
        if not is_commit_sha(args.ref):
            # Allowed (a user may follow a tag on purpose), but said out loud: a tag can be
            # moved under the workflow, so zizmor and the pinned-actions signal report it.
            sys.stderr.write(f"warning: --ref {args.ref} is not a commit SHA; a tag can move\n")
        return f"{ACTION_REPOSITORY}@{args.ref}"
    release = shipped_release()
    if release is None:
        if args.seed:
            return f"{ACTION_REPOSITORY}@main"  # only the seed's schema hint reads it
        msg = (
            "this Prime is not a released package (it carries no release stamp), so it cannot "
            f"pin the workflows: pass --ref with a commit SHA of {ACTION_REPOSITORY} "
            "(a release tag's), or install a release"
        )
        raise UsageError(msg)
    return release.uses()


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
        root / ONBOARD_WORKFLOW_PATH: render_onboard_workflow(
            repo=repo, action_ref=args.action_ref
        ),
    }


# An org-mode repository says so in its config: its wake leaves jobs to the org dispatcher.
ORG_MODE = "\njobs:\n  mode: org  # the org repository's dispatcher runs this repository's jobs\n"


def _runner_files(root: Path, args: argparse.Namespace) -> dict[Path, str]:
    if args.mode != "standalone":
        return {}
    text = render_runner_workflow(standalone=True, action_ref=args.action_ref)
    return {root / RUNNER_WORKFLOW_PATH: text}


def _dependabot_files(root: Path, new: dict[Path, str]) -> dict[Path, str]:
    """Dependabot's config, when the checkout has none: the one `prime fix dependabot` writes.

    The workflows pin Prime by commit SHA, which only an updater moves on (Dependabot rewrites
    `@<sha> # vX.Y.Z` on each release); without a config, Prime's own files would also make
    its dependabot signal fail (they are GitHub Actions to keep up to date).
    """
    paths = [*list_files(root), *(path.relative_to(root).as_posix() for path in new)]
    # The owner and year appear in other fixes' files (CODEOWNERS, LICENSE), not in this one.
    plan = plan_fix("dependabot", paths, owner="@owner", license_id="MIT", year=2000)
    return {root / path: text for path, text in plan.create.items()}


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
    if args.seed and args.reusable:
        msg = "--reusable writes workflows; --seed writes seed.yaml: drop one"
        raise UsageError(msg)
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
            ("--mention", args.mention is not None),
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
