"""Custom signals from the config: files matching a glob must (not) exist or (not) contain."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from prime_action.config.models import CustomSignal
from prime_action.domain.models import Fix, Severity, SignalResult
from prime_action.signals.base import RepoSnapshot, result

# Files a contains / lacks check reads at most: a glob like "**/*.py" must not fetch a tree.
MAX_FILES = 20
SHOWN = 5


def matching(paths: Sequence[str], glob: str) -> list[str]:
    """The paths a custom signal's glob matches (fnmatch, case-sensitive, `*` crosses `/`)."""
    return [p for p in paths if fnmatch.fnmatchcase(p, glob)]


@dataclass
class CustomDetector:
    """A detector built from a `custom_signals` entry."""

    spec: CustomSignal
    name: str
    severity: Severity

    @classmethod
    def of(cls, spec: CustomSignal) -> CustomDetector:
        """The detector of one config entry."""
        return cls(spec=spec, name=spec.name, severity=spec.severity)

    def wants(self, paths: Sequence[str]) -> Iterable[str]:
        """The matching files, when the check reads contents (at most MAX_FILES)."""
        if self.spec.check in ("contains", "lacks"):
            return matching(paths, self.spec.glob)[:MAX_FILES]
        return ()

    def detect(self, snapshot: RepoSnapshot) -> SignalResult:
        """Ok or failing by the entry's check; a `fix` makes the failure a fileops job."""
        found = matching(snapshot.paths, self.spec.glob)
        offending = self._offending(snapshot, found)
        if offending is None:
            return result(self, "skipped", f"no file matches {self.spec.glob}")
        if not offending:
            return result(self, "ok", f"{self.spec.glob}: {self.spec.check} holds", *found)
        detail = self.spec.detail or f"{self.spec.glob} must {self._rule()}"
        shown = "; ".join(offending[:SHOWN])
        return result(self, "failing", f"{detail} ({shown})", *offending, fix=self._fix())

    def _offending(self, snapshot: RepoSnapshot, found: list[str]) -> list[str] | None:
        check = self.spec.check
        if check == "exists":
            return [] if found else ["none found"]
        if check == "absent":
            return found
        if not found:
            return None
        pattern = re.compile(self.spec.pattern or "")
        read = found[:MAX_FILES]
        has = {p: bool(pattern.search(snapshot.files.get(p, ""))) for p in read}
        return [p for p in read if has[p] != (check == "contains")]

    def _rule(self) -> str:
        return {
            "exists": "exist",
            "absent": "not exist",
            "contains": f"contain /{self.spec.pattern}/",
            "lacks": f"not contain /{self.spec.pattern}/",
        }[self.spec.check]

    def _fix(self) -> Fix | None:
        if self.spec.fix is None:
            return None
        return Fix(runner="fileops", approach=f"Add {self.spec.fix.path} (from the config).")
