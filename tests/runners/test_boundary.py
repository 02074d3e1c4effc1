"""The PR boundary over the fake: one branch per signal, one PR, nothing committed twice."""

from __future__ import annotations

import pytest

from prime_action.adapters.github.pulls import GitHubPulls
from prime_action.runners.boundary import BoundaryError, propose
from testing.github import FakeGitHub
from tests.runners.conftest import REPO

BODY = "<!-- prime:comment=pr-license -->\nFixes #3"


def test_a_change_opens_one_labelled_pull_request_from_the_signal_branch(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    proposal = propose(
        host, "license", {"LICENSE": "MIT"}, title="Add a license", body=BODY, now=fake_github.now()
    )

    assert proposal.pull is not None
    assert proposal.committed
    assert fake_github.read(REPO, "LICENSE", "prime/license") == "MIT"
    (pull,) = fake_github.pulls(REPO)
    assert pull.labels == ["automated"]
    assert "<!-- prime:content=" in (pull.body or "")


def test_a_rerun_with_new_content_updates_the_one_pull_request_in_place(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    propose(host, "license", {"LICENSE": "MIT"}, title="t", body=BODY, now=fake_github.now())

    again = propose(
        host, "license", {"LICENSE": "MIT\nmore"}, title="t2", body=BODY, now=fake_github.now()
    )

    assert again.committed
    (pull,) = fake_github.pulls(REPO)
    assert pull.title == "t2"
    assert fake_github.read(REPO, "LICENSE", "prime/license") == "MIT\nmore"


def test_a_body_without_the_prime_marker_is_refused(
    fake_github: FakeGitHub, host: GitHubPulls
) -> None:
    with pytest.raises(BoundaryError, match="hidden marker"):
        propose(
            host, "license", {"LICENSE": "MIT"}, title="t", body="Fixes #3", now=fake_github.now()
        )
