"""What the runner workflow's read-only job hands its writing job: a short report and a patch.

gh-aw's "safe outputs" (DESIGN §8): the job that runs code the target repository controls
holds no write token; it leaves a folder that the writing job downloads as an artifact, reads
within size bounds, and takes through the PR boundary. Everything in the folder is untrusted.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationError

from prime_action.dispatch.outcomes import Outcome
from prime_action.domain.values import Frozen
from prime_action.runners.job import Job
from prime_action.runners.patch import MAX_PATCH_BYTES, PatchRefused
from prime_action.runners.result import Draft, RunResult

REPORT_FILE = "report.json"
PATCH_FILE = "changes.patch"
MAX_REPORT_BYTES = 16 * 1024
REASON_CHARS = 4000
SUMMARY_CHARS = 2000


class Produced(Frozen):
    """The read-only job's report: its draft is in the patch when `status` is `ready`."""

    attempt: str = Field(max_length=100)
    status: Literal["ready", "failed", "blocked"]
    reason: str = Field(default="", max_length=REASON_CHARS)
    summary: str = Field(default="", max_length=SUMMARY_CHARS)  # the agent's DONE line
    work: str = Field(default="", max_length=200)  # the coding loop's turns and spend
    base: str = Field(default="", pattern=r"^([0-9a-f]{40})?$")  # the checkout's commit


def produced(job: Job, done: Draft | RunResult, base: str) -> Produced:
    """The report of a draft (its files go in the patch), or of a run that ended without one."""
    if isinstance(done, Draft):
        return Produced(attempt=job.attempt, status="ready", summary=done.summary[:SUMMARY_CHARS],
                        work=done.work[:200], base=base)  # fmt: skip
    outcome = done.outcome
    status = "blocked" if outcome.status == "blocked" else "failed"
    return Produced(attempt=job.attempt, status=status, reason=outcome.reason[:REASON_CHARS],
                    base=base)  # fmt: skip


def read_report(data: bytes, job: Job) -> Produced:
    """The report as the writing job reads it: bounded, validated, of this very attempt.

    Raises:
        PatchRefused: too large, not a report, or another attempt's.
    """
    if len(data) > MAX_REPORT_BYTES:
        msg = f"{REPORT_FILE} is larger than {MAX_REPORT_BYTES // 1024} KiB"
        raise PatchRefused(msg)
    try:
        report = Produced.model_validate_json(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        msg = f"{REPORT_FILE} is not a runner's report ({where}: {first['msg']})"
        raise PatchRefused(msg) from e
    if report.attempt != job.attempt:
        msg = f"{REPORT_FILE} belongs to attempt '{report.attempt}', not '{job.attempt}'"
        raise PatchRefused(msg)
    return report


def read_patch(data: bytes) -> str:
    """The patch's text, bounded before it is decoded.

    Raises:
        PatchRefused: over MAX_PATCH_BYTES, or not UTF-8.
    """
    if len(data) > MAX_PATCH_BYTES:
        msg = f"the patch is larger than {MAX_PATCH_BYTES // 1024} KiB"
        raise PatchRefused(msg)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        msg = f"the patch is not UTF-8 text (byte {e.start})"
        raise PatchRefused(msg) from e


def ended(report: Produced) -> RunResult:
    """The outcome of a read-only job that ended without a change: failed or blocked.

    Never success: only the writing job's own proposal can say that.
    """
    status: Literal["failed", "blocked"] = "blocked" if report.status == "blocked" else "failed"
    reason = report.reason or "the read-only job ended without a reason"
    return RunResult(outcome=Outcome(attempt=report.attempt, status=status, reason=reason))
