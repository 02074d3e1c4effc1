"""The maintainer: merge a green ai-task PR when the seed's merge policy allows, else ask people.

Pure: the gate's verdict and the PR's review requests in, one move out.
"""

from __future__ import annotations

from typing import Literal

from prime_action.domain.values import Frozen
from prime_action.growth.merge_gate import Verdict
from prime_action.growth.seed import MergePolicy


class Move(Frozen):
    """What the maintainer does with one PR."""

    kind: Literal["merge", "ask", "wait"]
    reviewers: tuple[str, ...] = ()  # logins to ask (kind "ask")
    reason: str


def decide(
    verdict: Verdict,
    policy: MergePolicy,
    requested: tuple[str, ...],
    owners: tuple[str, ...] = (),
    approvals: tuple[str, ...] = (),
) -> Move:
    """Merge only when every gate is green, the policy is `auto` and the code owners approved;
    otherwise ask the named reviewers or the owners (once each), or wait.

    Args:
        verdict: the gate's verdict on the PR's head.
        policy: the seed's `automation_contract.merge_policy`.
        requested: logins already asked to review this PR.
        owners: the CODEOWNERS of the changed files (`login` or `org/team`).
        approvals: logins whose latest review of the PR approves it.

    Returns:
        The move: merge, ask (the reviewers or owners not asked yet), or wait.
    """
    if verdict.status != "pass":
        return Move(kind="wait", reason=f"the gate says {verdict.status}")
    if policy.mode == "auto":
        if owners and not _owners_approved(owners, approvals):
            return _ask_owners(owners, requested)
        return Move(kind="merge", reason="every gate is green and merge_policy.mode is auto")
    wanted = {r.lower() for r in requested}
    missing = tuple(r for r in policy.reviewers if r.lower() not in wanted)
    if not missing:
        why = "asked already" if policy.reviewers else "no merge_policy.reviewers are named"
        return Move(kind="wait", reason=f"every gate is green; a human merges ({why})")
    return Move(kind="ask", reviewers=missing, reason="every gate is green; merge_policy is human")


def _owners_approved(owners: tuple[str, ...], approvals: tuple[str, ...]) -> bool:
    """An owner approved; a team owner is satisfied by any approval (membership is unread)."""
    approved = {a.lower() for a in approvals}
    return any(o.lower() in approved or ("/" in o and approved) for o in owners)


def _ask_owners(owners: tuple[str, ...], requested: tuple[str, ...]) -> Move:
    asked = {r.lower() for r in requested}
    missing = tuple(o for o in owners if "/" not in o and o.lower() not in asked)
    reason = "every gate is green; the CODEOWNERS of the changed files must approve first"
    if not missing:
        return Move(kind="wait", reason=reason)
    return Move(kind="ask", reviewers=missing, reason=reason)
