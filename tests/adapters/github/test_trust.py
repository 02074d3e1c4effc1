"""The comments a wake lists to recover lost commands: one request, however many."""

from __future__ import annotations

from datetime import timedelta

from prime_action.adapters.github.client import GitHubClient
from prime_action.adapters.github.trust import GitHubTrust
from prime_action.config.models import TrustSettings
from testing.github import FakeGitHub


def test_recent_comments_are_listed_in_one_request_with_their_associations(
    fake_github: FakeGitHub, client: GitHubClient
) -> None:
    fake_github.add_repo("acme/api")
    issue = fake_github.add_issue("acme/api", "x")
    for n in range(5):
        fake_github.add_comment("acme/api", issue, f"/prime status {n}",
                                user=f"u{n}", author_association="MEMBER")  # fmt: skip
    trust = GitHubTrust(client, "acme/api", TrustSettings())
    fake_github.reset_counts()
    seen = trust.comments_since(fake_github.now() - timedelta(hours=1))
    assert [c.association for c in seen] == ["MEMBER"] * 5
    assert [c.issue for c in seen] == [issue] * 5
    # PyGithub's raw_data would read each comment again, outside the retries: none here.
    assert len(fake_github.requests) == 1
