"""CI triage through the real wake over the fake: re-run once, dispatch one job with evidence."""

from __future__ import annotations

import pytest

from prime_action.domain.markers import DASHBOARD
from prime_action.workflows import RUNNER_WORKFLOW_PATH, render_runner_workflow
from testing.ci import Attempt, fail_ci, finish_reruns
from testing.github import FakeGitHub
from testing.state import Annotation
from tests.e2e.harness import AGENT_CONFIG, prime_state
from tests.e2e.test_data_plane import DataPlane

SOLO = "acme/solo"
TOKEN_IN_LOG = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"  # the shape of a GitHub token
# What the wake reads only when CI fails (the evidence), and the re-run it asks for.
EVIDENCE = ("/annotations", "/actions/jobs/", "/actions/runs", "/compare/", "/jobs/")
RERUN = "/rerun-failed-jobs"


@pytest.fixture
def solo(plane: DataPlane, fake_github: FakeGitHub) -> DataPlane:
    """A standalone repository with an agent configured, seen green once."""
    files = {
        "README.md": "# solo\n",
        "pyproject.toml": "[project]\nname = 'solo'\n",
        "src/app.py": "TOTAL = 3\n",
        RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=True),
        # Room for the ci job beside the template fixes of the first wake.
        ".github/prime.yml": f"{AGENT_CONFIG}jobs:\n  max_in_flight: 10\n",
    }
    fake_github.add_repo(SOLO, files)
    fake_github.set_ci(SOLO, "success")
    assert plane.wake(SOLO, "workflow_dispatch")[0] == 0
    assert prime_state(fake_github, SOLO).ci.last_green == fake_github.ref(SOLO, "heads/main")
    return plane


def _wake(plane: DataPlane, fake: FakeGitHub) -> list[tuple[str, str]]:
    """One wake; the requests it made."""
    fake.reset_counts()
    code, _ = plane.wake(SOLO, "workflow_dispatch")
    assert code == 0
    return fake.requests


def _ci_jobs(fake: FakeGitHub) -> list[dict[str, object]]:
    return [d.inputs for d in fake.dispatches if d.inputs.get("signal") == "ci"]


