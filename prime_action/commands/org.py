"""`prime org`: every repository of the owner aggregated into run-sheet.json and a dashboard."""

from __future__ import annotations

import argparse
import os


def configure(parser: argparse.ArgumentParser) -> None:
    """`prime org` takes no arguments: it runs in the org repository's workflow."""
    parser.epilog = (
        "Runs inside GitHub Actions in the org repository (GITHUB_REPOSITORY); the org config "
        "is .github/prime-org.yml there (PRIME_CONFIG overrides the path)."
    )


def run(args: argparse.Namespace) -> int:
    """Run Org Prime once and print its summary."""
    del args
    # PyGithub is imported only when a GitHub command runs (see `prime wake`).
    from prime_action.flows.org import run_org  # noqa: PLC0415

    return run_org(os.environ)
