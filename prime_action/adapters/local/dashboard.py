"""The dashboard of a local wake: PATH/.prime/dashboard.md, the stand-in for the dashboard issue."""

from __future__ import annotations

from pathlib import Path

from prime_action.adapters.local.files import write_atomic
from prime_action.domain.errors import StoreError
from prime_action.domain.ports import DashboardCopy

# The local dashboard is a file, not an issue; state records it under this number.
LOCAL_NUMBER = 0


class LocalDashboard:
    """One Markdown file; ticking a box in it works like ticking it on GitHub."""

    def __init__(self, root: Path) -> None:
        self.path = root / ".prime" / "dashboard.md"

    def read_dashboard(self, number: int | None) -> DashboardCopy | None:
        """The file's text, or None before the first wake wrote it."""
        del number  # there is only one file
        try:
            return DashboardCopy(number=LOCAL_NUMBER, body=self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            msg = f"{self.path}: cannot be read ({e}); delete it and Prime writes it anew"
            raise StoreError(msg) from e

    def write_dashboard(self, number: int | None, body: str) -> int:
        """Replace the file atomically."""
        del number
        write_atomic(self.path, body)
        return LOCAL_NUMBER
