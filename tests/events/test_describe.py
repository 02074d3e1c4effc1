"""An event is described in a few lines: what happened, by whom, on which issue or run."""

from __future__ import annotations

from prime_action.events.describe import describe_event
from prime_action.events.model import Event, Issue


def test_an_event_is_described_with_its_issue_and_comment() -> None:
    event = Event(
        name="issues",
        action="edited",
        actor="alice",
        issue=Issue(number=4, title="Flaky CI", body="see log", state="open", author="bob"),
    )
    text = describe_event(event)
    assert text.splitlines()[0] == "issues.edited by alice"
    assert "issue #4 (open) by bob: Flaky CI" in text
    assert "see log" in text
