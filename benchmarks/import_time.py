"""Start-up cost: `prime --version`, a rules-brain wake, and what litellm would add.

Run: `python benchmarks/import_time.py [RUNS]` (default 5; the median is printed). Each figure
is a fresh interpreter, as in a GitHub Actions step. The rules-brain wake runs `prime wake
--local` on a small generated checkout and checks that litellm was never imported.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = "import sys\n{code}\nprint('litellm' in sys.modules, file=sys.stderr)"


def timed(code: str, runs: int) -> tuple[float, bool]:
    """Median wall time of `code` in a fresh interpreter, and whether litellm got imported."""
    times = []
    imported = False
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - this interpreter on our own probe code
            [sys.executable, "-c", PROBE.format(code=code)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(time.perf_counter() - start)
        imported = done.stderr.strip().endswith("True")
    return statistics.median(times), imported


def cases(checkout: str) -> dict[str, str]:
    """Name -> probe code; the wake runs on `checkout` (a directory with a README)."""
    return {
        "python (empty interpreter)": "pass",
        "prime --version": (
            "import contextlib, io\nfrom prime_action.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.suppress(SystemExit):\n    main(['--version'])"
        ),
        "prime wake --local (rules brain)": (
            "import contextlib, io\nfrom prime_action.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['wake', '--local', {checkout!r}])"
        ),
        "import litellm (what a model adds)": (
            "from prime_action.adapters.llm.litellm_client import load_litellm\nload_litellm()"
        ),
    }


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "README.md").write_text("# demo\n")
        print(f"median of {runs} fresh interpreters")
        for name, code in cases(tmp).items():
            seconds, imported = timed(code, runs)
            print(f"{name:>36}: {seconds * 1000:7.0f} ms   litellm imported: {imported}")


if __name__ == "__main__":
    main()
