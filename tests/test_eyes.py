"""The eyes: every detector, config overrides, and the files they want."""

from __future__ import annotations

import pytest

from prime_action.config.models import RepoConfig, SignalSettings
from prime_action.domain.models import SEVERITY_WEIGHT, Fix, SignalResult
from prime_action.eyes import (
    DETECTORS,
    SIGNAL_NAMES,
    _detect,
    apply_settings,
    detectors,
    run_signals,
    unknown_signals,
    wanted_files,
)
from prime_action.signals.base import CiStatus, Detector
from tests.signals.snapshots import pr, remote, snap

CI_YML = ".github/workflows/ci.yml"
BAD_WORKFLOW = "on: push\njobs:\n  a:\n    steps:\n      - uses: owner/action@v1\n"


def config(**signals: SignalSettings) -> RepoConfig:
    """A repo config with per-signal settings."""
    return RepoConfig(signals=signals)


def by_name(results: tuple[SignalResult, ...]) -> dict[str, SignalResult]:
    return {r.name: r for r in results}


# A remote repository where every signal fails: the worst case a fleet scan meets.
NEGLECTED = remote(
    *(f"src/m{i}.py" for i in range(5)),
    "package.json",
    files={CI_YML: BAD_WORKFLOW},
    ci=CiStatus(state="failure", sha="c" * 40, failing=("test",)),
    open_prs=(pr(1, 30),),
)


def test_there_are_at_least_twelve_detectors_with_unique_names() -> None:
    assert len(DETECTORS) >= 12
    assert len(set(SIGNAL_NAMES)) == len(SIGNAL_NAMES)


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.name)
def test_every_detector_has_a_known_severity_and_names_its_result(detector: Detector) -> None:
    assert detector.severity in SEVERITY_WEIGHT
    assert detector.detect(snap()).name == detector.name


@pytest.mark.parametrize(
    ("name", "runner"),
    [
        ("ci", "agent"),
        ("dependabot", "fileops"),
        ("workflow-permissions", "agent"),
        ("pinned-actions", "agent"),
        ("security-policy", "fileops"),
        ("readme", "agent"),
        ("lint-config", "fileops"),
        ("license", "fileops"),
        ("codeowners", "fileops"),
        ("editorconfig", "fileops"),
        ("agent-instructions", "agent"),
        ("contributing", "agent"),
        ("gitignore", "agent"),
        ("issue-templates", "agent"),
        ("stale-prs", None),
    ],
)
def test_each_failing_signal_offers_its_runner(name: str, runner: str | None) -> None:
    signal = by_name(run_signals(NEGLECTED, RepoConfig()))[name]
    assert signal.status == "failing"
    assert (signal.fix.runner if signal.fix else None) == runner


def test_every_signal_is_known_on_a_remote_snapshot() -> None:
    statuses = {r.name: r.status for r in run_signals(NEGLECTED, RepoConfig())}
    assert set(statuses) == set(SIGNAL_NAMES)
    assert "unknown" not in statuses.values()


def test_local_snapshot_keeps_unknown_and_skipped_apart_from_failing() -> None:
    results = by_name(run_signals(snap("README.md"), RepoConfig()))
    assert results["ci"].status == "unknown"
    assert results["stale-prs"].status == "skipped"
    assert results["readme"].status == "ok"


def test_weights_default_to_the_scorecard_weight_of_the_severity() -> None:
    for signal in run_signals(NEGLECTED, RepoConfig()):
        assert signal.weight == SEVERITY_WEIGHT[signal.severity]


def test_a_disabled_signal_is_skipped_in_place() -> None:
    results = run_signals(NEGLECTED, config(ci=SignalSettings(enabled=False)))
    assert tuple(r.name for r in results) == SIGNAL_NAMES
    ci = by_name(results)["ci"]
    assert (ci.status, ci.detail, ci.fix) == ("skipped", "disabled in config", None)


@pytest.mark.parametrize(
    ("settings", "severity", "weight"),
    [
        pytest.param(SignalSettings(), "low", 2.5, id="built_in_severity_and_weight"),
        pytest.param(
            SignalSettings(severity="critical"), "critical", 10.0, id="severity_sets_weight"
        ),
        pytest.param(SignalSettings(weight=1.0), "low", 1.0, id="weight_overrides_alone"),
        pytest.param(SignalSettings(weight=0), "low", 0.0, id="zero_weight_is_kept"),
        pytest.param(
            SignalSettings(severity="high", weight=9.0), "high", 9.0, id="both_overrides_apply"
        ),
    ],
)
def test_config_reweights_a_signal(settings: SignalSettings, severity: str, weight: float) -> None:
    license_ = by_name(run_signals(NEGLECTED, config(license=settings)))["license"]
    assert (license_.severity, license_.weight) == (severity, weight)


def test_a_runner_override_replaces_the_fix_runner_and_keeps_the_approach() -> None:
    built_in = by_name(run_signals(NEGLECTED, RepoConfig()))["readme"].fix
    results = by_name(run_signals(NEGLECTED, config(readme=SignalSettings(runner="shell"))))
    assert built_in is not None
    assert results["readme"].fix == Fix(runner="shell", approach=built_in.approach)


def test_a_runner_override_gives_no_fix_to_a_signal_without_one() -> None:
    signal = SignalResult(name="stale-prs", status="failing")
    assert apply_settings(signal, SignalSettings(runner="agent")).fix is None


def test_stale_pr_days_come_from_the_config() -> None:
    snapshot = remote(open_prs=(pr(1, 20),))
    assert by_name(run_signals(snapshot, RepoConfig()))["stale-prs"].status == "failing"
    relaxed = RepoConfig(stale_pr_days=30)
    assert by_name(run_signals(snapshot, relaxed))["stale-prs"].status == "ok"
    assert any(d.name == "stale-prs" and getattr(d, "days", 0) == 30 for d in detectors(relaxed))


def test_wanted_files_is_the_union_of_enabled_detectors_wants() -> None:
    paths = [CI_YML, ".github/dependabot.yml", "pyproject.toml", "README.md", "src/a.py"]
    assert wanted_files(paths, RepoConfig()) == {CI_YML, ".github/dependabot.yml", "pyproject.toml"}


def test_disabled_detectors_want_nothing() -> None:
    off = SignalSettings(enabled=False)
    paths = [CI_YML, "README.md"]
    assert wanted_files(paths, config(**{"pinned-actions": off})) == {CI_YML}
    # lint-config reads workflows too: a linter run in CI lints.
    both = config(**{"pinned-actions": off, "workflow-permissions": off, "lint-config": off})
    assert wanted_files(paths, both) == set()


def test_unknown_signal_names_in_the_config_are_reported() -> None:
    assert unknown_signals(config(licence=SignalSettings(), ci=SignalSettings())) == ("licence",)


class _Broken:
    name = "broken"
    severity = "high"

    def wants(self, paths: object) -> tuple[str, ...]:
        return ()

    def detect(self, snapshot: object) -> object:
        raise KeyError("boom")


def test_a_detector_that_raises_reports_unknown_instead_of_stopping_the_scan() -> None:
    found = _detect(_Broken(), snap())  # type: ignore[arg-type]
    assert found.status == "unknown"
    assert "KeyError" in found.detail
    assert found.weight == 7.5
