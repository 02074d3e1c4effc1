"""GitHubOrgLink: one prime-flag repository_dispatch to the org repository."""

from __future__ import annotations

from prime_action.adapters.github.org_link import GitHubOrgLink
from testing.github import FakeGitHub


def test_a_flag_is_one_repository_dispatch_to_the_org_repository(fake_github: FakeGitHub) -> None:
    fake_github.add_repo("acme/prime-org")
    link = GitHubOrgLink("org-t0ken", fake_github.base_url, "acme/prime-org", "acme/api")
    link.flag("ci", "lint fails the same way in 4 repositories")
    (sent,) = fake_github.repository_dispatches
    assert (sent.repo, sent.event_type) == ("acme/prime-org", "prime-flag")
    assert sent.client_payload == {
        "repo": "acme/api",
        "signal": "ci",
        "reason": "lint fails the same way in 4 repositories",
    }
    assert fake_github.writes == 1
