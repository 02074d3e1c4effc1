"""What Prime's install costs a job: cold, from uv's warm cache, and what an actions/cache
restore would cost instead (action.yml keeps no such cache: a read-only runner job could
poison it; see its install step).

Run: `python benchmarks/install_time.py [RUNS]` (default 3; medians printed). Cold is a fresh
venv and `uv pip install` of this checkout with an empty uv cache (20 packages downloaded from
PyPI: the network's speed counts). Warm is the same with uv's cache filled (a runner that
kept it). Restored is what `action.yml` does on a cache hit: actions/cache unpacks the venv
(modelled by `tar -x` of the venv, which is what the cache stores; GitHub's download of about
38 MB comes on top) and the install step finds Prime importable and stops.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UV = ["python3", "-m", "uv"]  # uv as .ci/run installs it


def _timed(command: list[str], **options: object) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **options)  # noqa: S603
    return time.perf_counter() - start


def install(venv: Path, cache: Path) -> float:
    """A fresh venv with Prime installed by uv using `cache` as its cache: seconds."""
    env = os.environ | {"UV_CACHE_DIR": str(cache)}
    python = str(venv / "bin" / "python")
    return _timed([*UV, "venv", "-q", "--python", "python3", str(venv)], env=env) + _timed(
        [*UV, "pip", "install", "-q", "--python", python, str(ROOT)], env=env
    )


def restore(venv: Path, work: Path) -> float:
    """Unpack a packed venv where it was and check Prime imports, as a cache hit does: seconds."""
    archive = work / "venv.tar"
    subprocess.run(["tar", "-cf", str(archive), "-C", str(venv.parent), venv.name], check=True)  # noqa: S603, S607
    subprocess.run(["rm", "-rf", str(venv)], check=True)  # noqa: S603, S607
    check = [str(venv / "bin" / "python"), "-c", "import prime_action"]
    return _timed(["tar", "-xf", str(archive), "-C", str(venv.parent)]) + _timed(check)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cold, warm, restored = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in range(runs):
            cold.append(install(work / f"cold{n}", work / f"cache{n}"))
            warm.append(install(work / f"warm{n}", work / f"cache{n}"))
            restored.append(restore(work / f"warm{n}", work))
    print(f"install, cold (uv, empty cache, packages from PyPI): {statistics.median(cold):.2f} s")
    print(f"install, warm uv cache: {statistics.median(warm):.2f} s")
    restore_seconds = statistics.median(restored)
    print(f"install restored by actions/cache (unpack, check): {restore_seconds:.2f} s")


if __name__ == "__main__":
    main()
