"""The merge gate (reviewer and tester): a Prime PR of an ai-task against the seed's constraints and
quality gates, and what to do when it fails (send it back, at most N rounds, then a human).

Pure: the adapter reads the PR's diff, its head's check runs and the coverage reports; the
verdict and the follow-up text come back as values.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Literal

import pathspec

from prime_action.domain.values import Frozen
from prime_action.growth.review import FileChange, Review, review
from prime_action.growth.seed import Seed

GateStatus = Literal["pass", "pending", "rework", "needs-human"]
GREEN = frozenset({"success", "neutral", "skipped"})
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*$")


class Evidence(Frozen):
    """What the adapter read for one PR head."""

    changes: tuple[FileChange, ...]
    # Check run name -> conclusion (None: not finished yet); the head's runs only.
    checks: dict[str, str | None]
    # Line coverage in percent from `evaluation.coverage_report`, at the base and the head.
    coverage_base: float | None = None
    coverage_head: float | None = None
    # Follow-ups the gate already sent on this PR (earlier rounds).
    rounds: int = 0


class Verdict(Frozen):
    """The gate's answer for one PR head."""

    status: GateStatus
    findings: tuple[str, ...] = ()
    review: Review = Review()
    round: int = 0  # the round this verdict's follow-up is (0: none sent)


def coverage_percent(text: str | None) -> float | None:
    """Line coverage from a report: Cobertura XML (`line-rate`), coverage.py JSON
    (`totals.percent_covered`), or a file holding just a percentage. None when unreadable."""
    if text is None or not text.strip():
        return None
    plain = _PERCENT.match(text)
    if plain:
        return float(plain.group(1))
    try:
        if text.lstrip().startswith("<"):
            rate = ET.fromstring(text).get("line-rate")  # noqa: S314 -- the repo's own report
            return None if rate is None else round(float(rate) * 100, 2)
        value = json.loads(text)["totals"]["percent_covered"]
        return float(value)
    except (ET.ParseError, ValueError, KeyError, TypeError):
        return None


def _check_findings(seed: Seed, checks: dict[str, str | None]) -> tuple[list[str], bool]:
    """Required checks that failed or are missing, and whether any is still running."""
    findings: list[str] = []
    pending = False
    for name in seed.quality_gates.required_checks:
        if name not in checks or checks[name] is None:
            pending = True
        elif checks[name] not in GREEN:
            findings.append(f"required check '{name}' concluded {checks[name]}; make it pass")
    return findings, pending


def _coverage_findings(seed: Seed, evidence: Evidence) -> list[str]:
    head, base = evidence.coverage_head, evidence.coverage_base
    if head is None:
        return []
    gate = seed.quality_gates.coverage
    found = []
    if head < gate.minimum_percent:
        found.append(
            f"coverage {head}% is under the seed's minimum_percent {gate.minimum_percent}%"
        )
    if gate.no_decrease and base is not None and head < base:
        found.append(f"coverage fell from {base}% to {head}%; add tests for the new code")
    return found


def judge(seed: Seed, evidence: Evidence) -> Verdict:
    """The gate's verdict on one PR head.

    Args:
        seed: the validated seed (constraints, quality gates, max_review_rounds).
        evidence: the diff, the head's checks, coverage, and the rounds already sent.

    Returns:
        pass (every gate green), pending (a required check still running or not reported),
        rework (send the findings back), or needs-human (this failure would be round N).
    """
    constraints = review(evidence.changes, seed.constraints, seed.architecture)
    findings = [
        f"{f.path}{f':{f.line}' if f.line else ''}: {f.message}" for f in constraints.findings
    ]
    checks, pending = _check_findings(seed, evidence.checks)
    findings += checks + _coverage_findings(seed, evidence)
    if not findings:
        status: GateStatus = "pending" if pending else "pass"
        return Verdict(status=status, review=constraints)
    rounds = evidence.rounds + 1
    give_up = rounds >= seed.automation_contract.max_review_rounds
    return Verdict(
        status="needs-human" if give_up else "rework",
        findings=tuple(findings),
        review=constraints,
        round=rounds,
    )


# Where GitHub looks for CODEOWNERS, in its order: the first one found counts.
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


def code_owners(codeowners: str | None, paths: tuple[str, ...]) -> tuple[str, ...]:
    """The owners (`@login`, `@org/team`, without the `@`) of the changed paths.

    For each path the last matching line of CODEOWNERS wins, as on GitHub; patterns are read
    as .gitignore reads them. A line without owners makes its paths owner-less.

    Args:
        codeowners: the file's text (None: the repository has none).
        paths: the PR's changed paths.

    Returns:
        Every owner of at least one path, in the file's order.
    """
    rules = []
    for line in (codeowners or "").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            rules.append((pathspec.GitIgnoreSpec.from_lines([words[0]]), words[1:]))
    owners: dict[str, None] = {}
    for path in paths:
        matched = [names for spec, names in rules if spec.match_file(path)]
        for name in matched[-1] if matched else []:
            owners[name.lstrip("@")] = None
    return tuple(owners)
