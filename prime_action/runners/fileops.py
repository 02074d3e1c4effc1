"""The fileops runner: a signal's templated fix, proposed as one PR through the boundary."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from prime_action.config.models import CustomFix
from prime_action.domain.errors import UsageError
from prime_action.domain.markers import data_marker, find_data, pull_marker
from prime_action.domain.values import Frozen
from prime_action.fileops.fixes import FixPlan, NeedsHuman, plan_fix
from prime_action.runners.boundary import (
    DEFAULT_POLICY,
    BoundaryError,
    Proposal,
    PrPolicy,
    PullRequestHost,
    branch_name,
    propose,
)
from prime_action.runners.guardrails import (
    PullInfo,
    content_digests,
    content_hash,
    content_marker,
)
from prime_action.runners.job import Job
from prime_action.runners.result import RunResult, blocked, failed, from_proposal, from_refusal
from prime_action.templating import render


class RepoListing(Frozen):
    """What a fix needs to know about the target repository's default branch."""

    paths: tuple[str, ...]
    files: dict[str, str] = Field(default_factory=dict)  # the CONTENT_FILES that exist
    owner: str  # @user or @org: SECURITY.md's maintainers, the license's holder
    license_id: str = "MIT"
    code_owner: str | None = None  # a person or @org/team for CODEOWNERS; None: not known
    custom_fixes: dict[str, CustomFix] = Field(default_factory=dict)  # the config's, by signal


# The branch (prime/fileops) that carries every template fix while its PR is open (prs.group).
GROUP = "fileops"


def pr_marker(signal: str) -> str:
    """The hidden marker of a signal's PR."""
    return pull_marker(signal)


def run_fileops(  # noqa: PLR0917 -- the job, where, and the two injected values
    job: Job,
    listing: RepoListing,
    host: PullRequestHost,
    issue: int | None,
    now: datetime,
    policy: PrPolicy = DEFAULT_POLICY,
    companions: tuple[str, ...] = (),
) -> RunResult:
    """Render the fix against the remote listing and propose it; every result is an Outcome.

    Args:
        job: the dispatched attempt.
        listing: the target's file listing and the few file contents the fix reads.
        host: the target repository behind the PR boundary.
        issue: the signal's tracking issue (the PR says `Fixes #n`), if any.
        now: the current moment (injected; the copyright year and the hourly PR limits).
        policy: the repository's PR rules.
        companions: the repository's other planned template fixes: with `prs.group:
            fileops` they join this job's PR at once (their own jobs then find their change
            open), so a repository's template fixes arrive in one PR, not one per dispatch.

    Returns:
        success with the PR URL, success without a PR when nothing differs, or failed.
    """
    try:
        plan = _plan(job.signal, listing, now)
    except NeedsHuman as e:
        return blocked(job.attempt, str(e))
    except UsageError as e:
        return failed(job.attempt, str(e))
    changes = plan.changes()
    if not changes:
        return from_proposal(job.attempt, job.signal, Proposal(note="nothing to change"))
    body = render(
        "pulls/fileops.md.j2",
        marker=pr_marker(job.signal),
        signal=job.signal,
        approach=job.approach,
        files=sorted(changes),
        present=plan.present,
        issue=issue,
        attempt=job.attempt,
    )
    title = f"Prime: fix {job.signal}"
    branch = None
    if policy.limits.group == GROUP:
        branch = branch_name(GROUP)
        joining = _companions(companions, job, listing, now)
        title, body = _grouped(host.pulls(), branch, job, {job.signal: changes, **joining}, issue)
        changes = {path: text for member in joining.values() for path, text in member.items()}
        changes |= plan.changes()
    try:
        proposal = propose(host, job.signal, changes, title=title, body=body, now=now,
                           policy=policy, branch=branch)  # fmt: skip
    except BoundaryError as e:
        return from_refusal(job.attempt, e)
    return from_proposal(job.attempt, job.signal, proposal)


def _plan(signal: str, listing: RepoListing, now: datetime) -> FixPlan:
    """A signal's template fix against the listing."""
    return plan_fix(
        signal,
        listing.paths,
        owner=listing.owner,
        license_id=listing.license_id,
        year=now.year,
        files=listing.files,
        code_owner=listing.code_owner,
        custom_fixes=listing.custom_fixes,
    )


def _companions(
    signals: tuple[str, ...], job: Job, listing: RepoListing, now: datetime
) -> dict[str, dict[str, str]]:
    """The changes of the other template fixes that can join now (one that needs a person
    or fails is left to its own job, which says so)."""
    found: dict[str, dict[str, str]] = {}
    for signal in signals:
        if signal == job.signal:
            continue
        try:
            plan = _plan(signal, listing, now)
        except UsageError:  # NeedsHuman included
            continue
        if plan.changes():
            found[signal] = plan.changes()
    return found


def _grouped(
    pulls: tuple[PullInfo, ...],
    branch: str,
    job: Job,
    joining: dict[str, dict[str, str]],
    issue: int | None,
) -> tuple[str, str]:
    """The title and body of the repository's one fileops PR with these fixes added.

    The open PR's members (signal -> files and tracking issue, kept in its data marker) and
    its content markers (what the boundary's dedup finds) are carried over, and each member
    brought now gets the content marker of its own change, so its own job finds it open; a
    rerun changes nothing.
    """
    own = next((p for p in pulls if p.head == branch and p.state == "open"), None)
    members = dict(find_data(own.body).get("members", {})) if own else {}
    for signal, files in joining.items():
        members[signal] = {"files": sorted(files), "issue": issue if signal == job.signal else
                           members.get(signal, {}).get("issue")}  # fmt: skip
    body = render(
        "pulls/fileops-group.md.j2",
        pull_marker=pr_marker,
        members=members,
        data=data_marker({"members": members}),
        attempt=job.attempt,
    )
    brought = [content_hash(files) for name, files in joining.items() if name != job.signal]
    digests = [*content_digests(own.body if own else ""), *brought]
    kept = "".join(f"{content_marker(d)}\n" for d in dict.fromkeys(digests))
    title = (
        f"Prime: template fixes ({len(members)})"
        if len(members) > 1
        else f"Prime: fix {job.signal}"
    )
    return title, f"{body.rstrip()}\n{kept}"
