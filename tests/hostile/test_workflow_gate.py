"""Hostile corpus: the repository workflow starts no job for issues that are not Prime's."""

from __future__ import annotations

import re

import pytest
import yaml

from prime_action.workflows import render_repo_workflow


def _issues_clause() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The body substrings and labels for which the wake job runs on an `issues` event."""
    condition = yaml.safe_load(render_repo_workflow(repo="acme/api"))["jobs"]["wake"]["if"]
    found = re.search(r"\(github\.event_name != 'issues'(.*?)\)\s*&&", condition, re.S)
    assert found is not None
    clause = found[1]
    bodies = tuple(re.findall(r"contains\(github\.event\.issue\.body, '([^']*)'\)", clause))
    labels = tuple(
        re.findall(r"contains\(github\.event\.issue\.labels\.\*\.name, '([^']*)'\)", clause)
    )
    assert clause.count("||") == len(bodies) + len(labels)  # nothing else lets an issue in
    return bodies, labels


def _starts(body: str, labels: tuple[str, ...]) -> bool:
    words, names = _issues_clause()
    # GitHub's contains() ignores case, for strings and for array items.
    return any(w.lower() in body.lower() for w in words) or any(
        n.lower() in {label.lower() for label in labels} for n in names
    )


ISSUES = {
    "a stranger's bug report": ("It crashes", (), False),
    "spam with many labels": ("buy now", ("bug", "help wanted"), False),
    "a look-alike label": ("x", ("automated-ish",), False),
    "prime in another word": ("primer paint", (), False),
    "the dashboard": ("<!-- prime:dashboard -->\n# Prime dashboard", ("automated",), True),
    "a tracking issue": ("<!-- prime:signal=ci -->", ("automated",), True),
    "a command in an issue": ("/prime pause", (), True),
    "a needs-human label": ("", ("needs-human",), True),
    "a growth ticket": ("Add search", ("ai-task",), True),
    "an upper-case label": ("", ("AUTOMATED",), True),
}


@pytest.mark.parametrize(("body", "labels", "starts"), ISSUES.values(), ids=ISSUES)
def test_an_issues_event_starts_a_job_only_when_it_concerns_prime(
    body: str, labels: tuple[str, ...], starts: bool
) -> None:
    assert _starts(body, labels) is starts


def test_no_event_text_reaches_a_run_step() -> None:
    workflow = yaml.safe_load(render_repo_workflow(repo="acme/api"))
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            assert "github.event" not in str(step.get("run", ""))
