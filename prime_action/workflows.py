"""The files `prime init` writes into a repository: its Prime workflow and its commented config."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from prime_action.config.models import OrgConfig, RepoConfig
from prime_action.domain.errors import UsageError
from prime_action.templating import render

# The one place that names the published action; `prime init --action-ref` overrides it.
DEFAULT_ACTION_REF = "prime-action/prime@v1"
DEFAULT_CI_WORKFLOWS: tuple[str, ...] = ("CI",)
DEFAULT_BRANCH = "main"

WORKFLOW_PATH = ".github/workflows/prime.yml"
CONFIG_PATH = ".github/prime.yml"

# OWNER/NAME[/path]@ref: what a workflow's `uses:` accepts for a repository action. Nothing
# else may reach the rendered YAML, so a value can never smuggle in keys or a newline.
_ACTION_REF = re.compile(r"[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[\w./-]+")
_BRANCH = re.compile(r"[\w./-]+")


def cron_minute(full_name: str) -> int:
    """The minute past each hour at which a repository's Prime wakes.

    A stable hash spreads thousands of repositories over the hour instead of all firing at
    :00, when GitHub's scheduler is busiest and delays or drops scheduled runs.

    Args:
        full_name: `OWNER/NAME`; compared case-insensitively, as GitHub compares names.

    Returns:
        A minute in 0..59, the same on every machine and every run.
    """
    digest = hashlib.sha256(full_name.strip().lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 60


def hourly_cron(full_name: str) -> str:
    """The hourly `schedule` cron expression for a repository, e.g. `17 * * * *`."""
    return f"{cron_minute(full_name)} * * * *"


def config_schema_url(action_ref: str) -> str:
    """The raw URL of the config JSON Schema shipped in the action's repository at its ref.

    Args:
        action_ref: `OWNER/NAME@REF` as used in the workflow's `uses:`.

    Returns:
        A URL editors can fetch for completion and validation of `.github/prime.yml`.
    """
    repo, _, ref = check_action_ref(action_ref).partition("@")
    owner, name = repo.split("/")[:2]
    return (
        f"https://raw.githubusercontent.com/{owner}/{name}/{ref}"
        "/prime_action/schemas/config.schema.json"
    )


def check_action_ref(action_ref: str) -> str:
    """Return the action reference unchanged, or raise UsageError if `uses:` cannot take it."""
    if not _ACTION_REF.fullmatch(action_ref):
        msg = f"--action-ref '{action_ref}' is not OWNER/NAME@REF (e.g. {DEFAULT_ACTION_REF})"
        raise UsageError(msg)
    return action_ref


def render_repo_workflow(
    *,
    repo: str,
    action_ref: str = DEFAULT_ACTION_REF,
    ci_workflows: Sequence[str] = DEFAULT_CI_WORKFLOWS,
    default_branch: str = DEFAULT_BRANCH,
) -> str:
    """Render `.github/workflows/prime.yml` for one repository.

    Args:
        repo: `OWNER/NAME` (or any stable name) from which the cron minute is derived.
        action_ref: the Prime action to run, `OWNER/NAME@REF`.
        ci_workflows: names of the CI workflows whose completion on the default branch wakes
            Prime.
        default_branch: the branch whose pushes, CI runs and merged PRs wake Prime.

    Returns:
        The workflow's YAML text.

    Raises:
        UsageError: when the action reference, a workflow name or the branch cannot be used.
    """
    if not ci_workflows or any(not name.strip() or "\n" in name for name in ci_workflows):
        msg = "--ci-workflow needs a non-empty, single-line workflow name"
        raise UsageError(msg)
    if not _BRANCH.fullmatch(default_branch):
        msg = f"default branch '{default_branch}' is not a plain branch name"
        raise UsageError(msg)
    return _render(
        "workflows/repo.yml.j2",
        repo=" ".join(repo.split()),
        cron=hourly_cron(repo),
        action_ref=check_action_ref(action_ref),
        ci_workflows=list(ci_workflows),
        default_branch=default_branch,
        issue_labels=[_literal(label) for label in _prime_labels()],
    )


def _prime_labels() -> tuple[str, ...]:
    """The labels that make an issue Prime's business: its own, and growth's task label."""
    labels = RepoConfig().labels
    # `ai-task` is seed.yaml's default task label (a person's ticket for Prime to adopt).
    return (labels.automated, labels.needs_human, labels.in_progress, "ai-task")


def _literal(text: str) -> str:
    """A string literal of GitHub's expression language (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def render_repo_config(*, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """Render `.github/prime.yml`: every key commented out with its default and what it does.

    Args:
        action_ref: the Prime action whose shipped config schema the editor hint points at.

    Returns:
        The config's YAML text; loaded as is, it gives `RepoConfig()`.
    """
    return _render(
        "config/prime.yml.j2",
        schema_url=config_schema_url(action_ref),
        d=RepoConfig().model_dump(mode="json"),
    )


def templates_dir() -> Path:
    """The templates folder: inside the package when installed, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    # A local environment until the shared templating module lands. Autoescape stays off:
    # the output is YAML, not HTML, and every value reaching it is validated or JSON-quoted.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - YAML output; see the comment above
    )


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)


