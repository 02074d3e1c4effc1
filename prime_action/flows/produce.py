"""`prime run --produce`: a shell or agent job in a checkout, with no token; a patch and a report.

The runner workflow's read-only job (DESIGN §8): the repository's commands, its agent CLI or
the coding loop, and its tests run here, where the job's token can only read and no Prime or
org secret exists. What they changed leaves as a folder (runners.safe_output) that the
writing job validates and takes through the PR boundary.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from prime_action.adapters.local.workspace import GitWorkspace
from prime_action.config.loader import parse_yaml
from prime_action.config.models import RepoConfig
from prime_action.domain.errors import PrimeError
from prime_action.flows.run import agent_llm
from prime_action.growth.implement import contract_rails
from prime_action.growth.seed import SEED_PATH, parse_seed
from prime_action.runners.agent import AgentRequest, draft_agent
from prime_action.runners.boundary import PrPolicy
from prime_action.runners.job import Job
from prime_action.runners.result import Draft, RunResult, failed
from prime_action.runners.safe_output import PATCH_FILE, REPORT_FILE, Produced, produced
from prime_action.runners.shell import Request, draft_shell
from prime_action.workflows import CONFIG_PATH


def produce(job: Job, checkout: Path, folder: Path) -> Produced:
    """Run the job in the checkout and leave its patch and report in `folder`.

    Args:
        job: the attempt (a shell or agent job).
        checkout: the target repository, checked out at the job's ref.
        folder: where the report and the patch go (the artifact the writing job downloads).

    Returns:
        The report, also written to `folder`.
    """
    workspace = GitWorkspace(checkout)
    base = workspace.head()
    try:
        done = draft(job, workspace, checkout_config(checkout))
        patch = workspace.patch(base, tuple(sorted(done.files))) if isinstance(done, Draft) else ""
    except (PrimeError, OSError, subprocess.CalledProcessError) as e:
        done, patch = failed(job.attempt, f"the read-only job failed: {e}"), ""
    report = produced(job, done, base)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PATCH_FILE).write_text(patch, encoding="utf-8", newline="")
    (folder / REPORT_FILE).write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    changed = patch.count("\ndiff --git ") + patch.startswith("diff --git ")
    sys.stdout.write(f"prime run --produce {job.attempt}: {report.status}, {changed} file(s) "
                     f"in {folder}; {report.reason}\n")  # fmt: skip
    return report


def draft(job: Job, workspace: GitWorkspace, config: RepoConfig) -> Draft | RunResult:
    """The runner's draft; the PR boundary's rails apply to the agent's edits already here."""
    policy = PrPolicy(rails=config.guardrails)
    if job.runner == "shell":
        request = Request(job=job, commands=config.jobs.shell_commands.get(job.signal, ()),
                          timeout=config.jobs.shell_timeout_seconds, policy=policy)  # fmt: skip
        return draft_shell(request, workspace)
    if job.runner == "agent":
        agent = AgentRequest(job=job, settings=config.agent, policy=policy)
        return draft_agent(agent, workspace, llm=agent_llm(config.brain, config.agent), beat=_say)
    return failed(job.attempt, f"the {job.runner} runner runs no code in a checkout: run it "
                  "without --produce")  # fmt: skip


def checkout_config(root: Path) -> RepoConfig:
    """The checkout's `.github/prime.yml` (defaults when absent), narrowed by its seed.yaml.

    The same reading as the PR host's on the default branch; the writing job reads that one
    again itself, and only its own decides what is written.
    """
    path = root / CONFIG_PATH
    config = parse_yaml(_text(path), RepoConfig, CONFIG_PATH) if path.is_file() else RepoConfig()
    seed = root / SEED_PATH
    if seed.is_file():
        rails = contract_rails(config.guardrails, parse_seed(_text(seed)).automation_contract)
        config = config.model_copy(update={"guardrails": rails})
    return config


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _say(progress: str) -> None:
    sys.stdout.write(f"prime run --produce: {progress}\n")
