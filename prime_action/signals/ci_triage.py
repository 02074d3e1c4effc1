"""CI triage, deterministic: re-run an infrastructure or first-time failure once; else blame code.

The order: a failure that persists after Prime's re-run is a code failure; an infrastructure
failure (its conclusion, or a known runner, network, registry or rate-limit message in its log
or annotations) is re-run once; a failure naming a file changed since the last green commit
is a code failure; a check that passed on the previous commit is re-run once; the rest is a
code failure, with a severity and a suspect commit. A check that failed and then passed on the
same commit is remembered as flaky (or as an infrastructure hiccup), never dispatched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

from prime_action.domain.ci import (
    APPROACH_CHARS,
    MAX_FLAKY,
    MAX_RERUNS,
    CiEvidence,
    CiMemory,
    FailedJob,
    FlakyCheck,
    Rerun,
    RerunKind,
    SinceGreen,
)
from prime_action.domain.models import SEVERITY_WEIGHT, Fix, Severity, SignalResult
from prime_action.domain.values import Frozen
from prime_action.markdown import safe_text, unmarked
from prime_action.signals.base import CiStatus
from prime_action.templating import render

# Conclusions that say the machine, not the code, stopped the job.
INFRA_CONCLUSIONS = frozenset({"cancelled", "timed_out", "startup_failure"})
# What GitHub's runners and common registries print when the infrastructure fails (matched in
# the log tail and the annotations, where GitHub puts a lost runner's message).
INFRASTRUCTURE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("runner lost", re.compile(r"lost communication with the server", re.I)),
    ("runner shutdown", re.compile(r"runner has received a shutdown signal", re.I)),
    ("job cancelled", re.compile(r"^(?:##\[error\])?The operation was canceled\.", re.M)),
    ("disk full", re.compile(r"No space left on device", re.I)),
    (
        "network error",
        re.compile(
            r"ECONNRESET|ETIMEDOUT|EAI_AGAIN|Connection reset by peer|Could not resolve host"
            r"|Temporary failure in name resolution|TLS handshake timeout|Connection timed out"
            r"|Read timed out|early EOF|The remote end hung up unexpectedly",
            re.I,
        ),
    ),
    (
        "registry error",
        re.compile(
            r"\b(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out"
            r"|RPC failed; HTTP 5\d\d|returned error: 5\d\d|HTTP (?:status |error )?5\d\d)\b",
            re.I,
        ),
    ),
    (
        "rate limited",
        re.compile(r"rate limit exceeded|429 Too Many Requests|toomanyrequests", re.I),
    ),
)
# Checks whose failure does not break the product: a lint or docs check is severe, not critical.
_STYLE_CHECK = re.compile(r"lint|format|style|docs?\b|spell|typo", re.I)
_PATH = re.compile(r"[\w./-]+\.\w+")

Kind = Literal["none", "rerun", "code"]
# How long a re-run Prime asked for may take to start before the failure is blamed on code.
RERUN_WAIT = timedelta(hours=2)


class Triage(Frozen):
    """What CI triage decided for one wake, and the CI memory to keep."""

    kind: Kind = "none"
    reruns: tuple[Rerun, ...] = ()  # to request now, one per workflow run
    cause: str = ""
    severity: Severity = "critical"
    suspect: SinceGreen | None = None
    memory: CiMemory = CiMemory()


def infrastructure(job: FailedJob) -> str | None:
    """The infrastructure cause of a job's failure, or None when nothing says so."""
    if job.conclusion in INFRA_CONCLUSIONS:
        return job.conclusion.replace("_", " ")
    text = "\n".join((job.log_tail, *job.annotations))
    return next((label for label, pattern in INFRASTRUCTURE if pattern.search(text)), None)


def named_files(job: FailedJob, changed: Iterable[str]) -> tuple[str, ...]:
    """The files changed since the last green commit that the job's evidence names."""
    named = {a.split(":", 1)[0] for a in job.annotations}
    named |= set(_PATH.findall(job.log_tail))
    return tuple(
        sorted(p for p in changed if p in named or any(n.endswith(f"/{p}") for n in named))
    )


