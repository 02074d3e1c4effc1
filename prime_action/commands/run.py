"""`prime run`: the runner workflow's job: fix one signal in one repository, write the outcome."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from prime_action.adapters.github.session import OUTCOME_FILE, DataPlaneEnv
from prime_action.domain.errors import UsageError
from prime_action.flows.produce import produce
from prime_action.flows.run import run_on_github
from prime_action.runners.job import Job, job_from_inputs

JOB_INPUTS = ("attempt", "repo", "signal", "runner", "approach")
# The GitHub tokens the action or a workflow hands Prime. The read-only half refuses to start
# with one: its children get a scrubbed environment, but any process of the same user can
# read /proc/<pid>/environ of this one; only a job that never holds the token is safe.
GITHUB_TOKENS = ("GITHUB_TOKEN", "GH_TOKEN", "PRIME_ORG_TOKEN", "PRIME_TOKEN")
NOT_READ_ONLY = (
    "--produce runs the repository's code and must hold no token, but the environment has "
    '{names}: give the action `github-token: ""` in the read-only job (`prime init` writes it so)'
)


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
    half = parser.add_mutually_exclusive_group()
    half.add_argument("--produce", type=Path, metavar="DIR", help=(
        "the read-only half: run the shell or agent job in --checkout, with no token, and "
        "leave its patch and report in DIR (the runner workflow uploads it)"))  # fmt: skip
    half.add_argument("--apply", type=Path, metavar="DIR", help=(
        "the writing half: validate the patch and report in DIR and take them through the PR "
        "boundary, then write the outcome for `prime report`"))  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Run the job and write its outcome for `prime report`; exit 1 unless it succeeded."""
    if args.produce is not None:
        return produce_half(args)
    env = DataPlaneEnv.from_environ(os.environ)
    job = read_job(env, args)
    path = args.outcome or env.temp / OUTCOME_FILE
    outcome = run_on_github(env, job, args.checkout, path, folder=args.apply)
    return 0 if outcome.status == "success" else 1


def produce_half(args: argparse.Namespace) -> int:
    """`--produce`: no token is read, none is needed; exit 1 unless a change is ready."""
    if args.checkout is None:
        msg = "--produce needs --checkout PATH: the read-only job's checkout of the target"
        raise UsageError(msg)
    held = [name for name in GITHUB_TOKENS if os.environ.get(name)]
    if held:
        raise UsageError(NOT_READ_ONLY.format(names=", ".join(held)))
    # The environment's event alone: the read-only job has no token to give.
    event = os.environ.get("GITHUB_EVENT_PATH")
    env = DataPlaneEnv(repository="", token="", event_path=Path(event) if event else None)
    report = produce(read_job(env, args), args.checkout, args.produce)
    return 0 if report.status == "ready" else 1


def read_job(env: DataPlaneEnv, args: argparse.Namespace) -> Job:
    """The job from the event's inputs, each overridden by its command-line option."""
    given = {k: getattr(args, k) for k in JOB_INPUTS}
    inputs = env.inputs() | {k: v for k, v in given.items() if v is not None}
    return job_from_inputs(inputs, str(env.event_path or "the command line"))
