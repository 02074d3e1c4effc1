"""Prime's published names and the release a package was built from (its stamp)."""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ConfigDict, ValidationError

# The one home of Prime: workflows say `uses: ACTION_REPOSITORY@<sha>`, the schemas' `$id`s
# and the editor hints point into it, PyPI's project links back to it.
ACTION_REPOSITORY = "prime-action/prime"
# On PyPI, `prime` is another project's CLI (Prime Intellect's), which installs a `prime`
# command of its own: the distribution is `prime-action`, and so is the unambiguous command.
DISTRIBUTION = "prime-action"
SCHEMA_BASE_URL = (
    f"https://raw.githubusercontent.com/{ACTION_REPOSITORY}/main/prime_action/schemas/"
)
# The file the release workflow writes into the package before building it (never committed).
STAMP_FILE = "release.json"

_SHA = re.compile(r"[0-9a-f]{40}")
_VERSION_TAG = re.compile(r"v\d+\.\d+\.\d+")


class Release(BaseModel):
    """A published release: its tag and the commit the tag points at."""

    model_config = ConfigDict(frozen=True)

    tag: str
    sha: str

    def uses(self, repository: str = ACTION_REPOSITORY) -> str:
        """The `uses:` value with its version comment: `OWNER/REPO@<sha> # vX.Y.Z`."""
        return f"{repository}@{self.sha} # {self.tag}"


def parse_stamp(text: str) -> Release | None:
    """Read the release stamp; None when it is not a release's (a tag vX.Y.Z and a full SHA).

    Args:
        text: the stamp file's JSON, `{"tag": "v1.2.3", "sha": "<40 hex>"}`.

    Returns:
        The release, or None for anything else (a damaged stamp must not pin a wrong commit).
    """
    try:
        release = Release.model_validate(json.loads(text))
    except (ValueError, ValidationError):
        return None
    if not (_SHA.fullmatch(release.sha) and _VERSION_TAG.fullmatch(release.tag)):
        return None
    return release


def is_commit_sha(ref: str) -> bool:
    """Whether a ref is a full 40-hex commit SHA (the only ref nobody can move)."""
    return bool(_SHA.fullmatch(ref))