def triage(ci: CiStatus | None, memory: CiMemory, now: datetime) -> Triage:
    """Triage the default branch's CI against what the memory holds.

    Args:
        ci: the CI status the eyes read (None: not read, a local wake).
        memory: the CI memory of the state.
        now: the moment (a flaky check's date).

    Returns:
        The verdict and the memory to keep.
    """
    if ci is None or ci.state in ("none", "pending"):
        return Triage(memory=memory)
    if ci.state == "success":
        return Triage(memory=_green(memory, ci.sha, now))
    return _failing(ci, memory, now)


def _failing(ci: CiStatus, memory: CiMemory, now: datetime) -> Triage:
    """A failing head: blamed on code after a re-run, waited for, re-run once, or code."""
    evidence = ci.evidence or CiEvidence(sha=ci.sha)
    memory = memory.model_copy(update={"evidence": evidence})
    seen = memory.model_copy(update={"seen_sha": ci.sha, "seen_failing": ci.failing})
    done = {r.run_id: r.attempt for r in memory.reruns}
    again = [j for j in evidence.jobs if j.run_attempt > done.get(j.run_id, j.run_attempt)]
    if again:
        return _code(evidence, again, "it fails again after Prime's re-run", seen)
    asked = [r for r in memory.reruns if r.run_id in {j.run_id for j in evidence.jobs}]
    if asked:
        # Asked, not started (GitHub has not queued its jobs yet): wait, but not for a re-run
        # GitHub refused (the same attempt still fails after RERUN_WAIT).
        if any(r.at is None or now - r.at < RERUN_WAIT for r in asked):
            return Triage(kind="rerun", cause="waiting for Prime's re-run", memory=seen)
        return _code(evidence, list(evidence.jobs), "Prime's re-run never started", seen)
    reruns = _reruns(evidence, memory, now)
    if reruns:
        kept = (*memory.reruns, *reruns)[-MAX_RERUNS:]
        cause = "; ".join(f"{r.kind}: {', '.join(r.checks)}" for r in reruns)
        return Triage(kind="rerun", reruns=reruns, cause=cause,
                      memory=seen.model_copy(update={"reruns": kept}))  # fmt: skip
    return _code(evidence, list(evidence.jobs), _why_code(evidence), seen)


def _reruns(evidence: CiEvidence, memory: CiMemory, now: datetime) -> tuple[Rerun, ...]:
    """One re-run per workflow run with an infrastructure or first-time failure."""
    kinds: dict[int, tuple[RerunKind, list[str], int]] = {}
    for job in evidence.jobs:
        kind = _rerun_kind(job, evidence, memory)
        if kind is None or job.run_id == 0:
            continue
        old, checks, _ = kinds.get(job.run_id, (kind, [], 0))
        infra: RerunKind = "infrastructure"
        merged = infra if infra in (old, kind) else kind
        kinds[job.run_id] = (merged, [*checks, job.check], job.run_attempt)
    return tuple(
        Rerun(
            run_id=run, sha=evidence.sha, checks=tuple(checks), kind=kind, attempt=attempt, at=now
        )
        for run, (kind, checks, attempt) in sorted(kinds.items())
    )


def _rerun_kind(job: FailedJob, evidence: CiEvidence, memory: CiMemory) -> RerunKind | None:
    if job.run_attempt > 1:
        return None  # re-run already (by a person, or by Prime before its state was lost)
    if infrastructure(job) is not None:
        return "infrastructure"
    if named_files(job, evidence.changed):
        return None  # the failure names what changed: a code failure
    return "first-time" if _first_time(job.check, evidence, memory) else None


def _first_time(check: str, evidence: CiEvidence, memory: CiMemory) -> bool:
    """Whether the check passed on the head's parent (known: the last green commit, or the
    head the memory saw last)."""
    if len(evidence.since) == 1:
        return True  # the parent is the last green commit
    parent = evidence.since[-2].sha if len(evidence.since) > 1 else ""
    return bool(parent) and parent == memory.seen_sha and check not in memory.seen_failing


def _why_code(evidence: CiEvidence) -> str:
    named = sorted({p for j in evidence.jobs for p in named_files(j, evidence.changed)})
    if named:
        return f"it names files changed since the last green commit: {', '.join(named[:5])}"
    return "it is not an infrastructure failure and did not pass on the previous commit"


