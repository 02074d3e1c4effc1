"""The one interface every detector shares, and the snapshot they all read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal, Protocol

from pydantic import Field

from prime_action.domain.ci import CiEvidence
from prime_action.domain.models import SEVERITY_WEIGHT, Fix, Severity, SignalResult, SignalStatus
from prime_action.domain.values import Frozen


class CiStatus(Frozen):
    """The combined state of the default branch's latest commit (check runs and statuses)."""

    state: Literal["success", "failure", "pending", "none"]
    sha: str = ""
    failing: tuple[str, ...] = ()  # names of the failing checks
    # What CI eyes read of a failing head (None when not failing, or not read: a local wake).
    evidence: CiEvidence | None = None


class PullRequestInfo(Frozen):
    """An open pull request, as much as the stale-prs signal needs."""

    number: int
    title: str
    author: str
    updated_at: datetime
    draft: bool = False
    by_prime: bool = False


class RepoSnapshot(Frozen):
    """Everything detectors may look at, gathered by the shell in as few reads as possible.

    Locally the shell walks the tree; remotely one recursive tree listing gives `paths`,
    and only the files that detectors ask for (see `Detector.wants`) are fetched into `files`.
    `ci` and `open_prs` are None where they cannot be known (a local checkout).
    """

    paths: tuple[str, ...]
    files: dict[str, str] = Field(default_factory=dict)
    ci: CiStatus | None = None
    open_prs: tuple[PullRequestInfo, ...] | None = None
    now: datetime
    remote: bool = False
    # Community-health files of the owner's `.github` repository, which GitHub shows in every
    # repository that has none of its own (SECURITY.md, CONTRIBUTING.md, issue templates).
    org_paths: tuple[str, ...] = ()

    def has(self, *candidates: str) -> str | None:
        """The first candidate path present (case-insensitive), or None."""
        lowered = {p.lower(): p for p in self.paths}
        for candidate in candidates:
            if candidate.lower() in lowered:
                return lowered[candidate.lower()]
        return None


class Detector(Protocol):
    """One signal: what it is called, how bad it is when failing, and how it is seen."""

    name: str
    severity: Severity

    # Paths whose contents `detect` needs, chosen from the listing (fetched before detect).
    def wants(self, paths: Sequence[str]) -> Iterable[str]: ...

    # Look at the snapshot and say ok, failing, unknown or skipped.
    def detect(self, snapshot: RepoSnapshot) -> SignalResult: ...


def fingerprint(*evidence: str) -> str:
    """A short stable hash of the evidence behind a verdict."""
    digest = hashlib.sha256("\x1f".join(evidence).encode()).hexdigest()
    return digest[:12]


def result(
    detector: Detector,
    status: SignalStatus,
    detail: str,
    *evidence: str,
    fix: Fix | None = None,
) -> SignalResult:
    """Build a SignalResult for a detector; the fingerprint hashes status and evidence."""
    return SignalResult(
        name=detector.name,
        status=status,
        detail=detail,
        fingerprint=fingerprint(detector.name, status, *evidence),
        severity=detector.severity,
        weight=SEVERITY_WEIGHT[detector.severity],
        fix=fix if status == "failing" else None,
    )
