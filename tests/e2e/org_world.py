"""An org of many repositories in the fake GitHub: managed and unmanaged, archived, forks,
failing CI, missing files; shared by the Org Prime end-to-end test and the benchmark."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prime_action.domain.models import Fix, PlanItem, PrimeState, SignalResult
from testing.github import FakeGitHub

OWNER = "acme"
ORG_REPO = f"{OWNER}/prime-org"
NOW = datetime(2026, 3, 20, 7, 0, tzinfo=UTC)
DISPATCH = "name: Prime dispatch\non:\n  workflow_dispatch:\npermissions: {}\njobs: {}\n"
WORKFLOW_UNPINNED = (
    "name: CI\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: actions/checkout@v4\n      - uses: someone/action@v1\n"
)


def _state(index: int) -> str:
    signal = SignalResult(
        name="dependabot",
        status="failing",
        detail="npm not covered",
        fingerprint=f"d{index}",
        severity="high",
        weight=7.5,
        fix=Fix(runner="fileops", approach="add dependabot.yml"),
    )
    item = PlanItem(
        signal="dependabot",
        runner="fileops",
        approach="add dependabot.yml",
        reason="npm not covered",
        weight=7.5,
        fingerprint=f"d{index}",
        added_at=NOW,
    )
    state = PrimeState(plan=(item,), signals=(signal,))
    return state.model_dump_json()


def _files(index: int) -> dict[str, str]:
    files = {"package.json": '{"name": "svc"}\n', "src/app/main.js": "console.log(1)\n"}
    if index % 3:
        files |= {"README.md": "# svc\n", "LICENSE": "MIT\n", ".gitignore": "node_modules\n"}
    if index % 5 == 0:
        files |= {"SECURITY.md": "report\n", ".github/dependabot.yml": "version: 2\nupdates: []\n"}
    if index % 2:
        files[".github/workflows/ci.yml"] = WORKFLOW_UNPINNED
    return files


# Every remote repository opted in: the tests rank the work the unmanaged ones offer.
ORG_CONFIG = "version: 1\ndispatch_unmanaged: ['*']\n"


def build_org(fake: FakeGitHub, size: int, config: str = "") -> list[str]:
    """Create the org repository and `size` repositories; return the looked-after ones."""
    fake.add_repo(
        ORG_REPO,
        {
            ".github/prime-org.yml": config or ORG_CONFIG,
            ".github/workflows/prime-dispatch.yml": DISPATCH,
        },
    )
    kept = []
    for index in range(size):
        name = f"{OWNER}/svc-{index:04d}"
        archived, fork = index % 10 == 9, index % 13 == 12
        fake.add_repo(
            name,
            _files(index),
            archived=archived,
            fork=fork,
            topics=("api",) if index % 2 else ("web",),
        )
        if index % 4 == 0:
            fake.push(name, {"state.json": _state(index)}, branch="prime-state")
        if index % 7 == 3:
            fake.set_ci(name, "failure", failing=["test"])
        elif index % 7 == 4:
            fake.set_ci(name, "success")
        if not (archived or fork):
            kept.append(name)
    return kept


def actions_env(
    fake: FakeGitHub, tmp: Path, event: str = "schedule", payload: str = "{}"
) -> dict[str, str]:
    """The environment the org workflow gives `prime org`."""
    path = tmp / "event.json"
    path.write_text(payload)
    summary = tmp / "summary.md"
    summary.write_text("")
    return {
        "GITHUB_REPOSITORY": ORG_REPO,
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(path),
        "GITHUB_TOKEN": "t0ken-never-printed",
        "GITHUB_API_URL": fake.base_url,
        "GITHUB_STEP_SUMMARY": str(summary),
        "PRIME_WRITE_SPACING": "0",
    }
