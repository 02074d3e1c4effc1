"""What a scheduled tick costs: the pre-install hibernation check against an install and a wake.

Run: `python benchmarks/hibernation_tick.py [RUNS]` (default 5; medians printed). The check is
`action.yml`'s first step as a fresh `python3` process, answered by a local stand-in for the
contents API on 127.0.0.1 (no GitHub latency: add about 0.1-0.3 s per request on a runner).
The full path is what an awake tick pays before deciding: a fresh venv, Prime installed with
uv from its local cache (the warm case; a runner without a cache downloads 20 packages
first), then `prime wake --local` on a copy of this checkout. Billed minutes are per job,
rounded up to a whole minute on private repositories.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE = json.dumps({"next_wake_at": "2999-01-01T00:00:00Z"}).encode()


class _State(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(STATE)))
        self.end_headers()
        self.wfile.write(STATE)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


def _median(command: list[str], runs: int, **options: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, **options)  # noqa: S603
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def check_seconds(runs: int, work: Path) -> float:
    """The hibernation check's wall time, asleep, against the local stand-in."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _State)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_REPOSITORY": "acme/api",
        "GITHUB_API_URL": f"http://127.0.0.1:{server.server_address[1]}",
        "GITHUB_TOKEN": "t",
        "GITHUB_OUTPUT": str(work / "output"),
    }
    try:
        script = str(ROOT / "prime_action" / "hibernation.py")
        seconds = _median(["python3", script], runs, env=env)
    finally:
        server.shutdown()
    assert (work / "output").read_text().startswith("asleep=true")
    return seconds


def full_seconds(runs: int, work: Path) -> tuple[float, float]:
    """(install, local wake) wall times: uv venv + install from the warm cache, one wake."""
    installs, wakes = [], []
    checkout = work / "checkout"
    checkout.mkdir()
    git = ["git", "archive", "HEAD"]
    archive = subprocess.run(git, cwd=ROOT, capture_output=True, check=True)  # noqa: S603
    untar = ["tar", "-x", "-C", str(checkout)]
    subprocess.run(untar, input=archive.stdout, check=True)  # noqa: S603
    for n in range(runs):
        venv = work / f"venv{n}"
        uv = ["python3", "-m", "uv"]  # uv as .ci/run installs it
        installs.append(
            _median([*uv, "venv", "-q", "--python", "python3", str(venv)], 1)
            + _median(
                [*uv, "pip", "install", "-q", "--python", str(venv / "bin/python"), str(ROOT)], 1
            )
        )
        wakes.append(_median([str(venv / "bin/prime"), "wake", "--local", str(checkout)], 1))
    return statistics.median(installs), statistics.median(wakes)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        check = check_seconds(runs, work)
        install, wake = full_seconds(max(runs // 2, 1), work)
    print(f"hibernation check (asleep, 1 request): {check:.3f} s")
    print(f"install (uv, warm cache): {install:.2f} s; local wake: {wake:.2f} s")
    print(f"a sleeping tick costs {check / (install + wake):.1%} of an awake tick's wall time")
    print("billed minutes a month per idle private repository (1 per job, rounded up):")
    for label, per_day in (("hourly", 24), ("every 3 hours", 8), ("every 6 hours", 4)):
        print(f"  schedule {label}: {per_day * 30} minutes")


if __name__ == "__main__":
    main()
