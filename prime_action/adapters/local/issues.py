"""Issue store over PATH/.prime/issues/N.json: the local stand-in for GitHub issues."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prime_action.adapters.local.files import read_json, write_atomic
from prime_action.domain.errors import StoreError
from prime_action.domain.markers import find_data, find_signal
from prime_action.domain.ports import TrackedIssue


class LocalIssueStore:
    """Tracking issues as JSON files; a file a human set to "closed" counts as a human 'no'."""

    def __init__(self, root: Path) -> None:
        self._dir = root / ".prime" / "issues"

    def _path(self, number: int) -> Path:
        return self._dir / f"{number}.json"

    def _all(self) -> list[dict[str, Any]]:
        if not self._dir.exists():
            return []
        issues = [read_json(p) for p in self._dir.glob("*.json")]
        for issue, path in zip(issues, self._dir.glob("*.json"), strict=True):
            if not isinstance(issue, dict) or not isinstance(issue.get("number"), int):
                msg = f"{path}: not a Prime issue (no 'number'); fix or delete the file"
                raise StoreError(msg)
        return sorted(issues, key=lambda i: int(i["number"]))

    def _save(self, issue: dict[str, Any]) -> None:
        write_atomic(self._path(issue["number"]), json.dumps(issue, indent=2) + "\n")

    def get(self, number: int) -> dict[str, Any]:
        """One issue's raw record (for reports and tests)."""
        return dict(read_json(self._path(number)))

    def tracking_issues(self) -> list[TrackedIssue]:
        """Every issue whose body carries a signal marker."""
        return [self._tracked(i) for i in self._all() if find_signal(i.get("body"))]

    @staticmethod
    def _tracked(issue: dict[str, Any]) -> TrackedIssue:
        closed = issue.get("state") == "closed"
        return TrackedIssue(
            number=issue["number"],
            signal=find_signal(issue.get("body")) or "",
            title=issue.get("title", ""),
            state="closed" if closed else "open",
            labels=tuple(issue.get("labels", ())),
            fingerprint=str(find_data(issue.get("body")).get("fingerprint", "")),
            closed_by_human=closed and issue.get("closed_by") != "prime",
            state_reason=issue.get("state_reason") if closed else None,
        )

    def open_issue(self, signal: str, title: str, body: str, labels: tuple[str, ...]) -> int:
        """Reuse the signal's issue (reopening it) or create the next number."""
        existing = [i for i in self._all() if find_signal(i.get("body")) == signal]
        if existing:
            issue = existing[-1]
            issue.update(title=title, body=body, state="open", closed_by=None)
            issue["labels"] = sorted({*issue.get("labels", ()), *labels})
        else:
            number = max((i["number"] for i in self._all()), default=0) + 1
            issue = {
                "number": number,
                "title": title,
                "body": body,
                "state": "open",
                "labels": sorted(labels),
                "comments": [],
            }
        self._save(issue)
        return int(issue["number"])

    def comment(self, number: int, body: str, marker: str) -> None:
        """Append a comment unless one with the same marker exists."""
        issue = self.get(number)
        if any(marker in c for c in issue.get("comments", ())):
            return
        issue["comments"] = [*issue.get("comments", ()), body]
        self._save(issue)

    def close_issue(self, number: int, note: str) -> None:
        """Close as completed, marked as closed by Prime, the note added to the description."""
        issue = self.get(number)
        if issue.get("state") == "closed":
            return
        body = f"{str(issue.get('body') or '').rstrip()}\n\n{note.strip()}\n"
        issue.update(state="closed", state_reason="completed", closed_by="prime", body=body)
        self._save(issue)

    def set_labels(self, number: int, add: tuple[str, ...], remove: tuple[str, ...]) -> None:
        """Add and remove labels."""
        issue = self.get(number)
        labels = sorted((set(issue.get("labels", ())) | set(add)) - set(remove))
        if labels != sorted(issue.get("labels", ())):
            issue["labels"] = labels
            self._save(issue)
