"""Workflow detectors: least-privilege `permissions:` and third-party actions pinned to a SHA."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from prime_action.config.loader import YamlTooLarge, read_yaml
from prime_action.domain.models import Fix, Severity, SignalResult
from prime_action.signals.base import Detector, RepoSnapshot, result

WORKFLOW_DIR = ".github/workflows/"
FULL_SHA = re.compile(r"[0-9a-fA-F]{40}")

# Owners whose actions may stay on a tag. We follow zizmor's default `unpinned-uses` policy
# (`actions/*` ref-pinned, everything else hash-pinned) rather than Scorecard's, which also
# counts GitHub's own actions: code under `actions/` runs on GitHub's runners anyway, so a
# pin buys little against GitHub itself, while third-party tags are what got hijacked
# (tj-actions/changed-files, 2025). zizmor ships in our dev tools, so the two agree.
FIRST_PARTY_OWNERS = frozenset({"actions"})

# How many findings a detail names before it says "and N more".
SHOWN = 5


@dataclass(frozen=True)
class Workflow:
    """A parsed workflow: its top-level keys (as strings) and its jobs that are mappings."""

    path: str
    top: dict[str, Any]
    jobs: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Broken:
    """A workflow that could not be read or parsed, and why."""

    path: str
    problem: str


def workflow_paths(paths: Sequence[str]) -> tuple[str, ...]:
    """The workflow files GitHub runs: YAML files directly inside .github/workflows/."""
    return tuple(
        sorted(
            p
            for p in paths
            if p.startswith(WORKFLOW_DIR)
            and "/" not in p[len(WORKFLOW_DIR) :]
            and p.endswith((".yml", ".yaml"))
        )
    )


# Both workflow detectors read every workflow: each file is parsed once, for both.
@functools.lru_cache(maxsize=1024)
def parse_workflow(path: str, text: str | None) -> Workflow | Broken:
    """Parse one workflow file without ever raising.

    Args:
        path: the workflow's path, used in the problem description.
        text: its contents, or None when the shell could not fetch it.

    Returns:
        The parsed workflow, or what is wrong with it.
    """
    if text is None:
        return Broken(path, "was not read")
    try:
        _, data = read_yaml(text)
    except YamlTooLarge as e:
        return Broken(path, e.problem)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        return Broken(path, f"is not valid YAML{where}")
    if not isinstance(data, dict):
        return Broken(path, "is not a YAML mapping")
    # YAML 1.1 reads the bare key `on` as the boolean True; give it its name back.
    top = {("on" if key is True else str(key)): value for key, value in data.items()}
    jobs = top.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return Broken(path, "has no `jobs:` mapping")
    return Workflow(path, top, {str(k): v for k, v in jobs.items() if isinstance(v, dict)})


def _parsed(snapshot: RepoSnapshot) -> list[Workflow | Broken]:
    return [parse_workflow(p, snapshot.files.get(p)) for p in workflow_paths(snapshot.paths)]


def _listed(findings: Sequence[str]) -> str:
    shown = "; ".join(findings[:SHOWN])
    more = len(findings) - SHOWN
    return f"{shown}; and {more} more" if more > 0 else shown


def _verdict(
    detector: Detector,
    snapshot: RepoSnapshot,
    check: Callable[[Workflow], Iterable[str]],
    headline: str,
    fix: Fix,
) -> SignalResult:
    """Run a per-workflow check; findings make it failing, unparseable files unknown."""
    parsed = _parsed(snapshot)
    if not parsed:
        return result(detector, "skipped", "no workflows in .github/workflows/")
    broken = [f"{w.path} {w.problem}" for w in parsed if isinstance(w, Broken)]
    findings = sorted({f for w in parsed if isinstance(w, Workflow) for f in check(w)})
    if findings:
        unread = f" (not checked: {_listed(broken)})" if broken else ""
        return result(
            detector, "failing", f"{headline}: {_listed(findings)}{unread}", *findings, fix=fix
        )
    if broken:
        return result(detector, "unknown", f"cannot check: {_listed(broken)}", *broken)
    return result(detector, "ok", f"all {len(parsed)} workflows pass")


def permission_problems(workflow: Workflow) -> Iterator[str]:
    """Why a workflow's token is not least-privilege, one finding per problem."""
    where = workflow.path
    if workflow.top.get("permissions") == "write-all":
        yield f"{where}: grants write-all"
    elif "permissions" not in workflow.top:
        bare = [job for job, body in workflow.jobs.items() if "permissions" not in body]
        if bare:
            yield f"{where}: no permissions (jobs {', '.join(bare)})"
    for job, body in workflow.jobs.items():
        if body.get("permissions") == "write-all":
            yield f"{where}: job {job} grants write-all"


def uses_refs(workflow: Workflow) -> Iterator[str]:
    """Every `uses:` of a workflow: reusable-workflow jobs and action steps."""
    for job in workflow.jobs.values():
        if isinstance(job.get("uses"), str):
            yield job["uses"].strip()
        steps = job.get("steps")
        for step in steps if isinstance(steps, list) else ():
            if isinstance(step, dict) and isinstance(step.get("uses"), str):
                yield step["uses"].strip()


def is_unpinned(ref: str) -> bool:
    """Whether a `uses:` value is a third-party action or workflow not pinned to a full SHA."""
    # Local actions come from this very commit and docker:// images are a different
    # supply chain (digests), outside what this signal checks.
    if ref.startswith(("./", "docker://")):
        return False
    action, _, version = ref.partition("@")
    if action.split("/")[0].lower() in FIRST_PARTY_OWNERS:
        return False
    return FULL_SHA.fullmatch(version) is None


def unpinned_actions(workflow: Workflow) -> Iterator[str]:
    """One finding per third-party `uses:` not pinned to a commit SHA."""
    for ref in uses_refs(workflow):
        if is_unpinned(ref):
            yield f"{workflow.path}: {ref}"


class WorkflowPermissions:
    """Every workflow declares `permissions:` so its GITHUB_TOKEN is least-privilege."""

    name: str = "workflow-permissions"
    severity: Severity = "high"  # Scorecard's Token-Permissions risk

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """The workflow files."""
        return workflow_paths(paths)

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Failing naming each workflow (and job) whose token keeps the broad default."""
        fix = Fix(
            runner="agent",
            approach=(
                "Add a top-level `permissions: contents: read` to each workflow listed and grant "
                "write scopes per job, only where a step needs them; never use write-all."
            ),
        )
        headline = "workflows without least-privilege permissions"
        return _verdict(self, snapshot, permission_problems, headline, fix)


class PinnedActions:
    """Third-party actions are pinned to a full commit SHA, not a movable tag or branch."""

    name: str = "pinned-actions"
    severity: Severity = "medium"  # Scorecard's Pinned-Dependencies risk

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """The workflow files."""
        return workflow_paths(paths)

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Failing naming each unpinned `uses:`; the list is the fingerprint's evidence."""
        fix = Fix(
            runner="agent",
            approach=(
                "Pin each listed action to the full commit SHA its current ref points to, "
                "keeping the tag as a comment (`uses: owner/repo@<sha> # v4`)."
            ),
        )
        headline = "third-party actions not pinned to a commit SHA"
        return _verdict(self, snapshot, unpinned_actions, headline, fix)
