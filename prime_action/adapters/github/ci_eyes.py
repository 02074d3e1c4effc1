"""CI eyes: what a failing default branch left behind, read only when it fails, cached by SHA.

Per failing check (at most MAX_JOBS): its annotations (only when it has some), its Actions
job (the job's id is the check run's id: one read gives the run, the attempt and the steps)
and the tail of the job's log (a read answered with a 302 to a signed URL, then that URL);
then the last green commit (remembered in state, else one read) and one compare.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence

import requests
from github.CheckRun import CheckRun
from github.CheckRunAnnotation import CheckRunAnnotation
from github.Repository import Repository
from github.WorkflowJob import WorkflowJob

from prime_action.adapters.github.client import GitHubClient
from prime_action.brain.redact import redact
from prime_action.domain.ci import (
    LOG_CHARS,
    LOG_LINES,
    MAX_ANNOTATIONS,
    CiEvidence,
    CiMemory,
    FailedJob,
    SinceGreen,
)
from prime_action.domain.errors import GitHubError

MAX_JOBS = 3
# Commits since the last green one whose files are read one by one (one read each); with one
# commit the compare's files are its files.
MAX_COMMIT_READS = 3
MAX_CHANGED = 300
# A job log is downloaded whole (GitHub's signed URL takes no range): its last bytes are kept.
LOG_KEEP_BYTES = 64 * 1024
LOG_MAX_BYTES = 32 * 1024 * 1024
LOG_TIMEOUT_SECONDS = 30
ACTIONS_APP = "github-actions"
FAILED_STEP = frozenset({"failure", "timed_out", "cancelled"})
# Each log line starts with its timestamp; colour codes come from the tools.
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z ", re.M)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class CiEyes:
    """Reads the evidence of a failing head commit, or gives back the cached one."""

    def __init__(
        self, client: GitHubClient, repo: Repository, branch: str, memory: CiMemory | None
    ) -> None:
        self._client = client
        self._repo = repo
        self._branch = branch
        self._memory = memory or CiMemory()

    def read(self, sha: str, failing: Sequence[CheckRun], statuses: Sequence[str]) -> CiEvidence:
        """The evidence for `sha`: nothing read when the state holds it for the same checks.

        Args:
            sha: the failing head commit.
            failing: its failing check runs.
            statuses: its failing commit-status contexts (CI outside Actions: no job to read).

        Returns:
            The evidence; what could not be read is left out (a missing permission, a log gone).
        """
        checks = tuple(sorted(r.id for r in failing))
        cached = self._memory.evidence
        if cached is not None and cached.sha == sha and cached.checks == checks:
            return cached
        ordered = sorted(failing, key=lambda r: r.name)
        jobs = [self._job(r) for r in ordered[:MAX_JOBS]]
        jobs += [FailedJob(check=c, conclusion="failure") for c in statuses]
        green = self._memory.last_green or self._last_green(sha)
        since, changed = self._since(green, sha) if green and green != sha else ((), ())
        return CiEvidence(sha=sha, checks=checks, jobs=tuple(jobs), last_green=green,
                          since=since, changed=changed)  # fmt: skip

    def _job(self, check: CheckRun) -> FailedJob:
        found = FailedJob(check=check.name, conclusion=check.conclusion or "failure")
        notes = self._annotations(check)
        if check.app is None or check.app.slug != ACTIONS_APP:
            return found.model_copy(update={"annotations": notes})
        job = self._repo.get_workflow_job(check.id)
        try:
            self._client.read(f"read the job of check {check.name}", lambda: job.run_id)
        except GitHubError:
            return found.model_copy(update={"annotations": notes})
        step = next((s.name for s in job.steps if s.conclusion in FAILED_STEP), "")
        return found.model_copy(
            update={"job_id": job.id, "run_id": job.run_id, "run_attempt": job.run_attempt,
                    "step": step, "annotations": notes, "log_tail": self._log(job)}
        )  # fmt: skip

    def _annotations(self, check: CheckRun) -> tuple[str, ...]:
        if not check.output.annotations_count:
            return ()  # the listing said so: no read
        try:
            found: list[CheckRunAnnotation] = self._client.read(
                f"read the annotations of check {check.name}",
                lambda: list(check.get_annotations()[:MAX_ANNOTATIONS]),
            )
        except GitHubError:
            return ()
        return tuple(
            redact(f"{a.path}:{a.start_line}: {a.message or a.title or ''}") for a in found
        )

    def _log(self, job: WorkflowJob) -> str:
        """The masked tail of the job's log ("" when GitHub no longer has it)."""
        try:
            location = self._client.read(f"find the log of job {job.id}", job.logs_url)
            text = self._client.read(
                f"download the log of job {job.id}", lambda: _download(location)
            )
        except (GitHubError, requests.RequestException):
            return ""
        return tail(text)

    def _last_green(self, sha: str) -> str:
        """The head of the newest successful push run on the branch (one read), or ""."""
        try:
            # PyGithub filters by branch only given a Branch object (one more read).
            page = self._client.read(
                "find the last green commit",
                lambda: self._repo.get_workflow_runs(event="push", status="success").get_page(0),
            )
        except GitHubError:
            return ""
        found = (r.head_sha for r in page if r.head_branch == self._branch and r.head_sha != sha)
        return next(found, "")

    def _since(self, green: str, sha: str) -> tuple[tuple[SinceGreen, ...], tuple[str, ...]]:
        def compare() -> tuple[list[str], list[SinceGreen]]:
            compared = self._repo.compare(green, sha)
            # The files first: they complete the comparison, whose commits then come from the
            # same answer instead of a second read.
            files = [f.filename for f in compared.files[:MAX_CHANGED]]
            commits = [
                SinceGreen(sha=c.sha, title=c.commit.message.split("\n", 1)[0])
                for c in compared.commits
            ]
            return files, commits

        try:
            files, since = self._client.read("compare with the last green commit", compare)
        except GitHubError:
            return (), ()
        changed = tuple(files)
        if len(since) == 1:
            since = [since[0].model_copy(update={"files": changed})]
        elif len(since) <= MAX_COMMIT_READS:
            since = [s.model_copy(update={"files": self._files(s.sha)}) for s in since]
        return tuple(since), changed

    def _files(self, sha: str) -> tuple[str, ...]:
        try:
            commit = self._client.read("read a commit's files", lambda: self._repo.get_commit(sha))
        except GitHubError:
            return ()
        return tuple(f.filename for f in commit.files[:MAX_CHANGED])


