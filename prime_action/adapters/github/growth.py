"""Growth mode over PyGithub: read an ai-task PR's evidence, send it back, merge it or ask."""

from __future__ import annotations

from datetime import datetime

from github.PullRequest import PullRequest
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient, file_text, read_blob
from prime_action.adapters.github.dispatch import WorkflowLauncher
from prime_action.adapters.github.issues import GitHubIssueStore
from prime_action.adapters.github.ledger import GitHubLedger
from prime_action.config.models import RepoConfig
from prime_action.dispatch.cycle import DispatchReport, run_cycle
from prime_action.dispatch.sheet import standalone_settings
from prime_action.domain.errors import GitHubError
from prime_action.domain.markers import comment_marker
from prime_action.domain.models import RunSheetItem
from prime_action.growth.maintainer import Move
from prime_action.growth.merge_gate import (
    CODEOWNERS_PATHS,
    Evidence,
    Verdict,
    code_owners,
    coverage_percent,
)
from prime_action.growth.review import FileChange, from_patch
from prime_action.growth.seed import Seed
from prime_action.runners.boundary import BRANCH_PREFIX, branch_name
from prime_action.templating import render

ROUND_KEY = "growth-gate"


def round_marker(number: int, head: str) -> str:
    """The follow-up's marker: one per (PR, head commit), so a rerun never posts twice."""
    return comment_marker(f"{ROUND_KEY}-{number}-{head[:12]}")


