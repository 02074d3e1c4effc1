"""`prime explain`: the last decision, its reasoning, what policy dropped, and the prompt."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from prime_action.adapters.local.state import LocalStateStore
from prime_action.brain.redact import redact
from prime_action.domain.clock import iso
from prime_action.domain.errors import ConfigError
from prime_action.domain.models import DecisionRecord
from prime_action.templating import render

# Environment variables whose values are masked wherever they appear in the output.
SECRET_NAME = re.compile(r"(?i)(key|token|secret|password|passwd|credential)")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "--local",
        metavar="PATH",
        type=Path,
        help="explain the last wake of a local checkout (memory in PATH/.prime/)",
    )
    parser.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        help="explain a repository's last wake from its prime-state branch "
        "(default: GITHUB_REPOSITORY; the token comes from GITHUB_TOKEN)",
    )
    parser.add_argument("--no-prompt", action="store_true", help="leave the prompt out")


def run(args: argparse.Namespace) -> int:
    """Print the explanation of the last decision; exit 0 even when there is none yet."""
    records = _local(args.local) if args.local else _remote(args.repo, os.environ)
    last = records[-1] if records else None
    text = render_explanation(last, show_prompt=not args.no_prompt)
    sys.stdout.write(redact(text, known=secret_values(os.environ)))
    return 0


def _local(root: Path) -> tuple[DecisionRecord, ...]:
    if not root.is_dir():
        msg = "is not a directory; give the path of a checkout"
        raise ConfigError(msg, file=str(root))
    return LocalStateStore(root).decisions()


def _remote(repo: str | None, environ: Mapping[str, str]) -> tuple[DecisionRecord, ...]:
    # PyGithub is imported only for a remote explanation (about half a second).
    from prime_action.adapters.github.session import repo_reader  # noqa: PLC0415
    from prime_action.adapters.github.state import GitHubStateStore  # noqa: PLC0415

    with repo_reader(repo, environ) as (name, client):
        return GitHubStateStore(client, name).decisions()


def secret_values(environ: Mapping[str, str]) -> tuple[str, ...]:
    """Values of the environment variables named like secrets (API keys, tokens)."""
    return tuple(value for name, value in environ.items() if SECRET_NAME.search(name) and value)


def render_explanation(record: DecisionRecord | None, *, show_prompt: bool) -> str:
    """The explanation as text (secrets are masked by the caller, on the whole output)."""
    if record is None:
        return render("reports/explain.txt.j2", record=None)
    decision = record.decision
    return render(
        "reports/explain.txt.j2",
        record=record,
        at=iso(record.at),
        decision=decision,
        actions=[(a.type, a.model_dump(mode="json", exclude={"type"})) for a in decision.actions],
        show_prompt=show_prompt,
    )