def _download(location: str) -> str:
    """The log behind a signed URL: no token is sent (the URL is the credential), and PyGithub
    follows redirects only to GitHub's own hosts, while the logs live on storage hosts."""
    kept: deque[bytes] = deque()
    size = total = 0
    with requests.get(location, stream=True, timeout=LOG_TIMEOUT_SECONDS) as answer:
        answer.raise_for_status()
        for chunk in answer.iter_content(chunk_size=16 * 1024):
            kept.append(chunk)
            size, total = size + len(chunk), total + len(chunk)
            while size - len(kept[0]) >= LOG_KEEP_BYTES:
                size -= len(kept.popleft())
            if total >= LOG_MAX_BYTES:
                break
    return b"".join(kept).decode("utf-8", errors="replace")


def tail(text: str) -> str:
    """The last LOG_LINES lines of a log, at most LOG_CHARS, timestamps and colours removed,
    credentials masked."""
    clean = _ANSI.sub("", _STAMP.sub("", text))
    # Masked before it is cut: a cut through a token would leave a piece no pattern knows.
    masked = redact("\n".join(clean.rstrip("\n").splitlines()[-LOG_LINES:]))
    if len(masked) <= LOG_CHARS:
        return masked
    return masked[-LOG_CHARS:].partition("\n")[2]


class GitHubCiRerun:
    """Re-runs the failed jobs of a workflow run: POST .../rerun-failed-jobs (201)."""

    def __init__(self, client: GitHubClient, repo: Repository) -> None:
        self._client = client
        self._repo = repo

    def rerun_failed_jobs(self, run_id: int) -> str:
        """Ask for the re-run; the report's line, a refusal included (the run is not retried:
        the state records it, and a failure that stays is then a code failure)."""
        url = f"{self._repo.url}/actions/runs/{run_id}/rerun-failed-jobs"
        try:
            self._client.write(
                f"re-run the failed jobs of run {run_id}",
                lambda: self._repo.requester.requestJsonAndCheck("POST", url),
            )
        except GitHubError as e:
            return f"could not re-run the failed jobs of run {run_id}: {e}"
        return f"re-ran the failed jobs of run {run_id} once"
