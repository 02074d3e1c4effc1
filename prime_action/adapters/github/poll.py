"""The PR poll over PyGithub: Prime's open PRs with their heads' checks, automerge's reads and
its writes (a merge, or GitHub's native auto-merge through GraphQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from github.PullRequest import PullRequest
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.graphql import GraphQL
from prime_action.adapters.github.growth import approvals_of, codeowners_at
from prime_action.adapters.github.hygiene import is_prime_pull, pull_signals
from prime_action.domain.errors import GitHubError
from prime_action.domain.models import RunnerType
from prime_action.fileops.fixes import FIXABLE
from prime_action.repo.pr_poll import GREEN, Guard, HeadChecks, PolledPull, owners_by_path
from prime_action.runners.boundary import BRANCH_PREFIX
from prime_action.runners.guardrails import human_commits

ENABLE_AUTO_MERGE = """
mutation($id: ID!, $head: GitObjectID!) {
  enablePullRequestAutoMerge(
    input: {pullRequestId: $id, mergeMethod: SQUASH, expectedHeadOid: $head}
  ) { clientMutationId }
}
"""
DISABLE_AUTO_MERGE = """
mutation($id: ID!) {
  disablePullRequestAutoMerge(input: {pullRequestId: $id}) { clientMutationId }
}
"""
# GitHub's word for a PR that could merge now: auto-merge has nothing to wait for.
CLEAN = "clean status"


class GitHubPoll:
    """One repository's open Prime PRs, read from the wake's one listing."""

    def __init__(
        self,
        client: GitHubClient,
        repo: str,
        listed: Callable[[], list[PullRequest]],
        graphql_url: str | None = None,
    ) -> None:
        """Args: the client, OWNER/NAME, the open PRs as listed once per run, GraphQL's URL."""
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self.name = repo
        self._listed = listed
        self._gql = GraphQL(client, graphql_url)

    def prime_pulls(self) -> tuple[PolledPull, ...]:
        """Prime's open PRs, two requests each (check runs, statuses); none when none is open."""
        return tuple(self._value(p) for p in self._listed() if is_prime_pull(p, self.name))

    def _value(self, pull: PullRequest) -> PolledPull:
        signals = pull_signals(pull.head.ref, pull.body or "")
        growth = pull.head.ref.removeprefix(BRANCH_PREFIX).startswith("growth.")
        return PolledPull(
            number=pull.number,
            head=pull.head.sha,
            base=pull.base.ref,
            title=pull.title,
            signals=signals,
            runner=runner_of(signals, pull.body or ""),
            growth=growth,
            created_at=pull.created_at.astimezone(UTC),
            auto_merge=pull.auto_merge is not None,
            node_id=pull.node_id,
            checks=self.checks(pull.head.sha),
        )

    def checks(self, sha: str) -> HeadChecks:
        """The head's check runs (the newest of each name) and commit statuses."""
        commit = self._repo.get_commit(sha)
        runs = self._client.read(f"check runs of {sha[:12]}", lambda: list(commit.get_check_runs()))
        status = self._client.read(f"statuses of {sha[:12]}", commit.get_combined_status)
        latest = {r.name: r for r in sorted(runs, key=lambda r: r.id)}
        results = {n: r.conclusion if r.status == "completed" else None for n, r in latest.items()}
        results |= {s.context: None if s.state == "pending" else s.state for s in status.statuses}
        ok = GREEN | {"success"}
        return HeadChecks(
            passed=tuple(sorted(n for n, v in results.items() if v in ok)),
            total=len(results),
            running=sum(1 for v in results.values() if v is None),
            failed=tuple(sorted(n for n, v in results.items() if v is not None and v not in ok)),
        )

    def allow_auto_merge(self) -> bool:
        """Whether the repository allows GitHub's auto-merge (the repository's payload)."""
        return bool(self._client.read("read the repository", lambda: self._full().allow_auto_merge))

    def _full(self) -> Repository:
        self._repo.complete()
        return self._repo

    def guard(self, pull: PolledPull, base: str) -> Guard:
        """The changed paths, their CODEOWNERS at the base, the approvals, the commits and
        the base's required checks (5-8 reads)."""
        found = self._client.read(
            f"read PR #{pull.number}", lambda: self._repo.get_pull(pull.number)
        )
        files = self._client.read(
            f"list files of PR #{pull.number}", lambda: list(found.get_files())
        )
        paths = tuple(f.filename for f in files)
        text = codeowners_at(self._client, self._repo, base)
        messages = self._client.read(
            f"commits of PR #{pull.number}",
            lambda: tuple(c.commit.message for c in found.get_commits()),
        )
        return Guard(paths=paths, owners=owners_by_path(text, paths),
                     approvals=approvals_of(self._client, found),
                     required=self.required_checks(base),
                     foreign_commits=human_commits(messages))  # fmt: skip

    def required_checks(self, branch: str) -> tuple[str, ...]:
        """Branch protection's required checks as GET branch shows them to a reader (one read;
        () when the branch is unprotected or the token may not see its protection)."""
        found = self._client.read(f"read branch {branch}", lambda: self._repo.get_branch(branch))
        protection = found.raw_data.get("protection") or {}
        required = protection.get("required_status_checks") or {}
        return tuple(str(c) for c in required.get("contexts") or ())

    def merge(self, pull: PolledPull) -> None:
        """Merge the PR at the head whose checks passed (GitHub refuses if it moved)."""
        found = self._repo.get_pull(pull.number)
        title = f"{pull.title} (#{pull.number})"
        self._client.write(
            f"merge PR #{pull.number}",
            lambda: found.merge(commit_title=title, merge_method="squash", sha=pull.head),
        )

    def enable_auto_merge(self, pull: PolledPull) -> bool:
        """Turn GitHub's auto-merge on for the head; False when GitHub says the PR is clean
        (it could merge now: the caller merges it)."""
        try:
            self._gql.mutate(
                f"enable auto-merge on PR #{pull.number}",
                ENABLE_AUTO_MERGE,
                {"id": pull.node_id, "head": pull.head},
            )
        except GitHubError as e:
            if CLEAN in str(e):
                return False
            raise
        return True

    def disable_auto_merge(self, pull: PolledPull) -> None:
        """Turn GitHub's auto-merge off (a new head broke automerge's guard)."""
        self._gql.mutate(
            f"disable auto-merge on PR #{pull.number}", DISABLE_AUTO_MERGE, {"id": pull.node_id}
        )


def runner_of(signals: tuple[str, ...], body: str) -> RunnerType:
    """The runner that made a Prime PR: fileops when every signal has a template fix, shell
    when its body says so, else the agent (the runner automerge trusts least)."""
    if signals and set(signals) <= FIXABLE and "agent runner" not in body:
        return "fileops"
    return "shell" if "Prime's shell runner" in body else "agent"
