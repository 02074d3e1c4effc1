"""`prime scan PATH`: run every signal detector on a local checkout and print what they saw."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from prime_action.adapters.local.snapshot import local_snapshot
from prime_action.config.loader import load_config
from prime_action.config.models import RepoConfig
from prime_action.domain.clock import SystemClock
from prime_action.domain.errors import ConfigError
from prime_action.domain.models import SignalResult
from prime_action.eyes import SIGNAL_NAMES, run_signals, unknown_signals

CONFIG_PATH = Path(".github") / "prime.yml"
COLUMNS = ("STATUS", "SIGNAL", "SEVERITY", "DETAIL")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("path", type=Path, help="the checkout to scan")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="a table, or JSON"
    )


def run(args: argparse.Namespace) -> int:
    """Scan and print; exit 0 whatever the signals say, 2 for a bad config or file."""
    root: Path = args.path
    config = load_config(root / CONFIG_PATH, RepoConfig)
    _check_signal_names(config, root / CONFIG_PATH)
    results = run_signals(local_snapshot(root, config, SystemClock().now()), config)
    sys.stdout.write(render_json(results) if args.format == "json" else render_table(results))
    return 0


def _check_signal_names(config: RepoConfig, path: Path) -> None:
    # A misspelt signal name would silently leave the real signal enabled and unweighted.
    unknown = unknown_signals(config)
    if unknown:
        msg = f"key 'signals.{unknown[0]}': no such signal; choose from: {', '.join(SIGNAL_NAMES)}"
        raise ConfigError(msg, file=str(path))


def render_json(results: Sequence[SignalResult]) -> str:
    """The results as a JSON array (the shipped `signals` schema).

    Args:
        results: what the detectors reported.

    Returns:
        Indented JSON text ending in a newline.
    """
    return json.dumps([r.model_dump(mode="json") for r in results], indent=2) + "\n"


def render_table(results: Sequence[SignalResult]) -> str:
    """The results as an aligned table followed by a one-line tally.

    Args:
        results: what the detectors reported.

    Returns:
        The table's text, ending in a newline.
    """
    rows = [COLUMNS, *((r.status, r.name, r.severity, r.detail) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    lines = [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]
    tally = Counter(r.status for r in results)
    counts = ", ".join(f"{tally[s]} {s}" for s in ("failing", "unknown", "ok", "skipped"))
    lines.append(f"\n{len(results)} signals: {counts}")
    return "\n".join(line.rstrip() for line in lines) + "\n"
