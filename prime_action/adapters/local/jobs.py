"""Job queue over PATH/.prime/jobs.jsonl: what a runner would pick up, readable by a human."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from prime_action.adapters.local.files import write_atomic
from prime_action.domain.models import RunnerType


class LocalJobQueue:
    """Jobs are appended once per (signal, fingerprint); resubmitting returns the same id."""

    def __init__(self, root: Path) -> None:
        self._path = root / ".prime" / "jobs.jsonl"

    def jobs(self) -> list[dict[str, str]]:
        """Every queued job, oldest first."""
        if not self._path.exists():
            return []
        lines = self._path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def attempt_id(self, signal: str, fingerprint: str) -> str:
        """The id of the job for (signal, fingerprint): the same on every rerun."""
        return hashlib.sha256(f"local/{signal}/{fingerprint}".encode()).hexdigest()[:12]

    def submit(self, signal: str, runner: RunnerType, approach: str, fingerprint: str) -> str:
        """Queue a job and return its attempt id (the existing one on a rerun)."""
        attempt_id = self.attempt_id(signal, fingerprint)
        jobs = self.jobs()
        if any(job["id"] == attempt_id for job in jobs):
            return attempt_id
        job = {
            "id": attempt_id,
            "signal": signal,
            "runner": runner,
            "approach": approach,
            "fingerprint": fingerprint,
            "status": "pending",
        }
        text = "".join(json.dumps(j, sort_keys=True) + "\n" for j in [*jobs, job])
        write_atomic(self._path, text)
        return attempt_id
