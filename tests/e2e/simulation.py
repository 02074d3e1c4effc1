"""A simulated organisation on the shared fake GitHub, with a clock that advances (issue 9).

Every repository's Prime wakes on its hourly cron (hibernation is the wake's own business) and
on the events people cause; Org Prime writes the run sheet, the dispatcher starts runners in
the org repository, runners report, and each `prime-job-result` wakes its repository. Every
step is one Actions run of the real `prime` CLI (`main([...])` with the Actions environment).
Workflow runs that a `prime` command starts (workflow_dispatch, repository_dispatch) are taken
from what the fake recorded and run in order, as GitHub would. A run that fails is re-run up
to twice ("Re-run failed jobs"), which is what Prime's reconciliation by markers relies on.

Simulated people (`tests/e2e/sim_people.py`) break and fix CI, merge or close Prime's PRs,
close issues, comment `/prime ...` and tick dashboard boxes. The invariants of
`tests/e2e/invariants.py` are checked after every run.

Two process-wide patches, both undone on exit: `SystemClock.now` reads the simulated clock
(the data-plane commands read the clock themselves), and the retry policy's sleep is recorded
instead of slept (a secondary rate limit's Retry-After would otherwise cost real seconds).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from io import StringIO
from pathlib import Path
from typing import Any

import requests.sessions
from graphql import GraphQLSchema

from prime_action.adapters.github import client as client_module
from prime_action.adapters.github.session import OUTCOME_FILE
from prime_action.cli import main
from prime_action.domain import clock as clock_module
from prime_action.workflows import RUNNER_WORKFLOW_PATH, cron_minute, render_runner_workflow
from testing.faults import Fault
from testing.github import FakeGitHub
from testing.graphql import FakeGraphQL, load_schema
from testing.state import Dispatch, RepositoryDispatch
from tests.e2e import invariants
from tests.events.payloads import payload

OWNER = "acme"
ORG = f"{OWNER}/prime-org"
DISPATCHER = ".github/workflows/prime-dispatch.yml"
START = datetime(2026, 5, 4, 0, 0, tzinfo=UTC)
TOKEN = "t0ken-never-printed"  # noqa: S105 -- a fake, checked never to be printed
KINDS = (
    Fault.SERVER_ERROR,
    Fault.TIMEOUT,
    Fault.SECONDARY_RATE_LIMIT,
    Fault.APPLIED_THEN_ERROR,
)
TRIES = 3  # a failed run, then up to two "Re-run failed jobs"
# The org's settings: a short run-sheet cooldown so that three simulated days see retries.
ORG_CONFIG = "version: 1\ncooldown_hours: 4\nmax_dispatches_per_cycle: 20\n"
AGENT = Path(__file__).with_name("sim_agent.py")  # the repositories' `agent.command`
REPO_CONFIG = (
    "version: 1\njobs:\n  mode: org\n"
    f"agent:\n  command: [{json.dumps(sys.executable)}, {json.dumps(str(AGENT))}]\n"
)
DISPATCH_WORKFLOW = (
    "name: Prime dispatch\non:\n  workflow_dispatch:\n  schedule:\n    - cron: '30 * * * *'\n"
    "permissions: {}\njobs: {}\n"
)
CI_WORKFLOW = (
    "name: CI\non: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n"
)


def _prime_frame(error: BaseException) -> str:
    """The innermost frame of Prime's own code an uncaught exception passed through."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "prime_action" in f.filename]
    last = frames[-1] if frames else None
    return f"{Path(last.filename).name}:{last.lineno} {last.name}" if last else "outside Prime"


@dataclass(frozen=True)
class Settings:
    """The size of the organisation and of the run, and how often things fail."""

    repos: int = 30
    days: int = 3
    fault_rate: float = 0.0  # the share of requests that fail (KINDS) or race (state refs)
    seed: int = 9
    org_every_hours: int = 4  # Org Prime's cron (the template's default is daily)
    settle_hours: int = 12  # quiet hours at the end: no faults, people only review PRs


