"""`prime schema NAME`: print one of the JSON Schemas that ship with the package."""

from __future__ import annotations

import argparse
import sys

from prime_action.domain.errors import UsageError
from prime_action.schemas import MODELS, shipped


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("name", help=f"one of: {', '.join(MODELS)}")


def run(args: argparse.Namespace) -> int:
    """Print the schema; exit 2 for an unknown name."""
    if args.name not in MODELS:
        msg = f"unknown schema '{args.name}'; choose one of: {', '.join(MODELS)}"
        raise UsageError(msg)
    sys.stdout.write(shipped(args.name))
    return 0
