"""`prime run`: the runner workflow's job: fix one signal in one repository, write the outcome."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from prime_action.adapters.github.session import OUTCOME_FILE, DataPlaneEnv
from prime_action.flows.run import run_on_github
from prime_action.runners.job import job_from_inputs

JOB_INPUTS = ("attempt", "repo", "signal", "runner", "approach")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments (the job comes from the workflow_dispatch inputs)."""
    parser.add_argument(
        "--outcome", type=Path, help=f"where to write it ($RUNNER_TEMP/{OUTCOME_FILE})"
    )
    parser.add_argument(
        "--checkout", type=Path, help="a checkout of the target repository (shell, agent)"
    )
    for name in JOB_INPUTS:
        parser.add_argument(f"--{name}", help=f"the job's {name} (default: the event's input)")


def run(args: argparse.Namespace) -> int:
    """Run the job and write its outcome for `prime report`; exit 1 unless it succeeded."""
    env = DataPlaneEnv.from_environ(os.environ)
    given = {k: getattr(args, k) for k in JOB_INPUTS}
    inputs = env.inputs() | {k: v for k, v in given.items() if v is not None}
    job = job_from_inputs(inputs, str(env.event_path or "the command line"))
    outcome = run_on_github(env, job, args.checkout, args.outcome or env.temp / OUTCOME_FILE)
    return 0 if outcome.status == "success" else 1
