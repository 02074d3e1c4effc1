"""The `prime` command line: parses arguments, runs one command, maps errors to exit codes."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from prime_action import __version__
from prime_action.annotations import annotation
from prime_action.domain.errors import ConfigError, PrimeError

# name -> (module under prime_action.commands, one-line help). Modules are imported lazily
# so that `prime --version` stays fast and no command pays for another's imports.
COMMANDS: dict[str, tuple[str, str]] = {
    "wake": ("wake", "run one wake cycle (--local PATH on a checkout, no network)"),
    "scan": ("scan", "run the signal detectors on a local checkout and print the results"),
    "init": ("init", "write the Prime workflow and a commented config into a repository"),
    "schema": ("schema", "print a shipped JSON Schema (config, org-config, run-sheet, ...)"),
    "fix": ("fix", "write the fileops fix of a signal into a local checkout (never overwrites)"),
    "dispatch": ("dispatch", "dispatch runners for the run sheet within capacity and cooldown"),
    "run": ("run", "run one dispatched job (the runner workflow's first step)"),
    "report": ("report", "report a runner's outcome: ledger, issue comment, repository wake"),
    "jobs": ("jobs", "list the attempt ledger; `prime jobs cancel ID` cancels a running job"),
    "org": ("org", "aggregate every repository of the owner into run-sheet.json (org repo)"),
    "onboard": ("onboard", "open one PR adding Prime per selected repository of the owner"),
    "explain": ("explain", "print the last decision, its reasoning, dropped actions and prompt"),
    "growth": (
        "growth",
        "print growth mode's report: epics, tickets, PRs, rounds, the cycle's energy",
    ),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prime", description="A persistent agent for every repository."
    )
    parser.add_argument("--version", action="version", version=f"prime {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `prime` command line and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not args:
        # No command is a usage error (exit 2), as with any other wrong arguments.
        parser.print_help(sys.stderr)
        return 2
    if args[0] not in COMMANDS:
        try:
            parser.parse_args(args)  # --help, --version, or an error naming the choices
        except SystemExit as e:
            return int(e.code or 0)
        return 2
    name, rest = args[0], args[1:]
    module = importlib.import_module(f"prime_action.commands.{COMMANDS[name][0]}")
    command_parser = argparse.ArgumentParser(prog=f"prime {name}", description=COMMANDS[name][1])
    module.configure(command_parser)
    try:
        parsed = command_parser.parse_args(rest)
    except SystemExit as e:
        return int(e.code or 0)
    try:
        return int(module.run(parsed))
    except PrimeError as e:
        print(f"prime {name}: error: {e}", file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            # Also as an annotation: on the run's page and, for a config error, on its line.
            sys.stdout.write(_annotate(name, e))
        return e.exit_code


def _annotate(name: str, error: PrimeError) -> str:
    if isinstance(error, ConfigError):
        return annotation("error", f"prime {name}: {error}", file=error.file, line=error.line)
    return annotation("error", f"prime {name}: {error}")