class GitHubGrowth:
    """One repository's ai-task PRs."""

    def __init__(self, client: GitHubClient, repo: str) -> None:
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self.name = repo

    def pull(self, number: int) -> PullRequest:
        """The pull request, read fresh (its head follows the branch): one request, now.

        complete(): the client is lazy; the read must happen here, under the retries, and
        fix the head that is judged (a later first use would read a newer one).
        """
        return self._client.read(
            f"read PR #{number}", lambda: self._repo.get_pull(number).complete()
        )

    def changes(self, pull: PullRequest) -> tuple[FileChange, ...]:
        """The PR's files as the reviewer sees them: patches plus the new contents."""
        files = self._client.read(
            f"list files of PR #{pull.number}", lambda: list(pull.get_files())
        )
        return tuple(
            from_patch(
                f.filename, f.patch or "", None if f.status == "removed" else self._blob(f.sha)
            )
            for f in files
        )

    def _blob(self, sha: str) -> str:
        return read_blob(self._client, self._repo, sha, "read a file")

    def checks(self, sha: str) -> dict[str, str | None]:
        """The head's check runs: name -> conclusion (None while running); the newest wins."""
        runs = self._client.read(
            f"check runs of {sha[:12]}", lambda: list(self._repo.get_commit(sha).get_check_runs())
        )
        found: dict[str, str | None] = {}
        for run in sorted(runs, key=lambda r: r.id):
            found[run.name] = run.conclusion if run.status == "completed" else None
        return found

    def text_at(self, path: str, ref: str) -> str | None:
        """A file's text at a commit, or None when it is absent."""
        found = file_text(self._client, self._repo, path, ref)
        return found[0] if found else None

    def rounds(self, pull: PullRequest) -> tuple[int, bool]:
        """Follow-ups the gate sent on the PR for earlier heads, and whether this head has one."""
        comments = self._client.read(
            f"comments of PR #{pull.number}", lambda: list(pull.get_issue_comments())
        )
        tag = comment_marker(f"{ROUND_KEY}-{pull.number}-")[:-4]
        here = round_marker(pull.number, pull.head.sha)
        bodies = [c.body or "" for c in comments if tag in (c.body or "")]
        return sum(1 for b in bodies if here not in b), any(here in b for b in bodies)

    def evidence(self, seed: Seed, pull: PullRequest) -> Evidence:
        """Everything the gate judges, read for the PR's head."""
        report = seed.evaluation.coverage_report
        head, base = pull.head.sha, pull.base.sha
        rounds, _ = self.rounds(pull)  # a rerun on the same head judges the same round
        return Evidence(
            changes=self.changes(pull),
            checks=self.checks(head),
            coverage_head=coverage_percent(self.text_at(report, head)) if report else None,
            coverage_base=coverage_percent(self.text_at(report, base)) if report else None,
            rounds=rounds,
        )

    def answered(self, pull: PullRequest, marker: str) -> bool:
        """Whether a comment on the PR carries the marker."""
        comments = self._client.read(
            f"comments of PR #{pull.number}", lambda: list(pull.get_issue_comments())
        )
        return any(marker in (c.body or "") for c in comments)

    def comment(self, pull: PullRequest, body: str) -> None:
        """Comment on the PR (the caller checked it is not there yet)."""
        self._client.write(f"comment on PR #{pull.number}", lambda: pull.create_issue_comment(body))

    def open_pull_of(self, branch: str) -> int | None:
        """The number of the open PR whose head is `branch` of this repository, or None."""
        owner = self.name.partition("/")[0]
        found = self._client.read(
            f"open PR of {branch}",
            lambda: [
                p.number for p in self._repo.get_pulls(state="open", head=f"{owner}:{branch}")
            ],
        )
        return found[0] if found else None

    def comment_once(self, pull: PullRequest, marker: str, body: str) -> bool:
        """Comment on the PR unless a comment carries the marker; True when it wrote."""
        if self.answered(pull, marker):
            return False
        self.comment(pull, body)
        return True

    def merge(self, pull: PullRequest, title: str) -> None:
        """Merge the PR at the head the gate judged (GitHub refuses if it moved since)."""
        self._client.write(
            f"merge PR #{pull.number}",
            lambda: pull.merge(commit_title=title, merge_method="squash", sha=pull.head.sha),
        )

    def requested(self, pull: PullRequest) -> tuple[str, ...]:
        """Logins asked to review the PR already."""
        return tuple(u.login for u in pull.requested_reviewers)

    def owners(self, pull: PullRequest, evidence: Evidence) -> tuple[str, ...]:
        """The CODEOWNERS (at the base) of the files the PR changes; () without the file."""
        text = codeowners_at(self._client, self._repo, pull.base.sha)
        if text is None:
            return ()
        return code_owners(text, tuple(c.path for c in evidence.changes))

    def approvals(self, pull: PullRequest) -> tuple[str, ...]:
        """Logins whose latest review of the PR approves it (one listing)."""
        return approvals_of(self._client, pull)

    def ask(self, pull: PullRequest, reviewers: tuple[str, ...]) -> None:
        """Ask people to review the PR."""
        self._client.write(
            f"request reviewers on PR #{pull.number}",
            lambda: pull.create_review_request(reviewers=list(reviewers)),
        )


def codeowners_at(client: GitHubClient, repo: Repository, ref: str) -> str | None:
    """The text of the CODEOWNERS file GitHub uses at `ref` (its first place that has one;
    a read per place tried), or None when the repository has none."""
    for path in CODEOWNERS_PATHS:
        found = file_text(client, repo, path, ref)
        if found:
            return found[0]
    return None


def approvals_of(client: GitHubClient, pull: PullRequest) -> tuple[str, ...]:
    """Logins whose latest review of the PR approves it (one listing)."""
    reviews = client.read(f"reviews of PR #{pull.number}", lambda: list(pull.get_reviews()))
    latest = {r.user.login: r.state for r in sorted(reviews, key=lambda r: r.id) if r.user}
    return tuple(login for login, state in latest.items() if state == "APPROVED")


def signal_of(pull: PullRequest) -> str | None:
    """The ticket's signal a Prime PR works on (`prime/growth.EPIC.TASK`), or None."""
    head = pull.head.ref
    signal = head.removeprefix(BRANCH_PREFIX)
    return signal if head.startswith(BRANCH_PREFIX) and signal.startswith("growth.") else None