# The data plane's workflows (DESIGN §6): the runner in a standalone repository or in the org
# repository, and the dispatcher in the org repository.
RUNNER_WORKFLOW_PATH = ".github/workflows/prime-run.yml"
DISPATCH_WORKFLOW_PATH = ".github/workflows/prime-dispatch.yml"


def render_runner_workflow(*, standalone: bool, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """Render `.github/workflows/prime-run.yml`.

    Args:
        standalone: True for a repository that fixes itself with its own token; False for the
            org repository's runner, which uses the PRIME_TOKEN secret on other repositories.
        action_ref: the Prime action to run, `OWNER/NAME@REF`.

    Returns:
        The workflow's YAML text.
    """
    return render(
        "workflows/runner.yml.j2", standalone=standalone, action_ref=check_action_ref(action_ref)
    )


def render_dispatch_workflow(*, repo: str, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """Render the org repository's `.github/workflows/prime-dispatch.yml`.

    Args:
        repo: the org repository's `OWNER/NAME`; its hourly minute is offset from the wake's.
        action_ref: the Prime action to run, `OWNER/NAME@REF`.

    Returns:
        The workflow's YAML text.
    """
    minute = (cron_minute(repo) + 30) % 60
    return render(
        "workflows/dispatch.yml.j2",
        cron=f"{minute} * * * *",
        action_ref=check_action_ref(action_ref),
    )


# Org Prime's workflow and config in the org repository (DESIGN §5).
ORG_WORKFLOW_PATH = ".github/workflows/prime-org.yml"
ORG_CONFIG_PATH = ".github/prime-org.yml"
ORG_HOUR = 6  # UTC: the run sheet is fresh before a European working day starts


def render_org_workflow(*, repo: str, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """Render the org repository's `.github/workflows/prime-org.yml`.

    Args:
        repo: the org repository's `OWNER/NAME`, from which the daily minute is derived.
        action_ref: the Prime action to run, `OWNER/NAME@REF`.

    Returns:
        The workflow's YAML text.
    """
    return render(
        "workflows/org.yml.j2",
        repo=" ".join(repo.split()),
        cron=f"{cron_minute(repo)} {ORG_HOUR} * * *",
        action_ref=check_action_ref(action_ref),
    )


def render_org_config(*, repo: str, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """Render `.github/prime-org.yml`: every key commented out with its default.

    Args:
        repo: the org repository's `OWNER/NAME` (its owner names the example priority).
        action_ref: the Prime action whose shipped org-config schema the editor hint names.

    Returns:
        The config's YAML text; loaded as is, it gives `OrgConfig()`.
    """
    owner = repo.split("/", 1)[0] if "/" in repo else "acme"
    return render(
        "org/prime-org.yml.j2",
        schema_url=config_schema_url(action_ref).replace("config.schema", "org-config.schema"),
        d=OrgConfig().model_dump(mode="json"),
        example_repo=f"{owner}/api",
    )
