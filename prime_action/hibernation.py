"""The scheduled tick's first question, asked before Prime is installed: is Prime asleep?

Run by `action.yml` as a plain script with the standard library alone, so a sleeping
repository pays for one request and no install (DESIGN §3 step 1). It reads `next_wake_at`
from the state branch and writes `asleep=true|false` to the step's outputs; anything it
cannot read or understand means "awake", and the full wake decides.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

STATE_URL = "{api}/repos/{repo}/contents/state.json?ref=prime-state"
TIMEOUT_SECONDS = 10


def sleeping(event: str, next_wake_at: str | None, now: datetime) -> bool:
    """Whether a tick finds Prime asleep: a scheduled event before its next wake time.

    Args:
        event: GITHUB_EVENT_NAME.
        next_wake_at: the state's `next_wake_at` (ISO 8601), or None.
        now: the current moment (aware).

    Returns:
        True only for a schedule event strictly before a readable next wake time.
    """
    if event != "schedule" or not next_wake_at:
        return False
    try:
        wake_at = datetime.fromisoformat(next_wake_at.replace("Z", "+00:00"))
    except ValueError:
        return False
    return wake_at.tzinfo is not None and now < wake_at


def next_wake(environ: Mapping[str, str]) -> str | None:
    """`next_wake_at` from the state branch in one request (raw media: any size), or None."""
    url = STATE_URL.format(
        api=environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
        repo=environ["GITHUB_REPOSITORY"],
    )
    request = urllib.request.Request(  # noqa: S310 -- the Actions API URL, https on GitHub
        url,
        headers={
            "Accept": "application/vnd.github.raw+json",
            "Authorization": f"Bearer {environ.get('GITHUB_TOKEN', '')}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "prime-hibernation-check",
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
        state = json.loads(answer.read())
    value = state.get("next_wake_at") if isinstance(state, dict) else None
    return value if isinstance(value, str) else None


def main(environ: Mapping[str, str] | None = None, now: datetime | None = None) -> int:
    """Write `asleep=` to GITHUB_OUTPUT and say why; never fails the step."""
    environ = os.environ if environ is None else environ
    now = now or datetime.now(UTC)
    event = environ.get("GITHUB_EVENT_NAME", "")
    wake_at: str | None = None
    if event == "schedule":
        try:
            wake_at = next_wake(environ)
        except Exception as e:  # any failure means: let the full wake decide
            print(f"Prime: state not read ({type(e).__name__}); waking to look")
    asleep = sleeping(event, wake_at, now)
    if asleep:
        print(f"Prime is asleep until {wake_at}: nothing installed, nothing written")
    output = environ.get("GITHUB_OUTPUT")
    if output:
        with Path(output).open("a", encoding="utf-8") as handle:
            handle.write(f"asleep={'true' if asleep else 'false'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
