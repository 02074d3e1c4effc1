#!/usr/bin/env bash
# The wheel users install: built from the project's files, it holds the package and its templates
# and no test support (`testing/`, `tests/`), and a fresh venv with only the wheel (and its locked
# runtime dependencies) runs `prime wake --local` on a copy of this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
uv() { python3 -m uv "$@"; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
uv build --quiet --wheel --out-dir "$tmp/dist"
wheel=("$tmp"/dist/*.whl)
python3 - "${wheel[0]}" <<'PY'
import sys
import zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
tops = sorted({n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")})
stray = [n for n in names if n.startswith(("testing/", "tests/", "prime_action/testing/"))]
if tops != ["prime_action"] or stray:
    sys.exit(f"check_wheel: the wheel holds {tops} and test support {stray[:5]}; only prime_action")
if not any(n.startswith("prime_action/templates/") for n in names):
    sys.exit("check_wheel: the wheel holds no templates (prime_action/templates/)")
print(f"check_wheel: {len(names)} files, only prime_action, no test support")
PY
# The runtime dependencies as locked (no extras), then the wheel itself.
uv export --quiet --frozen --no-dev --no-emit-project --no-hashes -o "$tmp/requirements.txt"
uv venv --quiet --python python3 "$tmp/venv"
uv pip install --quiet --python "$tmp/venv/bin/python" -r "$tmp/requirements.txt" "${wheel[0]}"
mkdir "$tmp/checkout" && git archive HEAD | tar -x -C "$tmp/checkout"
(cd "$tmp/checkout" && "$tmp/venv/bin/prime" wake --local . >"$tmp/wake.txt")
grep -q "^Next wake: " "$tmp/wake.txt" || { cat "$tmp/wake.txt"; echo "check_wheel: no wake report" >&2; exit 1; }
echo "check_wheel: prime wake --local . ran from the installed wheel"
