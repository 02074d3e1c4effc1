"""flag-org: a repository's Prime asks Org Prime for help, once per (signal, reason)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prime_action.adapters.local.issues import LocalIssueStore
from prime_action.adapters.local.jobs import LocalJobQueue
from prime_action.config.models import RepoConfig
from prime_action.domain.models import FlagOrg, PrimeState
from prime_action.repo.act import MAX_FLAGS, Actor, remember_flags
from tests.values import NOW


@dataclass
class Sent:
    flags: list[tuple[str | None, str]] = field(default_factory=list)

    def flag(self, signal: str | None, reason: str) -> None:
        self.flags.append((signal, reason))


def _actor(root: Path, org: Sent | None) -> Actor:
    return Actor(LocalIssueStore(root), LocalJobQueue(root), RepoConfig(), {}, [], NOW, org=org)


ASK = FlagOrg(signal="ci", reason="the same lint failure is in every repository")


def test_a_flag_is_sent_once_and_remembered(tmp_path: Path) -> None:
    sent = Sent()
    state = _actor(tmp_path, sent).run((ASK,), PrimeState())
    assert sent.flags == [("ci", ASK.reason)]
    again = _actor(tmp_path, sent).run((ASK,), state)
    assert sent.flags == [("ci", ASK.reason)]
    assert again == state


def test_without_an_org_link_the_flag_is_noted_not_sent(tmp_path: Path) -> None:
    actor = _actor(tmp_path, None)
    state = actor.run((ASK,), PrimeState())
    assert state.flagged == ()
    assert actor.done == [f"flag-org not sent (no jobs.org_repo, or no org-token): {ASK.reason}"]


def test_remembered_flags_stay_bounded() -> None:
    state = remember_flags(PrimeState(), tuple(f"k{i}" for i in range(MAX_FLAGS + 5)))
    assert len(state.flagged) == MAX_FLAGS
    assert state.flagged[-1] == f"k{MAX_FLAGS + 4}"
