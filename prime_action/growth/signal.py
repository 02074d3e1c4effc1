"""The growth signal: failing while a seed.yaml epic has a task ready and room for a ticket."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from prime_action.domain.errors import ConfigError
from prime_action.domain.models import Severity, SignalResult
from prime_action.domain.ports import TrackedIssue
from prime_action.growth.architect import verdict
from prime_action.growth.seed import SEED_PATH, parse_seed
from prime_action.signals.base import RepoSnapshot, result

NO_SEED = f"no {SEED_PATH}: growth mode is off (`prime init --seed` writes one)"


class Growth:
    """Seen from the snapshot alone, the seed is checked; the wake adds the tickets' states."""

    name = "growth"
    severity: Severity = "medium"

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """The seed, when the repository has one."""
        return (SEED_PATH,) if SEED_PATH in paths else ()

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Skipped without a seed, unknown for a broken one or until the tickets are known."""
        if SEED_PATH not in snapshot.paths:
            return evaluate(None, None)
        text = snapshot.files.get(SEED_PATH)
        if text is None:
            return result(self, "unknown", f"{SEED_PATH} is listed but was not read")
        return evaluate(text, None)


GROWTH = Growth()


def evaluate(text: str | None, issues: tuple[TrackedIssue, ...] | None) -> SignalResult:
    """The growth signal from the seed's text and, when the wake knows them, the issues.

    Args:
        text: seed.yaml's text, or None when the repository has none.
        issues: the wake's issues (open and closed), or None when they are not known.

    Returns:
        skipped (no seed), unknown (a broken seed, or tickets not known), ok or failing.
    """
    if text is None:
        return result(GROWTH, "skipped", NO_SEED)
    try:
        seed = parse_seed(text)
    except ConfigError as e:
        return result(GROWTH, "unknown", f"{e}", text)
    tasks = sum(len(epic.tasks) for epic in seed.growth_objectives.epics)
    if issues is None:
        if not tasks:
            return result(GROWTH, "ok", f"{SEED_PATH} lists no task", text)
        detail = f"{tasks} task(s) in {SEED_PATH}; the wake counts their tickets"
        return result(GROWTH, "unknown", detail, text)
    status, detail, evidence = verdict(seed, issues)
    return result(GROWTH, status, detail, evidence)
