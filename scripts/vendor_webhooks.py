"""Refresh tests/fixtures/webhooks/ from GitHub's example payloads (@octokit/webhooks-examples).

Run from the project root: `python scripts/vendor_webhooks.py` (needs `npm` on PATH).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from npm_package import npm_file  # scripts/npm_package.py

PACKAGE = "@octokit/webhooks-examples"
VERSION = "7.6.1"
# The examples of github.com itself; the ghes-* folders hold GitHub Enterprise Server's.
INDEX = "package/api.github.com/index.json"
OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "webhooks"
MAX_BYTES = 40_000

Payload = dict[str, Any]


def _any(_: Payload) -> bool:
    return True


def _completed_success(payload: Payload) -> bool:
    run = payload["workflow_run"]
    return bool(run["status"] == "completed" and run["conclusion"] == "success")


def _of_a_pull_request(payload: Payload) -> bool:
    return bool(payload["check_suite"]["pull_requests"])


def _to_default_branch(payload: Payload) -> bool:
    return bool(payload["ref"] == f"refs/heads/{payload['repository']['default_branch']}")


@dataclass(frozen=True)
class Choice:
    """Which example becomes which fixture: the first of `event` with `action` that `fits`."""

    stem: str
    event: str
    action: str | None
    fits: Callable[[Payload], bool] = _any
    note: str = ""


CHOICES = (
    Choice("issues.opened", "issues", "opened"),
    Choice("issues.edited", "issues", "edited"),
    Choice("issues.labeled", "issues", "labeled"),
    Choice("issues.reopened", "issues", "reopened"),
    Choice("issue_comment.created", "issue_comment", "created"),
    Choice(
        "workflow_run.completed",
        "workflow_run",
        "completed",
        _completed_success,
        "with status completed and conclusion success (the package has no failure)",
    ),
    Choice(
        "pull_request.closed",
        "pull_request",
        "closed",
        note="(unmerged: the package has no merged one)",
    ),
    Choice("pull_request.opened", "pull_request", "opened"),
    Choice("pull_request.synchronize", "pull_request", "synchronize"),
    Choice(
        "check_suite.completed",
        "check_suite",
        "completed",
        _of_a_pull_request,
        "whose head belongs to a pull request of the same repository",
    ),
    Choice("push", "push", None, _to_default_branch, "whose ref is the default branch"),
    # The action of repository_dispatch is the sender's free-form event_type.
    Choice("repository_dispatch", "repository_dispatch", "on-demand-test"),
    Choice(
        "workflow_dispatch",
        "workflow_dispatch",
        None,
        _to_default_branch,
        "whose ref is the default branch (Actions passes this same payload)",
    ),
)


def _closed(reopened: Payload) -> Payload:
    """The package has no `issues: closed` example: close its `reopened` one."""
    payload = copy.deepcopy(reopened)
    payload["action"] = "closed"
    payload["issue"]["state"] = "closed"
    payload["issue"]["closed_at"] = payload["issue"]["updated_at"]
    return payload


def _schedule(dispatch: Payload) -> Payload:
    """`schedule` is no webhook: what Actions writes to GITHUB_EVENT_PATH for a cron run."""
    return {
        "schedule": "17 */6 * * *",
        "workflow": ".github/workflows/prime.yml",
        "repository": dispatch["repository"],
    }


# stem -> (source stem, how it is derived, the sentence the README says about it)
DERIVED: dict[str, tuple[str, Callable[[Payload], Payload], str]] = {
    "issues.closed": (
        "issues.reopened",
        _closed,
        "`issues.reopened` with `action`, `issue.state` and `issue.closed_at` set to closed",
    ),
    "schedule": (
        "workflow_dispatch",
        _schedule,
        "schedule is no webhook, so the package has none; this is the shape GitHub Actions "
        "gives a cron run (`schedule`, `workflow`, `repository`, here `workflow_dispatch`'s); "
        "older runners sent `schedule` alone, which the parser accepts too",
    ),
}


def download() -> list[Payload]:
    """The pinned package's github.com index: one definition (name, actions, examples) per
    webhook event."""
    index: list[Payload] = json.loads(npm_file(PACKAGE, VERSION, INDEX))
    return index


def pick(index: list[Payload], choice: Choice) -> Payload:
    """The first example of the chosen event and action that fits.

    Args:
        index: the package's definitions.
        choice: what to look for.

    Returns:
        The example payload.
    """
    examples = next(d["examples"] for d in index if d["name"] == choice.event)
    for example in examples:
        if example.get("action") == choice.action and choice.fits(example):
            return dict(example)
    msg = f"{PACKAGE}@{VERSION} has no {choice.event} example fitting {choice.stem}"
    raise SystemExit(msg)


def write(stem: str, payload: Payload) -> None:
    """Write one fixture, refusing payloads too big to review."""
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    if len(text.encode()) > MAX_BYTES:
        msg = f"{stem}.json would be {len(text.encode())} bytes; choose a smaller example"
        raise SystemExit(msg)
    (OUT / f"{stem}.json").write_text(text, encoding="utf-8")
    print(f"wrote tests/fixtures/webhooks/{stem}.json")


def readme() -> str:
    """The folder's README: where each file came from and how to refresh them."""
    lines = [
        "# Webhook payload fixtures",
        "",
        f"Real example payloads from the npm package `{PACKAGE}@{VERSION}`",
        f"(`{INDEX}`),",
        "GitHub's own examples as published by octokit/webhooks. They feed the event gate's",
        "tests (tests/events/), which derive variants (sender, association, conclusion, merged)",
        "from them in code. Do not edit these files; refresh them with",
        "",
        "    .venv/bin/python scripts/vendor_webhooks.py",
        "",
        "after changing `VERSION` (or the choices) in that script.",
        "",
        "| file | source |",
        "|---|---|",
    ]
    for choice in CHOICES:
        action = f" `{choice.action}`" if choice.action else ""
        note = f" {choice.note}" if choice.note else ""
        lines.append(f"| {choice.stem}.json | first `{choice.event}`{action} example{note} |")
    for stem, (_, _, note) in DERIVED.items():
        lines.append(f"| {stem}.json | derived: {note} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Download, choose, derive and write every fixture and the README."""
    OUT.mkdir(parents=True, exist_ok=True)
    index = download()
    chosen = {choice.stem: pick(index, choice) for choice in CHOICES}
    for stem, (source, derive, _) in DERIVED.items():
        chosen[stem] = derive(chosen[source])
    for stem, payload in sorted(chosen.items()):
        write(stem, payload)
    (OUT / "README.md").write_text(readme(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
