"""The files `prime init` writes into a repository: its Prime workflow and its commented config."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from prime_action.config.models import RepoConfig
from prime_action.config.org import OrgConfig
from prime_action.domain.errors import UsageError
from prime_action.domain.release import ACTION_REPOSITORY, STAMP_FILE, Release, parse_stamp
from prime_action.templating import render

# The renderers' default when no ref is given (tests, simulations). `prime init` never uses
# it: it pins a commit (the release stamp or --ref), or takes --action-ref for a fork.
DEFAULT_ACTION_REF = f"{ACTION_REPOSITORY}@v1"
DEFAULT_CI_WORKFLOWS: tuple[str, ...] = ("CI",)
DEFAULT_BRANCH = "main"

WORKFLOW_PATH = ".github/workflows/prime.yml"
CONFIG_PATH = ".github/prime.yml"

# OWNER/NAME[/path]@ref: what a workflow's `uses:` accepts for a repository action. Nothing
# else may reach the rendered YAML, so a value can never smuggle in keys or a newline.
# A release's version may follow as a YAML comment (`@<sha> # v1.2.3`): Dependabot and
# Renovate read it to name the version and rewrite it when they move the pin.
_ACTION_REF = re.compile(r"[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[\w./-]+(?: # v\d+\.\d+\.\d+)?")
_BRANCH = re.compile(r"[\w./-]+")
# A user's or an App's login: what `@login` can mention.
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")


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


# Hours between scheduled ticks that divide a day evenly, so every tick is the same distance
# from the next. Each tick bills a whole minute on a private repository.
SCHEDULE_HOURS = (1, 2, 3, 4, 6, 8, 12, 24)
# Standalone: a tick every 3 hours bills 240 minutes a month on a private repository (hourly:
# 720), and events (job results, CI, issues, merges) still wake Prime at once.
STANDALONE_HOURS = 3
# Org mode: Org Prime sends `prime-wake` when a repository is due; the tick is only a safety net.
ORG_MODE_HOURS = 24


def repo_cron(full_name: str, hours: int) -> str:
    """A tick every `hours` hours at the repository's minute, e.g. `17 */3 * * *`.

    A daily tick also takes its hour from the name, so an org's repositories do not all tick
    in the same hour.

    Raises:
        UsageError: when `hours` does not divide a day.
    """
    if hours not in SCHEDULE_HOURS:
        msg = f"--schedule-hours {hours}: use one of {', '.join(map(str, SCHEDULE_HOURS))}"
        raise UsageError(msg)
    minute = cron_minute(full_name)
    if hours == 24:
        return f"{minute} {cron_minute(full_name + '#hour') % 24} * * *"
    return f"{minute} {'*' if hours == 1 else f'*/{hours}'} * * *"


def config_schema_url(action_ref: str) -> str:
    """The raw URL of the config JSON Schema shipped in the action's repository at its ref.

    Args:
        action_ref: `OWNER/NAME@REF` as used in the workflow's `uses:`.

    Returns:
        A URL editors can fetch for completion and validation of `.github/prime.yml`.
    """
    repo, _, ref = check_action_ref(action_ref).partition(" # ")[0].partition("@")
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
    org_mode: bool = False,
    schedule_hours: int | None = None,
    mention: str | None = None,
) -> str:
    """Render `.github/workflows/prime.yml` for one repository.

    Args:
        repo: `OWNER/NAME` (or any stable name) from which the cron minute is derived.
        action_ref: the Prime action to run, `OWNER/NAME@REF`.
        ci_workflows: names of the CI workflows whose completion on the default branch wakes
            Prime.
        default_branch: the branch whose pushes, CI runs and merged PRs wake Prime.
        org_mode: Org Prime wakes this repository (`prime-wake`); the tick is a safety net.
        schedule_hours: hours between ticks (default: 3 standalone, 24 in org mode).
        mention: a login (without @) whose mention in a comment starts the job, as
            `conversation.mention` makes it a message to Prime.

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
        cron=repo_cron(repo, schedule_hours or (ORG_MODE_HOURS if org_mode else STANDALONE_HOURS)),
        org_mode=org_mode,
        action_ref=check_action_ref(action_ref),
        ci_workflows=list(ci_workflows),
        default_branch=default_branch,
        issue_labels=[_literal(label) for label in _prime_labels()],
        mention=_literal(check_login(mention or "")),
    )


def check_login(login: str) -> str:
    """A GitHub login (or '' for none), refused when it is not one: it goes into the job's
    condition and the config."""
    if login and not _LOGIN.fullmatch(login):
        msg = f"--mention '{login}' is not a GitHub login (letters, digits, hyphens; no @)"
        raise UsageError(msg)
    return login


def _prime_labels() -> tuple[str, ...]:
    """The labels that make an issue Prime's business: its own, and growth's task label."""
    labels = RepoConfig().labels
    # `ai-task` is seed.yaml's default task label (a person's ticket for Prime to adopt).
    return (labels.automated, labels.needs_human, labels.in_progress, "ai-task")