def _evidence_reads(requests: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [r for r in requests if r[0] == "GET" and any(p in r[1] for p in EVIDENCE)]


def _reruns(requests: list[tuple[str, str]]) -> int:
    return sum(1 for method, path in requests if method == "POST" and path.endswith(RERUN))


def _dashboard(fake: FakeGitHub) -> str:
    return next(i.body or "" for i in fake.issues(SOLO) if DASHBOARD in (i.body or ""))


def test_a_green_default_branch_reads_no_ci_evidence(
    solo: DataPlane, fake_github: FakeGitHub
) -> None:
    requests = _wake(solo, fake_github)
    assert _evidence_reads(requests) == []
    assert _reruns(requests) == 0


@pytest.mark.parametrize(
    ("log", "kind"),
    [
        (
            "Run tests\n##[error]The runner has received a shutdown signal. This can happen "
            "when the runner service is stopped, or a manually started runner is canceled.",
            "infrastructure",
        ),
        ("FAILED tests/test_app.py::test_total - assert 3 == 4", "flaky"),
    ],
)
def test_a_failure_rerun_once_that_then_passes_dispatches_nothing_and_is_listed(
    solo: DataPlane, fake_github: FakeGitHub, log: str, kind: str
) -> None:
    fake_github.push(SOLO, {"docs/notes.md": "notes\n"}, message="Notes")
    run = fail_ci(fake_github, SOLO, log=log)
    first = _wake(solo, fake_github)
    assert _reruns(first) == 1
    assert prime_state(fake_github, SOLO).ci.reruns[0].run_id == run.id
    assert _ci_jobs(fake_github) == []
    # While the re-run goes, and once it passed: no job, no second re-run.
    assert _reruns(_wake(solo, fake_github)) == 0
    finish_reruns(fake_github, SOLO)
    assert _reruns(_wake(solo, fake_github)) == 0
    assert _reruns(_wake(solo, fake_github)) == 0
    assert _ci_jobs(fake_github) == []
    [flaky] = prime_state(fake_github, SOLO).ci.flaky
    assert (flaky.check, flaky.kind) == ("test", kind)
    dashboard = _dashboard(fake_github)
    assert "## Flaky checks" in dashboard
    label = "an infrastructure failure" if kind == "infrastructure" else "flaky"
    assert f"- **test** on {flaky.sha[:7]}" in dashboard
    assert label in dashboard


def test_a_persistent_test_failure_dispatches_one_agent_job_with_its_evidence(
    solo: DataPlane, fake_github: FakeGitHub
) -> None:
    # The parent is green and the last wake saw it so: the failure below is a first one.
    fake_github.push(SOLO, {"docs/notes.md": "notes\n"}, message="Notes")
    fake_github.set_ci(SOLO, "success")
    _wake(solo, fake_github)
    suspect = fake_github.push(SOLO, {"src/app.py": "TOTAL = 4\n"}, message="Count one more")
    log = "\n".join(f"collecting line {n}" for n in range(200))
    log += f"\nGITHUB_TOKEN={TOKEN_IN_LOG}\nE   assert 3 == 4"
    log += "\nFAILED tests/test_total.py::test_total\n"
    again = Attempt(
        "failure", "Run pytest", log, [Annotation("tests/test_total.py", 7, "assert 3 == 4")]
    )
    fail_ci(fake_github, SOLO, step="Run pytest", log="E   assert 3 == 4\n", then=[again])
    # The check passed on the parent: re-run once first.
    assert _reruns(_wake(solo, fake_github)) == 1
    assert _ci_jobs(fake_github) == []
    finish_reruns(fake_github, SOLO)
    failing = _wake(solo, fake_github)
    assert _reruns(failing) == 0
    [job] = _ci_jobs(fake_github)
    approach = str(job["approach"])
    assert 'failing step: "Run pytest"' in approach
    assert "- tests/test_total.py:7: assert 3 == 4" in approach
    assert "E   assert 3 == 4\nFAILED tests/test_total.py::test_total" in approach
    assert TOKEN_IN_LOG not in approach
    assert "GITHUB_TOKEN=[REDACTED]" in approach
    assert "collecting line 119" not in approach  # only the last 80 lines
    assert "fails again after Prime's re-run" in approach
    assert f'Suspect commit: {suspect[:7]} "Notes"' not in approach
    assert f'{suspect[:7]} "Count one more"' in approach
    # The next wake on the same failing SHA reads nothing more, and dispatches nothing more.
    assert _evidence_reads(_wake(solo, fake_github)) == []
    assert len(_ci_jobs(fake_github)) == 1


def test_failing_ci_costs_a_handful_of_reads_once_per_sha(
    solo: DataPlane, fake_github: FakeGitHub
) -> None:
    fake_github.push(SOLO, {"src/app.py": "TOTAL = 4\n"}, message="Count one more")
    fail_ci(
        fake_github,
        SOLO,
        log="E   assert 3 == 4\n",
        annotations=[Annotation("src/app.py", 1, "assert 3 == 4")],
    )
    reads = _evidence_reads(_wake(solo, fake_github))
    # The job, its log (the 302 and the signed URL), its annotations, the compare.
    assert len(reads) == 5, "\n".join(p for _, p in reads)
    assert _evidence_reads(_wake(solo, fake_github)) == []
    # It names the file its commit changed: a code failure at once, no re-run.
    assert len(_ci_jobs(fake_github)) == 1


def test_a_dry_run_lists_the_rerun_and_makes_none(
    solo: DataPlane, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.push(SOLO, {"docs/notes.md": "notes\n"}, message="Notes")
    run = fail_ci(fake_github, SOLO, conclusion="cancelled")
    monkeypatch.setenv("PRIME_DRY_RUN", "true")
    fake_github.reset_counts()
    code, summary = solo.wake(SOLO, "workflow_dispatch")
    assert code == 0
    assert f"re-run the failed jobs of run {run.id} once (infrastructure: test)" in summary
    assert _reruns(fake_github.requests) == 0


def test_a_refused_rerun_is_reported_and_the_wake_goes_on(
    solo: DataPlane, fake_github: FakeGitHub
) -> None:
    fake_github.push(SOLO, {"docs/notes.md": "notes\n"}, message="Notes")
    run = fail_ci(fake_github, SOLO, conclusion="timed_out")
    fake_github.fail_matching(lambda request: request.path.endswith(RERUN))
    fake_github.reset_counts()
    code, summary = solo.wake(SOLO, "workflow_dispatch")
    assert code == 0
    assert f"could not re-run the failed jobs of run {run.id}" in summary
    assert prime_state(fake_github, SOLO).ci.reruns[0].run_id == run.id  # never asked twice
    assert _ci_jobs(fake_github) == []
