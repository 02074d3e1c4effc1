"""Write the release stamp into the package before it is built: `prime init` pins by it.

Usage: python scripts/stamp_release.py TAG SHA [PACKAGE_DIR]
The tag must be `v` + the package's version, the SHA the tagged commit's (40 hex).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    """Check the tag against the version, write prime_action/release.json; 2 on a mismatch."""
    tag, sha, *rest = argv
    package = Path(rest[0]) if rest else ROOT / "prime_action"
    init = (package / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', init)
    version = found.group(1) if found else "?"
    if tag != f"v{version}":
        print(f"tag {tag} is not v{version}, the version in {package}/__init__.py", file=sys.stderr)
        return 2
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        print(f"{sha} is not a full commit SHA", file=sys.stderr)
        return 2
    stamp = json.dumps({"tag": tag, "sha": sha}, indent=2) + "\n"
    (package / "release.json").write_text(stamp, encoding="utf-8")
    print(f"stamped {package}/release.json: {tag} at {sha}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