def _literal(text: str) -> str:
    """A string literal of GitHub's expression language (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def render_repo_config(*, action_ref: str = DEFAULT_ACTION_REF, mention: str | None = None) -> str:
    """Render `.github/prime.yml`: every key commented out with its default and what it does.

    Args:
        action_ref: the Prime action whose shipped config schema the editor hint points at.
        mention: the login set (not commented) as `conversation.mention`, if any.

    Returns:
        The config's YAML text; loaded as is, it gives `RepoConfig()`.
    """
    return _render(
        "config/prime.yml.j2",
        schema_url=config_schema_url(action_ref),
        d=RepoConfig().model_dump(mode="json"),
        mention=check_login(mention or ""),
    )


def stamp_path() -> Path:
    """Where the release workflow writes the release stamp: inside the package."""
    return Path(__file__).resolve().parent / STAMP_FILE


def shipped_release() -> Release | None:
    """The release this package was built from, or None (a checkout, or no valid stamp)."""
    try:
        return parse_stamp(stamp_path().read_text(encoding="utf-8"))
    except OSError:
        return None


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
ONBOARD_HOUR = 7  # UTC, on Mondays: onboarding PRs arrive at the start of a working week
ORG_WORKFLOW_PATH = ".github/workflows/prime-org.yml"
ORG_CONFIG_PATH = ".github/prime-org.yml"


def render_org_workflow(*, repo: str, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """Render the org repository's `.github/workflows/prime-org.yml`.

    Args:
        repo: the org repository's `OWNER/NAME`, from which the hourly minute is derived.
        action_ref: the Prime action to run, `OWNER/NAME@REF`.

    Returns:
        The workflow's YAML text.
    """
    return render(
        "workflows/org.yml.j2",
        repo=" ".join(repo.split()),
        # Hourly: each run is the alarm clock of the repositories whose next wake passed.
        cron=hourly_cron(repo),
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


# `prime init --reusable`: short callers that keep their triggers and run Prime's reusable
# workflows (`.github/workflows/<name>.yml` in Prime's repository) at the pinned commit.
REUSABLE = {"repo": "wake", "runner": "run", "org": "org", "dispatch": "dispatch"}


def reusable_ref(action_ref: str, workflow: str) -> str:
    """The `uses:` of a reusable workflow at the action's ref, keeping its version comment.

    Args:
        action_ref: `OWNER/NAME@REF`, optionally followed by ` # vX.Y.Z`.
        workflow: the reusable workflow's name, e.g. `wake`.

    Returns:
        `OWNER/NAME/.github/workflows/wake.yml@REF` (and the comment).
    """
    ref, comment, version = check_action_ref(action_ref).partition(" # ")
    repo, _, at = ref.partition("@")
    owner, name = repo.split("/")[:2]
    return f"{owner}/{name}/.github/workflows/{workflow}.yml@{at}{comment}{version}"


def render_caller(kind: str, *, action_ref: str, **context: Any) -> str:
    """Render one caller of a reusable workflow (`repo`, `runner`, `org` or `dispatch`).

    Args:
        kind: which caller; its reusable workflow is REUSABLE[kind].
        action_ref: the Prime action's `OWNER/NAME@REF [# vX.Y.Z]`.
        **context: the template's values (cron, repo, ci_workflows, default_branch,
            standalone), each checked like the full workflows' are.

    Returns:
        The caller's YAML text.
    """
    if "repo" in context:
        context["repo"] = " ".join(str(context["repo"]).split())
    return render(
        f"workflows/callers/{kind}.yml.j2",
        uses=reusable_ref(action_ref, REUSABLE[kind]),
        **context,
    )


# An onboarded repository's config: all defaults commented, and its jobs left to the org.
ONBOARDED = (
    "\njobs:\n"
    "  mode: org  # the org repository's dispatcher runs this repository's jobs\n"
    "  org_repo: {org_repo}  # where this repository's Prime sends its flags\n"
)


def render_onboarding_config(*, org_repo: str, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """`.github/prime.yml` of an onboarding PR: the commented config, in org mode.

    Args:
        org_repo: the org repository (`OWNER/NAME`) that onboards the repository.
        action_ref: the Prime action the workflow uses (its schema hint).

    Returns:
        The config's YAML text; loaded, it is the defaults with `jobs.mode: org`.
    """
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", org_repo):
        msg = f"org repository '{org_repo}' is not OWNER/NAME"
        raise UsageError(msg)
    return render_repo_config(action_ref=action_ref) + ONBOARDED.format(org_repo=org_repo)


ONBOARD_WORKFLOW_PATH = ".github/workflows/prime-onboard.yml"


def render_onboard_workflow(*, repo: str, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """Render the org repository's `.github/workflows/prime-onboard.yml` (weekly, on Monday).

    Args:
        repo: the org repository's `OWNER/NAME`, from which the minute is derived.
        action_ref: the Prime action to run; a commit SHA there is also the onboarding PRs'.

    Returns:
        The workflow's YAML text.
    """
    at = check_action_ref(action_ref).partition(" # ")[0].partition("@")[2]
    return render(
        "workflows/onboard.yml.j2",
        cron=f"{cron_minute(repo)} {ONBOARD_HOUR} * * 1",
        action_ref=action_ref,
        ref=at if re.fullmatch(r"[0-9a-f]{40}", at) else "",
    )
