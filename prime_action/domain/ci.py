"""What Prime read about a failing default branch, and what it remembers about its CI."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from prime_action.domain.values import Frozen

# The bounds of what one wake keeps of a failing job (untrusted text, stored in state.json).
LOG_LINES = 80
LOG_CHARS = 6000
MAX_ANNOTATIONS = 10
# What the ci job's approach may hold: a workflow_dispatch input carries no more
# (adapters/github/dispatch.py cuts its inputs there).
APPROACH_CHARS = 1000
# Run ids re-run and flaky checks remembered (the oldest are forgotten first).
MAX_RERUNS = 50
MAX_FLAKY = 10


class FailedJob(Frozen):
    """One failing check: its Actions job when it is one, with the evidence GitHub keeps."""

    check: str
    conclusion: str
    job_id: int = 0  # the Actions job (the same id as its check run); 0: not an Actions job
    run_id: int = 0
    run_attempt: int = 1
    step: str = ""  # the first failing step
    annotations: tuple[str, ...] = ()  # "path:line: message", at most MAX_ANNOTATIONS
    log_tail: str = ""  # the last LOG_LINES lines, at most LOG_CHARS, credentials masked


class SinceGreen(Frozen):
    """A commit pushed since the last green one (oldest first), with the files it touched."""

    sha: str
    title: str
    files: tuple[str, ...] = ()


class CiEvidence(Frozen):
    """Everything read about one failing head commit, cached by its SHA and failing checks."""

    sha: str
    checks: tuple[int, ...] = ()  # the failing check runs' ids the evidence was read for
    jobs: tuple[FailedJob, ...] = ()
    last_green: str = ""  # "" when no green commit was found
    since: tuple[SinceGreen, ...] = ()
    changed: tuple[str, ...] = ()  # every file changed since the last green commit


class FlakyCheck(Frozen):
    """A check that failed and then passed on the same commit."""

    check: str
    sha: str
    at: datetime
    # Why it failed first: an infrastructure failure, or a test that is flaky.
    kind: Literal["flaky", "infrastructure"] = "flaky"


RerunKind = Literal["infrastructure", "first-time"]


class Rerun(Frozen):
    """A workflow run whose failed jobs Prime re-ran once (never twice)."""

    run_id: int
    sha: str
    checks: tuple[str, ...]
    kind: RerunKind
    attempt: int = 1  # the run's attempt that failed: a later one is the re-run's
    at: datetime | None = None  # when it was asked


class CiMemory(Frozen):
    """The CI part of the working memory: the cached evidence, re-runs made, flaky checks."""

    evidence: CiEvidence | None = None
    reruns: tuple[Rerun, ...] = ()
    # The head last seen, with its failing checks: a check failing on the next commit that
    # was not failing here fails for the first time.
    seen_sha: str = ""
    seen_failing: tuple[str, ...] = ()
    last_green: str = ""  # the last head seen green (spares a request when CI fails)
    flaky: tuple[FlakyCheck, ...] = ()