def _code(evidence: CiEvidence, jobs: list[FailedJob], cause: str, memory: CiMemory) -> Triage:
    names = [j.check for j in jobs] or ["failure"]
    severity: Severity = "high" if all(_STYLE_CHECK.search(n) for n in names) else "critical"
    named = {p for j in jobs for p in named_files(j, evidence.changed)}
    touching = [c for c in evidence.since if named & set(c.files)]
    candidates = touching or list(evidence.since)
    suspect = candidates[0] if candidates else None
    return Triage(kind="code", cause=cause, severity=severity, suspect=suspect, memory=memory)


def _green(memory: CiMemory, sha: str, now: datetime) -> CiMemory:
    """A green head: the checks that failed on it before are flaky; it is the last green."""
    listed = {(f.check, f.sha) for f in memory.flaky}
    kinds = {c: r.kind for r in memory.reruns if r.sha == sha for c in r.checks}
    failed = set(kinds) | (set(memory.seen_failing) if memory.seen_sha == sha else set())
    new = [
        FlakyCheck(check=c, sha=sha, at=now,
                   kind="infrastructure" if kinds.get(c) == "infrastructure" else "flaky")
        for c in sorted(failed) if (c, sha) not in listed
    ]  # fmt: skip
    return memory.model_copy(
        update={"evidence": None, "last_green": sha, "seen_sha": sha, "seen_failing": (),
                "flaky": (*memory.flaky, *new)[-MAX_FLAKY:]}
    )  # fmt: skip


def triaged(signal: SignalResult, verdict: Triage, ci: CiStatus | None) -> SignalResult:
    """The ci signal as triage sees it: unknown while a re-run goes, else its evidence.

    The fingerprint stays the failing check names': a fix blocked on them is not retried
    per push.
    """
    if signal.status != "failing" or verdict.kind == "none":
        return signal
    if verdict.kind == "rerun":
        runs = ", ".join(str(r.run_id) for r in verdict.reruns)
        detail = (
            f"re-running the failed jobs of run {runs} once ({verdict.cause})"
            if runs
            else verdict.cause
        )
        return signal.model_copy(update={"status": "unknown", "detail": detail, "fix": None})
    evidence = ci.evidence if ci is not None else None
    suspect = verdict.suspect
    detail = f"{signal.detail}; code failure: {verdict.cause}"
    if suspect is not None:
        detail += f"; suspect {suspect.sha[:7]} {suspect.title!r}"
    approach = fitted_approach(ci.failing if ci else (), verdict, evidence)
    return signal.model_copy(
        update={"detail": detail, "severity": verdict.severity,
                "weight": SEVERITY_WEIGHT[verdict.severity],
                "fix": Fix(runner="agent", approach=approach)}
    )  # fmt: skip


def fitted_approach(checks: Iterable[str], verdict: Triage, evidence: CiEvidence | None) -> str:
    """The agent's approach with the evidence, within APPROACH_CHARS: the oldest log lines go
    first, then the annotations beyond the first, until it fits (a dispatch carries no more).
    """
    jobs = list(evidence.jobs) if evidence else []
    while True:
        shown = evidence.model_copy(update={"jobs": tuple(jobs)}) if evidence else None
        text = render(
            "ci/approach.md.j2",
            checks=tuple(checks),
            cause=verdict.cause,
            evidence=shown,
            suspect=verdict.suspect,
            fence=_fence(shown),
            text=safe_text,
            lines=unmarked,
        ).strip()
        longest = max(range(len(jobs)), key=lambda n: _weight(jobs[n]), default=None)
        if len(text) <= APPROACH_CHARS or longest is None or not _weight(jobs[longest]):
            return text[:APPROACH_CHARS]
        jobs[longest] = _shorter(jobs[longest])


def _weight(job: FailedJob) -> int:
    return len(job.log_tail) + sum(len(a) for a in job.annotations[1:])


def _shorter(job: FailedJob) -> FailedJob:
    """The job with its oldest log line dropped, or (no log left) its last annotation."""
    if job.log_tail:
        return job.model_copy(update={"log_tail": job.log_tail.partition("\n")[2]})
    return job.model_copy(update={"annotations": job.annotations[:-1]})


def _fence(evidence: CiEvidence | None) -> str:
    """A backtick fence longer than any backtick run in the logs (they cannot close it)."""
    logs = "".join(j.log_tail + "".join(j.annotations) for j in evidence.jobs) if evidence else ""
    longest = max((len(m) for m in re.findall(r"`+", logs)), default=0)
    return "`" * max(3, longest + 1)