def send_back(
    host: GitHubGrowth,
    client: GitHubClient,
    pull: PullRequest,
    *,
    ticket: int,
    verdict: Verdict,
    seed: Seed,
    config: RepoConfig,
    ref: str,
    now: datetime,
) -> DispatchReport | None:
    """Post the follow-up once per head; then a new agent attempt, or `needs-human`."""
    give_up = verdict.status == "needs-human"
    head = pull.head.sha
    body = render(
        "growth/followup.md.j2",
        marker=round_marker(pull.number, head),
        round=verdict.round,
        limit=seed.automation_contract.max_review_rounds,
        findings=verdict.findings,
        head=head,
        give_up=give_up,
        ticket=ticket,
        needs_human=config.labels.needs_human,
    )
    if not host.comment_once(pull, round_marker(pull.number, head), body):
        return None  # this head was judged already: nothing is sent twice
    if give_up:
        issues = GitHubIssueStore(client, host.name, config.labels)
        issues.set_labels(ticket, (config.labels.needs_human,), ())
        return None
    approach = render(
        "growth/rework.txt.j2", pull=pull.number, ticket=ticket, round=verdict.round,
        findings=verdict.findings,
    )  # fmt: skip
    signal = pull.head.ref.removeprefix(BRANCH_PREFIX)
    why = f"review round {verdict.round}"
    return dispatch_agent(client, host.name, signal, approach, reason=why, config=config, ref=ref,
                          now=now)  # fmt: skip


# GitHub's answers when it will not merge: not allowed (protection, conflicts), head moved,
# or a protection rule's validation failure.
MERGE_REFUSALS = frozenset({405, 409, 422})
REFUSED_PREFIX = "did not merge"


def dispatch_agent(
    client: GitHubClient,
    repo: str,
    signal: str,
    approach: str,
    *,
    reason: str,
    config: RepoConfig,
    ref: str,
    now: datetime,
) -> DispatchReport:
    """A new `agent` attempt on the branch of `signal`'s PR, through the ledger and dispatcher.

    The dispatcher's rules hold: no second attempt while one is pending or running. The runner
    checks out `prime/<signal>` (the `ref` input), so the agent builds on the PR's work.

    Args:
        client: the GitHub client.
        repo: OWNER/NAME (standalone: its own ledger and runner workflow).
        signal: the PR's signal.
        approach: the agent's instruction.
        reason: why, for the ledger.
        config: the repository's config (jobs limits).
        ref: the ref the runner workflow is dispatched on (the default branch).
        now: the current moment.

    Returns:
        What the dispatcher did.
    """
    item = RunSheetItem.model_validate(
        {"rank": 1, "repo": repo, "signal": signal, "runner": "agent", "approach": approach,
         "reason": reason, "cooldown_hours": 0, "added_at": now, "ref": branch_name(signal)}
    )  # fmt: skip
    launcher = WorkflowLauncher(client, repo, ref, spacing=0.0)
    return run_cycle(
        GitHubLedger(client, repo), launcher, (item,), standalone_settings(config), now
    )


def maintain(host: GitHubGrowth, pull: PullRequest, move: Move, ticket: int | None) -> str:
    """Carry out the maintainer's move; a line saying what was done.

    A merge that GitHub refuses (405: branch protection wants a review or a check, or the PR
    is not mergeable; 409: the head moved) is no failure of the wake: the line says why and
    a later wake tries again.
    """
    if move.kind == "merge":
        try:
            host.merge(pull, f"{pull.title} (#{pull.number})")
        except GitHubError as e:
            if e.status not in MERGE_REFUSALS:
                raise
            return f"{REFUSED_PREFIX} PR #{pull.number}: GitHub refused ({e.status}): {e}"
        return f"merged PR #{pull.number}" + (f" for ticket #{ticket}" if ticket else "")
    if move.kind == "ask":
        host.ask(pull, move.reviewers)
        return f"asked {', '.join(move.reviewers)} to review PR #{pull.number}"
    return f"PR #{pull.number}: {move.reason}"
