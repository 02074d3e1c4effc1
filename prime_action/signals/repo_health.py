"""Live-state detectors: CI on the default branch and stale pull requests (remote only)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from prime_action.domain.models import Fix, Severity, SignalResult
from prime_action.signals.base import CiStatus, PullRequestInfo, RepoSnapshot, result

# How many pull requests a detail names before it says "and N more".
SHOWN = 5


class Ci:
    """The default branch's latest commit passes its checks."""

    name: str = "ci"
    # Not a Scorecard check: Prime ranks it first because a red default branch blocks
    # every other fix (each PR's checks fail too).
    severity: Severity = "critical"

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """CI state comes from the API, not from files."""
        return ()

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Ok, failing with the failing check names, or unknown when not (yet) knowable."""
        ci = snapshot.ci
        if ci is None:
            where = "was not read" if snapshot.remote else "is not visible from a local checkout"
            return result(self, "unknown", f"CI status {where}")
        if ci.state == "failure":
            return self._failing(ci)
        if ci.state == "success":
            return result(self, "ok", f"checks pass on {ci.sha[:7] or 'the default branch'}")
        what = "checks still running" if ci.state == "pending" else "no checks reported"
        return result(self, "unknown", f"{what} on {ci.sha[:7] or 'the default branch'}")

    def _failing(self, ci: CiStatus) -> SignalResult:
        names = sorted(set(ci.failing))
        listed = ", ".join(names) or "unnamed checks"
        fix = Fix(
            runner="agent",
            approach=(
                f"Make the default branch green: fix the cause of the failing checks ({listed}); "
                "never skip, disable or weaken a check to pass it."
            ),
        )
        # The evidence is the set of failing checks, not the commit: the same checks failing
        # on the next push are the same problem, and a blocked fix must not retry per push.
        detail = f"failing on {ci.sha[:7] or 'the default branch'}: {listed}"
        return result(self, "failing", detail, *(names or ["failure"]), fix=fix)


def _describe(pr: PullRequestInfo, days: int) -> str:
    return f"#{pr.number} {pr.title!r} by {pr.author} ({days} days)"


@dataclass
class StalePrs:
    """No open, ready-for-review pull request sits untouched for `days` days or more."""

    days: int = 14
    name: str = "stale-prs"
    severity: Severity = "low"

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """Pull requests come from the API, not from files."""
        return ()

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Failing naming the stale pull requests; there is no automatic fix for these."""
        if snapshot.open_prs is None:
            if snapshot.remote:
                return result(self, "unknown", "open pull requests were not read")
            return result(self, "skipped", "open pull requests are not visible locally")
        cutoff = snapshot.now - timedelta(days=self.days)
        # Drafts are work in progress by declaration: an old draft is not waiting on anyone.
        stale = sorted(
            (pr for pr in snapshot.open_prs if not pr.draft and pr.updated_at <= cutoff),
            key=lambda pr: pr.updated_at,
        )
        if not stale:
            detail = f"{len(snapshot.open_prs)} open, none idle for {self.days}+ days"
            return result(self, "ok", detail)
        shown = [_describe(pr, (snapshot.now - pr.updated_at).days) for pr in stale[:SHOWN]]
        more = f"; and {len(stale) - SHOWN} more" if len(stale) > SHOWN else ""
        detail = f"{len(stale)} idle for {self.days}+ days: {'; '.join(shown)}{more}"
        return result(self, "failing", detail, *(str(n) for n in sorted(pr.number for pr in stale)))
