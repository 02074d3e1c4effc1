"""Read one file out of a pinned npm package (`npm pack`), for the vendoring scripts."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path


def npm_file(package: str, version: str, member: str) -> bytes:
    """Fetch `package@version` with `npm pack` and return one file of its tarball.

    Args:
        package: the npm package, e.g. `@octokit/openapi`.
        version: the exact version to fetch.
        member: the file's path inside the tarball, e.g. `package/schema.graphql`.

    Returns:
        The file's bytes.

    Raises:
        SystemExit: when the tarball has no such file (the package changed its layout).
    """
    with tempfile.TemporaryDirectory() as workdir:
        subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--silent", "--pack-destination", workdir],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(workdir).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            found = archive.extractfile(member)
            if found is None:
                msg = f"{tarball.name} has no {member}: list the tarball and update the path"
                raise SystemExit(msg)
            return found.read()
