"""Precision and recall of failing verdicts on the real-repository corpus, and zizmor as oracle."""

from __future__ import annotations

from collections import Counter

import pytest

from prime_action.config.models import RepoConfig
from prime_action.eyes import run_signals
from tests.signals.corpus import samples, truth, zizmor

# The SLSA generator's reusable workflows must be called by tag (they verify their own ref);
# zizmor flags them, Prime's default pinning policy allows them: a documented difference.
SLSA = "slsa-framework/slsa-github-generator/"


def _verdicts() -> dict[tuple[str, str], str]:
    judged = {}
    for sample in samples():
        for signal in run_signals(sample.snapshot(), RepoConfig()):
            if signal.name in truth()[sample.repo]:
                judged[sample.repo, signal.name] = signal.status
    return judged


def _counts() -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for (repo, name), status in _verdicts().items():
        expected = truth()[repo][name][0]
        said = "failing" if status == "failing" else "ok"
        kind = {("failing", "failing"): "tp", ("ok", "failing"): "fp", ("failing", "ok"): "fn"}
        counts.setdefault(name, Counter())[kind.get((expected, said), "tn")] += 1
    return counts


def test_corpus_has_thirty_repositories_with_a_verdict_for_every_signal() -> None:
    assert len(samples()) >= 30
    assert {s.repo for s in samples()} == set(truth())
    assert all(len(verdicts) == 13 for verdicts in truth().values())


def test_failing_verdicts_are_precise_and_complete_on_the_corpus() -> None:
    counts = _counts()
    total = sum(counts.values(), Counter())
    precision = total["tp"] / (total["tp"] + total["fp"])
    recall = total["tp"] / (total["tp"] + total["fn"])
    for name, c in sorted(counts.items()):
        print(f"{name:22} tp={c['tp']:3} fp={c['fp']:3} fn={c['fn']:3} tn={c['tn']:3}")
    print(f"precision={precision:.3f} recall={recall:.3f} ({total['tp']} true failing)")
    wrong = {
        key: (status, truth()[key[0]][key[1]])
        for key, status in _verdicts().items()
        if (status == "failing") != (truth()[key[0]][key[1]][0] == "failing")
    }
    assert precision >= 0.97, wrong
    assert recall >= 0.95, wrong


def _zizmor_flags(repo: str, ident: str) -> bool:
    rows = [row for row in zizmor(repo) if row["ident"] == ident]
    if ident == "unpinned-uses":
        return any(SLSA not in row["feature"] for row in rows)
    # `read-all` grants no write: Scorecard and Prime accept it, zizmor does not.
    return any("read-all" not in row["annotation"] for row in rows)


@pytest.mark.parametrize(
    ("signal", "ident"),
    [("pinned-actions", "unpinned-uses"), ("workflow-permissions", "excessive-permissions")],
)
def test_workflow_signals_agree_with_zizmor_where_policies_agree(signal: str, ident: str) -> None:
    verdicts = _verdicts()
    disagree = [
        s.repo
        for s in samples()
        if (verdicts[s.repo, signal] == "failing") != _zizmor_flags(s.repo, ident)
    ]
    print(f"{signal}: zizmor agrees on {len(samples()) - len(disagree)}/{len(samples())}")
    assert disagree == []