@dataclass
class Tally:
    """What the run counted."""

    runs: Counter[str] = field(default_factory=Counter)  # by command
    failed: Counter[str] = field(default_factory=Counter)  # runs that exited non-zero
    requests: Counter[tuple[str, int]] = field(default_factory=Counter)  # (repo, hour)
    races: int = 0
    crashes: Counter[str] = field(default_factory=Counter)  # uncaught exceptions, by message
    errors: int = 0  # runs that printed an error (PrimeError, mapped to an exit code)
    sleeps: list[float] = field(default_factory=list)
    seconds: float = 0.0


def repo_files(index: int) -> dict[str, str]:
    """A varied repository: what it lacks gives Prime work of every runner type."""
    files = {
        "README.md": f"# svc {index}\n",
        "package.json": '{"name": "svc"}\n',
        ".github/workflows/ci.yml": CI_WORKFLOW,
        ".github/prime.yml": REPO_CONFIG,
    }
    if index % 3 == 0:
        files["LICENSE"] = "MIT\n"
    if index % 4 == 0:
        files["SECURITY.md"] = "Report to security@example.com\n"
    if index % 5 == 0:
        files[".github/dependabot.yml"] = "version: 2\nupdates: []\n"
    return files


class Simulation:
    """The fake GitHub, the simulated clock, the Actions runs, and what they counted."""

    def __init__(self, settings: Settings, tmp: Path) -> None:
        self.settings = settings
        self.tmp = tmp
        self.fake = FakeGitHub(validate_responses=False)
        FakeGraphQL(_schema()).install(self.fake)
        self.faults = random.Random(settings.seed) if settings.fault_rate else None  # noqa: S311 -- reproducible faults
        self.now = START
        self.tally = Tally()
        self.repos = [f"{OWNER}/svc-{i:02d}" for i in range(settings.repos)]
        self.watch = invariants.Watch()
        self.ci: dict[str, str] = {}  # repo -> the CI state people left on main
        self.closed_by_people: set[tuple[str, int]] = set()
        self._seen_dispatches = 0
        self._seen_results = 0

    # -- the world -----------------------------------------------------------------------

    def build(self) -> None:
        """The org repository (config, dispatcher, runner) and the repositories."""
        self.fake.add_repo(
            ORG,
            {
                ".github/prime-org.yml": ORG_CONFIG,
                DISPATCHER: DISPATCH_WORKFLOW,
                RUNNER_WORKFLOW_PATH: render_runner_workflow(standalone=False),
            },
        )
        for index, repo in enumerate(self.repos):
            self.fake.add_repo(repo, repo_files(index))
            self.fake.set_ci(repo, "success")

    def at(self, hour: int, minute: int) -> None:
        """Move the simulated clock."""
        self.now = START + timedelta(hours=hour, minutes=minute)

    @property
    def hour(self) -> int:
        """Hours since the start."""
        return int((self.now - START).total_seconds()) // 3600

    # -- Actions runs --------------------------------------------------------------------

    def actions_run(
        self, repo: str, command: str, event_name: str, event: dict[str, Any], **env: str
    ) -> int:
        """One workflow run of `prime COMMAND` in `repo`, re-run while it fails (up to TRIES).

        Returns:
            The last try's exit code.
        """
        code = 1
        for _ in range(TRIES):
            code = self._once(repo, command, event_name, event, env)
            self.drain()
            if code == 0:
                break
        return code

    def _once(
        self,
        repo: str,
        command: str,
        event_name: str,
        event: dict[str, Any],
        env: dict[str, str],
        *,
        args: tuple[str, ...] = (),
    ) -> int:
        temp = self.tmp / "run"
        temp.mkdir(exist_ok=True)
        (temp / "event.json").write_text(json.dumps(event))
        values = self._environ(repo, event_name, temp) | env
        self.fake.clock.set(self.now)
        self.fake.reset_counts()
        self._inject(repo)
        with _environ(values), redirect_stdout(StringIO()), redirect_stderr(StringIO()) as err:
            try:
                code = main([command, *args])
            except Exception as e:
                code = 1
                where = _prime_frame(e)
                self.tally.crashes[f"{command}: {type(e).__name__}: {str(e)[:80]} ({where})"] += 1
        self.tally.errors += err.getvalue().count("error:")
        self.fake._faults.clear()  # faults left past the run's end
        self.tally.runs[command] += 1
        self.tally.failed[command] += code != 0
        self.tally.requests[(repo, self.hour)] += len(self.fake.log)
        self.watch.after_run(self.fake, self._written(repo), ORG)
        return code

    def _written(self, repo: str) -> list[str]:
        """The repositories the last run wrote to (checking only those keeps steps cheap)."""
        found = {repo} if self.fake.writes else set()
        for request in self.fake.log:
            parts = request.path.split("/")
            if request.method != "GET" and len(parts) > 3 and parts[1] == "repos":
                found.add(f"{parts[2]}/{parts[3]}".lower())
        return sorted(found)

    def _environ(self, repo: str, event_name: str, temp: Path) -> dict[str, str]:
        for name in ("summary.md", "output.txt"):
            (temp / name).write_text("")
        return {
            "GITHUB_REPOSITORY": repo,
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(temp / "event.json"),
            "GITHUB_TOKEN": TOKEN,
            "GITHUB_API_URL": self.fake.base_url,
            "GITHUB_STEP_SUMMARY": str(temp / "summary.md"),
            "GITHUB_OUTPUT": str(temp / "output.txt"),
            "GITHUB_REF": "refs/heads/main",
            "RUNNER_TEMP": str(temp),
            "PRIME_WRITE_SPACING": "0",
        }

    def _inject(self, repo: str) -> None:
        """Fail about `fault_rate` of the run's requests; sometimes race its state ref."""
        if self.faults is None:
            return
        for position in range(1, 80):
            if self.faults.random() < self.settings.fault_rate:
                self.fake.fail(position, self.faults.choice(KINDS))
        if self.faults.random() < self.settings.fault_rate:
            self.tally.races += 1
            race: dict[str, str | bytes | None] = {f"race/{self.tally.races}.txt": "a writer\n"}
            self.fake.race_ref(repo, "heads/prime-state", race, message=invariants.RACE)

    # -- the workflows -------------------------------------------------------------------

    def wake(self, repo: str, stem: str, changes: dict[str, Any] | None = None) -> int:
        """The repository's Prime on an example event, changed to name this repository."""
        owner, name = repo.split("/")
        here = {
            "repository.full_name": repo,
            "repository.name": name,
            "repository.owner.login": owner,
            "repository.default_branch": "main",
        }
        event = payload(stem, here | (changes or {}))
        return self.actions_run(repo, "wake", stem.partition(".")[0], event)

    def org(self, event_name: str = "schedule", event: dict[str, Any] | None = None) -> int:
        """Org Prime: aggregate, commit the run sheet, start the dispatcher when it changed."""
        return self.actions_run(ORG, "org", event_name, event or {})

    def dispatch(self, event_name: str = "schedule") -> int:
        """One dispatcher cycle in the org repository."""
        return self.actions_run(ORG, "dispatch", event_name, {"inputs": {}})

    def runner(self, sent: Dispatch) -> None:
        """The runner workflow: `prime run`, then always `prime report`; re-run if it broke."""
        event = {"inputs": sent.inputs}
        run_id = str(sent.run_id)
        for _ in range(TRIES):
            env = {"GITHUB_RUN_ID": run_id}
            (self.tmp / "run" / OUTCOME_FILE).unlink(missing_ok=True)  # each try a fresh runner
            args = ()
            if sent.inputs.get("runner") in ("shell", "agent"):
                args = ("--checkout", str(self.checkout(sent.inputs["repo"], sent.inputs)))
            self._once(ORG, "run", "workflow_dispatch", event, env, args=args)
            reported = self._once(ORG, "report", "workflow_dispatch", event, env)
            if reported == 0:
                break
        self.drain()

    def checkout(self, repo: str, inputs: dict[str, Any]) -> Path:
        """The runner workflow's actions/checkout of the target: a fresh git tree of its files."""
        state = self.fake.repos[repo.lower()]
        head = state.git.resolve(inputs.get("ref") or "main") or state.head()
        root = self.tmp / "checkout"
        shutil.rmtree(root, ignore_errors=True)
        for path, entry in state.git.files_at(head).items():
            text = state.git.read(head, path)
            if entry.type == "blob" and text is not None:
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                data = text if isinstance(text, bytes) else text.encode()
                (root / path).write_bytes(data)
        git = ["git", "-C", str(root), "-c", "user.name=sim", "-c", "user.email=sim@example.com"]
        for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "checkout"]):
            subprocess.run([*git, *step], check=True, capture_output=True)
        return root

    def drain(self) -> None:
        """Run the workflows that recorded dispatches started, oldest first."""
        while True:
            if self._seen_dispatches < len(self.fake.dispatches):
                sent = self.fake.dispatches[self._seen_dispatches]
                self._seen_dispatches += 1
                self._started(sent)
            elif self._seen_results < len(self.fake.repository_dispatches):
                sent_event = self.fake.repository_dispatches[self._seen_results]
                self._seen_results += 1
                self._delivered(sent_event)
            else:
                return

    def _started(self, sent: Dispatch) -> None:
        if sent.path == DISPATCHER:
            self.dispatch("workflow_dispatch")
        elif sent.path == RUNNER_WORKFLOW_PATH:
            self.runner(sent)

    def _delivered(self, sent: RepositoryDispatch) -> None:
        changes = {
            "action": sent.event_type,
            "client_payload": sent.client_payload,
            "sender.login": invariants.PRIME_LOGIN,
            "sender.type": "Bot",
        }
        if sent.repo.lower() != ORG:
            self.wake(sent.repo, "repository_dispatch", changes)
        elif sent.event_type == "prime-flag":  # the org workflow listens for flags only
            self.org("repository_dispatch", payload("repository_dispatch", changes))

    # -- the loop ------------------------------------------------------------------------

    def hour_of(self, hour: int, people: bool) -> None:
        """One simulated hour: people (only reviews unless `people`), then cron wakes by
        minute, Org Prime, the dispatcher."""
        from tests.e2e import sim_people  # noqa: PLC0415 -- the people module uses this one

        self.at(hour, 2)
        sim_people.act(self, hour, scheduled=people)
        for repo in sorted(self.repos, key=cron_minute):
            self.at(hour, cron_minute(repo))
            self.wake(repo, "schedule")
        if hour % self.settings.org_every_hours == 0:
            self.at(hour, 40)
            self.org()
        self.at(hour, 55)
        self.dispatch()

    def run(self) -> None:
        """The simulated days, then the quiet hours in which the world settles."""
        started = time.perf_counter()
        with self.fake, simulated_time(self):
            self.build()
            hours = 24 * self.settings.days
            for hour in range(hours):
                self.hour_of(hour, people=True)
            self.faults = None
            for hour in range(hours, hours + self.settings.settle_hours):
                self.hour_of(hour, people=False)
        self.tally.seconds = time.perf_counter() - started


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


