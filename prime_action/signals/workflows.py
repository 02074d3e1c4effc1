"""Workflow detectors: least-privilege `permissions:` and `uses:` pinned as the policy says."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from prime_action.config.loader import YamlTooLarge, read_yaml
from prime_action.config.models import PinningSettings
from prime_action.domain.models import Fix, Severity, SignalResult
from prime_action.signals.base import Detector, RepoSnapshot, result

WORKFLOW_DIR = ".github/workflows/"
FULL_SHA = re.compile(r"[0-9a-fA-F]{40}")

# The words opening every workflow `prime init` writes ("... written by `prime init` ..." or
# "written by `prime init --org`").
PRIME_MARKER = "written by `prime init"

# `uses:` forms that name code of this very repository at this very commit: `./path` and
# the `$/path` shorthand GitHub documents for the same thing.
SAME_REPO = ("./", "$/")

# How many findings a detail names before it says "and N more".
SHOWN = 5


@dataclass(frozen=True)
class Workflow:
    """A parsed workflow: its top-level keys (as strings) and its jobs that are mappings."""

    path: str
    top: dict[str, Any]
    jobs: dict[str, dict[str, Any]]
    by_prime: bool = False  # written by `prime init` (its opening comment says so)
    # zizmor audit -> the lines (code before the comment) a `# zizmor: ignore[audit]` marks:
    # a maintainer's documented exception, which Prime honours for the same rule.
    ignored: dict[str, frozenset[str]] = field(default_factory=dict)


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
    by_prime = PRIME_MARKER in text[:400]
    bodies = {str(k): v for k, v in jobs.items() if isinstance(v, dict)}
    return Workflow(path, top, bodies, by_prime, _ignores(text))


_IGNORE = re.compile(r"^\s*-?\s*(?P<code>[^#]*?)\s*#.*zizmor:\s*ignore\[(?P<audits>[^\]]+)\]")


def _ignores(text: str) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = _IGNORE.match(line)
        if match:
            for audit in match["audits"].split(","):
                found.setdefault(audit.strip(), set()).add(match["code"])
    return {audit: frozenset(lines) for audit, lines in found.items()}


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


def _triggers(workflow: Workflow) -> set[str]:
    on = workflow.top.get("on")
    if isinstance(on, str):
        return {on}
    return {str(t) for t in on} if isinstance(on, dict | list) else set()


def _writes(permissions: object) -> list[str]:
    if not isinstance(permissions, dict):
        return []
    return sorted(str(scope) for scope, level in permissions.items() if level == "write")


def permission_problems(workflow: Workflow) -> Iterator[str]:
    """Why a workflow's token is not least-privilege, one finding per problem."""
    where = workflow.path
    top = workflow.top.get("permissions")
    # A reusable workflow runs with the token its caller grants: the caller is the one to judge.
    reusable = _triggers(workflow) == {"workflow_call"}
    if top == "write-all":
        yield f"{where}: grants write-all"
    elif "permissions" not in workflow.top and not reusable:
        bare = [job for job, body in workflow.jobs.items() if "permissions" not in body]
        if bare:
            yield f"{where}: no permissions (jobs {', '.join(bare)})"
    # A write scope at the top reaches every job; with one job it is that job's own grant.
    accepted = workflow.ignored.get("excessive-permissions", frozenset())
    writes = [scope for scope in _writes(top) if f"{scope}: write" not in accepted]
    if writes and len(workflow.jobs) > 1:
        jobs = len(workflow.jobs)
        yield f"{where}: workflow-level write ({', '.join(writes)}) for all {jobs} jobs"
    for job, body in workflow.jobs.items():
        if body.get("permissions") == "write-all":
            yield f"{where}: job {job} grants write-all"


def uses_refs(workflow: Workflow) -> Iterator[str]:
    """Every `uses:` of a workflow: reusable-workflow jobs and action steps.

    In a workflow `prime init` wrote, Prime's own steps (those given a `command:`) are left
    out: they follow Prime's release tag, which the user chose at install time.
    """
    for job in workflow.jobs.values():
        if isinstance(job.get("uses"), str):
            yield job["uses"].strip()
        steps = job.get("steps")
        for step in steps if isinstance(steps, list) else ():
            own = isinstance(step, dict) and workflow.by_prime and _prime_step(step)
            if isinstance(step, dict) and isinstance(step.get("uses"), str) and not own:
                yield step["uses"].strip()


def _prime_step(step: dict[str, Any]) -> bool:
    inputs = step.get("with")
    return isinstance(inputs, dict) and "command" in inputs


def is_unpinned(ref: str, pinning: PinningSettings | None = None) -> bool:
    """Whether a `uses:` value breaks the pinning policy (default: a full commit SHA).

    Args:
        ref: the `uses:` value.
        pinning: the policy; None means the default (hash-pin all, SLSA generator by tag).

    Returns:
        True when the ref must be on a SHA and is not; same-repository refs and docker://
        images (a different supply chain: digests) are never unpinned.
    """
    if ref.startswith((*SAME_REPO, "docker://")):
        return False
    action, _, version = ref.partition("@")
    if (pinning or PinningSettings()).policy(action) == "ref-pin":
        return not version
    return FULL_SHA.fullmatch(version) is None


def unpinned_actions(workflow: Workflow, pinning: PinningSettings | None = None) -> Iterator[str]:
    """One finding per `uses:` that breaks the pinning policy."""
    accepted = workflow.ignored.get("unpinned-uses", frozenset())
    for ref in uses_refs(workflow):
        if is_unpinned(ref, pinning) and f"uses: {ref}" not in accepted:
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


@dataclass
class PinnedActions:
    """Actions and reusable workflows are pinned as the policy says (default: a commit SHA)."""

    pinning: PinningSettings = field(default_factory=PinningSettings)
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
        headline = "actions not pinned to a commit SHA"
        return _verdict(
            self, snapshot, functools.partial(unpinned_actions, pinning=self.pinning), headline, fix
        )
