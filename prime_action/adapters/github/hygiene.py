"""Prime's open PRs over PyGithub for the wake's PR hygiene: read as values, closed, refreshed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from github.PullRequest import PullRequest
from github.Repository import Repository

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.growth import dispatch_agent
from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.config.models import RepoConfig
from prime_action.domain.errors import ConflictError
from prime_action.domain.markers import comment_marker, data_marker, find_data
from prime_action.fileops.fixes import FIXABLE
from prime_action.repo.effects import RefreshPull, ReworkPull
from prime_action.repo.hygiene import HUMAN_NOTE, MANUAL_NOTE, PrimePull
from prime_action.runners import guardrails as rules
from prime_action.runners.boundary import BRANCH_PREFIX
from prime_action.runners.refresh import fix_files, refresh
from prime_action.templating import render

# A PR names its signals: `prime:comment=pr-NAME` (a runner's PR), `prime:signal=NAME`.
_NAMED = re.compile(r"<!-- prime:(?:comment=pr-|signal=)([A-Za-z0-9_.-]+) -->")


class GitHubPullKeeper:
    """One repository's open Prime PRs (branch `prime/...` in the repository itself)."""

    def __init__(
        self,
        client: GitHubClient,
        repo: str,
        listed: Callable[[], list[PullRequest]],
        now: Callable[[], datetime],
        *,
        config: RepoConfig | None = None,
        ref: str = "main",
    ) -> None:
        """Args: the client, OWNER/NAME, the open PRs as listed once per run, the clock; the
        config and default branch an agent attempt for a conflicted growth PR is started with."""
        self._client = client
        self._repo: Repository = client.github.get_repo(repo)
        self._name = repo
        self._listed = listed
        self._now = now
        self._config = config or RepoConfig()
        self._ref = ref
        self._pulls: dict[int, PullRequest] = {}
        self._host: GitHubPulls | None = None

    def prime_pulls(self) -> tuple[PrimePull, ...]:
        """Prime's open PRs: one get each (twice while GitHub computes mergeability), one
        compare each (who wrote the commits); nothing when none is open."""
        mine = [p for p in self._listed() if is_prime_pull(p, self._name)]
        fresh = {p.number: self._get(p.number) for p in mine}
        for number, pull in fresh.items():
            if pull.mergeable is None:  # GitHub's job started with the first get
                fresh[number] = self._get(number)
        self._pulls = fresh
        return tuple(self._value(p) for p in fresh.values())

    def _get(self, number: int) -> PullRequest:
        # complete(): the client is lazy, and the read must happen here, under the retries.
        return self._client.read(
            f"read PR #{number}", lambda: self._repo.get_pull(number).complete()
        )

    def _value(self, pull: PullRequest) -> PrimePull:
        body = pull.body or ""
        messages, _ = self._pulls_host().compare(pull.base.ref, pull.head.sha)
        signals = pull_signals(pull.head.ref, body)
        return PrimePull(
            number=pull.number,
            branch=pull.head.ref,
            base=pull.base.ref,
            signals=signals,
            created_at=pull.created_at.astimezone(UTC),
            updated_at=(pull.updated_at or pull.created_at).astimezone(UTC),
            content=rules.content_of(body),
            mergeable=pull.mergeable,
            human_commits=rules.human_commits(messages),
            refreshable=bool(signals) and set(signals) <= FIXABLE,
            notes=tuple(n for n in (HUMAN_NOTE, MANUAL_NOTE) if n in body),
            reopened=find_data(body).get("closed_by") == "prime",
        )

    def close_pull(self, number: int, comment: str, why: str) -> None:
        """Comment once (the comment's first line is its marker), then close, the body
        saying that Prime closed it and why."""
        pull = self._pull(number)
        if pull.state == "closed":
            return
        marker = comment.split("\n", 1)[0]
        comments = self._client.read(
            f"read comments of #{number}", lambda: list(pull.get_issue_comments())
        )
        if not any(marker in (c.body or "") for c in comments):
            self._client.write(f"comment on #{number}", lambda: pull.create_issue_comment(comment))
        body = closed_by_prime(pull.body or "", why)
        self._client.write(f"close PR #{number}", lambda: pull.edit(state="closed", body=body))

    def note_pull(self, number: int, marker: str, note: str) -> None:
        """Append a note to the body unless it carries the marker (an edit notifies nobody)."""
        pull = self._pull(number)
        body = pull.body or ""
        if marker in body:
            return
        text = f"{body.rstrip()}\n\n{note}"
        self._client.write(f"note on PR #{number}", lambda: pull.edit(body=text))

    def unmark_pull(self, number: int) -> None:
        """Take `closed_by`/`closed_as` out of the body's data marker."""
        pull = self._pull(number)
        body = pull.body or ""
        data = find_data(body)
        kept = {k: v for k, v in data.items() if k not in ("closed_by", "closed_as")}
        text = body.replace(data_marker(data), data_marker(kept) if kept else "").rstrip() + "\n"
        self._client.write(f"update PR #{number}", lambda: pull.edit(body=text))

    def refresh_pull(self, effect: RefreshPull) -> str:
        """Re-apply the fix on the moved base, or close the PR when the base has it all."""
        host = self._pulls_host()
        fix = fix_files(effect.signals, host.listing(), self._now().year)
        if fix is None:
            self.note_pull(effect.number, MANUAL_NOTE, effect.manual)
            return f"left PR #{effect.number}: {effect.branch} is not a templated fix"
        try:
            done = refresh(host, effect.branch, fix[0], fix[1])
        except ConflictError:
            return f"left PR #{effect.number}: {effect.branch} moved while Prime refreshed it"
        if done.outcome == "obsolete":
            self.close_pull(effect.number, effect.closing, "obsolete")
            return f"closed PR #{effect.number}: {done.note}"
        if done.outcome == "foreign":
            self.note_pull(effect.number, MANUAL_NOTE, effect.manual)
        if done.outcome == "refreshed":
            self._mark_content(effect.number, done.content)
        verb = "refreshed" if done.outcome == "refreshed" else "left"
        return f"{verb} PR #{effect.number}: {done.note}"

    def rework_pull(self, effect: ReworkPull) -> str:
        """Send a conflicted growth PR back: one comment per head, then an agent attempt on
        its branch (the dispatcher's rules hold: one attempt of a signal at a time)."""
        pull = self._pull(effect.number)
        head = pull.head.sha
        marker = comment_marker(f"growth-conflict-{effect.number}-{head[:12]}")
        comments = self._client.read(
            f"read comments of #{effect.number}", lambda: list(pull.get_issue_comments())
        )
        if any(marker in (c.body or "") for c in comments):
            return (
                f"PR #{effect.number} conflicts with {effect.base}: sent back at this head already"
            )
        signal = effect.branch.removeprefix(BRANCH_PREFIX)
        approach = render("growth/conflict.txt.j2", pull=effect.number, base=effect.base,
                          branch=effect.branch).strip()  # fmt: skip
        report = dispatch_agent(self._client, self._name, signal, approach,
                                reason=f"PR #{effect.number} conflicts with {effect.base}",
                                config=self._config, ref=self._ref, now=self._now())  # fmt: skip
        attempt = report.dispatched[0].id if report.dispatched else None
        reason = report.error or next((s.reason for s in report.skipped), "")
        body = render("growth/conflict.md.j2", marker=marker, base=effect.base, head=head,
                      branch=effect.branch, attempt=attempt, reason=reason)  # fmt: skip
        self._client.write(f"comment on #{effect.number}", lambda: pull.create_issue_comment(body))
        started = f"agent attempt {attempt}" if attempt else f"no agent attempt: {reason}"
        return f"sent PR #{effect.number} back: it conflicts with {effect.base} ({started})"

    def _mark_content(self, number: int, digest: str) -> None:
        pull = self._pull(number)
        body = pull.body or ""
        old = rules.content_of(body)
        if old == digest:
            return
        marker = rules.content_marker(digest)
        text = body.replace(rules.content_marker(old), marker) if old else f"{body}\n{marker}\n"
        self._client.write(f"update PR #{number}", lambda: pull.edit(body=text))

    def _pulls_host(self) -> GitHubPulls:
        if self._host is None:
            self._host = GitHubPulls(self._client, self._name)
        return self._host

    def _pull(self, number: int) -> PullRequest:
        if number not in self._pulls:
            self._pulls[number] = self._get(number)
        return self._pulls[number]


def closed_by_prime(body: str, why: str) -> str:
    """The body with Prime's data marker saying Prime closed it, and why (not a person's no)."""
    data = find_data(body)
    old = data_marker(data)
    new = data_marker({**data, "closed_by": "prime", "closed_as": why})
    return body.replace(old, new) if old in body else f"{body.rstrip()}\n{new}\n"


def is_prime_pull(pull: PullRequest, repo: str) -> bool:
    """Whether `pull` is one of Prime's PRs in `repo`: a `prime/` branch of `repo` itself
    (a fork's branch of the same name is a person's)."""
    head = pull.head.repo
    own = head is not None and head.full_name.lower() == repo.lower()
    return own and pull.head.ref.startswith(BRANCH_PREFIX)


def pull_signals(branch: str, body: str) -> tuple[str, ...]:
    """The signals a PR fixes: those its markers name, else its branch's."""
    named = _NAMED.findall(body) or [branch.removeprefix(BRANCH_PREFIX)]
    return tuple(dict.fromkeys(named))