@cache
def _schema() -> GraphQLSchema:
    return load_schema()  # about two seconds: built once per process


@contextmanager
def simulated_time(sim: Simulation) -> Iterator[None]:
    """`SystemClock.now` reads the simulation's clock; retry sleeps are recorded, not slept.

    Also: requests looks for proxy settings in the environment on every request (a tenth of
    a simulation's time); nothing here goes through a proxy.
    """
    clock_class, policy_class = clock_module.SystemClock, client_module.RetryPolicy
    original_now, proxies = clock_class.now, requests.sessions.get_environ_proxies
    clock_class.now = lambda self: sim.now  # type: ignore[method-assign]
    client_module.RetryPolicy = partial(policy_class, sleep=sim.tally.sleeps.append)  # type: ignore[misc,assignment]
    requests.sessions.get_environ_proxies = lambda url, no_proxy=None: {}
    try:
        yield
    finally:
        clock_class.now = original_now  # type: ignore[method-assign]
        client_module.RetryPolicy = policy_class  # type: ignore[misc]
        requests.sessions.get_environ_proxies = proxies


def simulate(settings: Settings) -> Simulation:
    """Run a whole simulation in a temporary directory; return it for its counts and state."""
    with tempfile.TemporaryDirectory() as tmp:
        sim = Simulation(settings, Path(tmp))
        sim.run()
    return sim
