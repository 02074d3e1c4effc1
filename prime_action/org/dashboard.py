"""The org dashboard: STATUS.md, the dashboard issue and the job summary, from one view."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from prime_action.config.org import OrgConfig
from prime_action.domain.models import RunSheetItem, SignalResult
from prime_action.domain.values import Frozen
from prime_action.eyes import SIGNAL_NAMES
from prime_action.markdown import BODY_LIMIT, safe_cell, safe_text
from prime_action.org.model import (
    Delegation,
    Excluded,
    Flag,
    NeedsHuman,
    Onboarding,
    OrgState,
    Pattern,
    RepoFacts,
)
from prime_action.org.priorities import effective
from prime_action.templating import render

ORG_DASHBOARD = "<!-- prime:org-dashboard -->"
TOP = 15
DELEGATIONS_SHOWN = 10
ICONS = {"ok": "✅", "failing": "❌", "unknown": "❔", "skipped": "⏭"}
# Row limits tried in turn until the issue body fits under GitHub's limit.
_ROW_LIMITS = (None, 500, 200, 100, 50, 20, 0)


class Spend(Frozen):
    """LLM spend of one repository's Prime."""

    repo: str
    today: float
    total: float


class OrgView(Frozen):
    """Everything the org dashboard shows."""

    owner: str
    repos: tuple[RepoFacts, ...]
    excluded: tuple[Excluded, ...] = ()
    run_sheet: tuple[RunSheetItem, ...] = ()
    needs_human: tuple[NeedsHuman, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    priorities: dict[str, tuple[float, str, str]] = Field(default_factory=dict)
    flags: tuple[Flag, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    onboarding: tuple[Onboarding, ...] = ()
    warnings: tuple[str, ...] = ()
    # How the top of the run sheet was ordered, when a model was asked.
    ranking_note: str = ""
    org_spend: Spend | None = None
    # Repositories without a Repo Prime, not opted in, whose fixable signals are not dispatched.
    not_dispatched: tuple[str, ...] = ()
    # Ranked items left off run-sheet.json by `run_sheet_max_items`.
    run_sheet_beyond: int = 0

    @property
    def readable(self) -> tuple[RepoFacts, ...]:
        return tuple(r for r in self.repos if r.error is None)

    @property
    def errors(self) -> tuple[RepoFacts, ...]:
        return tuple(r for r in self.repos if r.error is not None)

    @property
    def managed(self) -> int:
        return sum(r.managed for r in self.readable)

    @property
    def spend(self) -> tuple[Spend, ...]:
        rows = [
            Spend(repo=r.repo, today=r.state.cost.usd_today, total=r.state.cost.usd_total)
            for r in self.readable
            if r.state is not None and r.state.cost.usd_total > 0
        ]
        return tuple(sorted(rows, key=lambda s: (-s.total, s.repo)))


def build_view(
    owner: str,
    config: OrgConfig,
    state: OrgState,
    repos: tuple[RepoFacts, ...],
    **parts: object,
) -> OrgView:
    """The view of one run (`parts`: excluded, run_sheet, needs_human, patterns, warnings)."""
    return OrgView.model_validate(
        {
            "owner": owner,
            "repos": repos,
            "priorities": effective(config, state),
            "flags": state.flags,
            "delegations": state.delegations[-DELEGATIONS_SHOWN:],
            "onboarding": state.onboarding,
            "org_spend": _org_spend(owner, state),
            **parts,
        }
    )


def _org_spend(owner: str, state: OrgState) -> Spend | None:
    if state.spend.usd_total <= 0:
        return None
    today = state.spend.usd_today  # on the day of the last call (state.spend.day)
    return Spend(repo=f"{owner} (Org Prime)", today=today, total=state.spend.usd_total)


def signals_of(facts: RepoFacts) -> dict[str, SignalResult]:
    """A repository's signals by name, from its Repo Prime's state or the remote eyes."""
    signals = facts.state.signals if facts.managed and facts.state else facts.signals
    return {s.name: s for s in signals}


def _rows(view: OrgView) -> list[tuple[RepoFacts, dict[str, SignalResult], int]]:
    rows = []
    for facts in view.readable:
        found = signals_of(facts)
        failing = sum(s.status == "failing" for s in found.values())
        rows.append((facts, found, failing))
    return sorted(rows, key=lambda row: (-row[2], row[0].repo))


def _totals(view: OrgView) -> dict[str, int]:
    counts: dict[str, int] = {}
    for facts in view.readable:
        for name, signal in signals_of(facts).items():
            if signal.status == "failing":
                counts[name] = counts.get(name, 0) + 1
    return {name: counts[name] for name in SIGNAL_NAMES if name in counts} | {
        name: n for name, n in sorted(counts.items()) if name not in SIGNAL_NAMES
    }


def _render(name: str, view: OrgView, limit: int | None, **extra: object) -> str:
    rows = _rows(view)
    return render(
        name,
        view=view,
        marker=ORG_DASHBOARD,
        rows=rows if limit is None else rows[:limit],
        hidden=0 if limit is None else max(len(rows) - limit, 0),
        columns=SIGNAL_NAMES,
        icons=ICONS,
        totals=_totals(view),
        top=view.run_sheet[:TOP],
        cell=safe_cell,
        text=safe_text,
        **extra,
    )


def render_status(view: OrgView) -> str:
    """STATUS.md for the org repository: every repository's row (a file has no size limit)."""
    return _render("org/status.md.j2", view, None)


def render_issue(view: OrgView) -> str:
    """The dashboard issue's body, its repository table cut until it fits GitHub's limit."""
    body = ""
    for limit in _ROW_LIMITS:
        body = _render("org/issue.md.j2", view, limit)
        if len(body.encode("utf-8")) < BODY_LIMIT:
            return body
    return body[: BODY_LIMIT // 2]


def render_summary(
    view: OrgView,
    *,
    requests: int,
    graphql: int,
    writes: int,
    committed: bool,
    at: datetime,
    woken: int = 0,
    deferred: int = 0,
) -> str:
    """The job summary: totals, the top of the run sheet, the wakes sent, errors, requests."""
    return _render(
        "org/summary.md.j2",
        view,
        0,
        requests=requests,
        graphql=graphql,
        writes=writes,
        committed=committed,
        woken=woken,
        deferred=deferred,
        at=at,
    )
