"""`prime onboard`: one PR adding Prime to each repository the org config selects."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from prime_action.domain.errors import UsageError
from prime_action.domain.release import ACTION_REPOSITORY, is_commit_sha
from prime_action.workflows import shipped_release


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--ref",
        metavar="SHA",
        help=f"the commit of {ACTION_REPOSITORY} the onboarding PRs' workflows use (default: "
        "this Prime's release, or the action's commit when run by the action)",
    )
    parser.epilog = (
        "Runs inside GitHub Actions in the org repository (GITHUB_REPOSITORY), with a token "
        "that may push branches and open PRs in the repositories it onboards (an App token or "
        "PRIME_TOKEN); the org config's `onboarding:` section chooses them."
    )


def pinned_ref(ref: str | None, environ: Mapping[str, str]) -> str:
    """The `uses:` value onboarding writes: always a commit, never a tag.

    Args:
        ref: `--ref`, a 40-hex SHA, or None.
        environ: the environment (the action's own repository and commit, when it runs Prime).

    Returns:
        `prime-action/prime@<sha>`, with ` # vX.Y.Z` when a release names it.

    Raises:
        UsageError: no commit can be named, or --ref is not a full SHA.
    """
    if ref is not None:
        if not is_commit_sha(ref):
            msg = f"--ref {ref!r}: onboarding pins every repository to a commit: a 40-hex SHA"
            raise UsageError(msg)
        return f"{ACTION_REPOSITORY}@{ref}"
    release = shipped_release()
    if release is not None:
        return release.uses()
    action_ref = environ.get("GITHUB_ACTION_REF", "")
    if environ.get("GITHUB_ACTION_REPOSITORY") == ACTION_REPOSITORY and is_commit_sha(action_ref):
        return f"{ACTION_REPOSITORY}@{action_ref}"
    msg = f"no commit of {ACTION_REPOSITORY} to pin the onboarding PRs to: pass --ref SHA"
    raise UsageError(msg)


def run(args: argparse.Namespace) -> int:
    """Onboard the selected repositories once and print what was done."""
    action_ref = pinned_ref(args.ref, os.environ)
    # PyGithub is imported only when a GitHub command runs (see `prime wake`).
    from prime_action.flows.onboard import run_onboard  # noqa: PLC0415

    return run_onboard(os.environ, action_ref)
