"""Prime's eyes: every detector in report order (built-in, then growth's), shaped by the config."""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

from prime_action.config.models import RepoConfig, SignalSettings
from prime_action.domain.models import SEVERITY_WEIGHT, RunnerType, SignalResult
from prime_action.growth.signal import GROWTH
from prime_action.signals.base import Detector, RepoSnapshot, result
from prime_action.signals.custom import CustomDetector
from prime_action.signals.dependabot import Dependabot
from prime_action.signals.files import (
    AGENT_INSTRUCTIONS,
    CODEOWNERS,
    CONTRIBUTING,
    EDITORCONFIG,
    GITIGNORE,
    ISSUE_TEMPLATES,
    LICENSE,
    README,
    SECURITY_POLICY,
)
from prime_action.signals.lint import LintConfig
from prime_action.signals.repo_health import Ci, StalePrs
from prime_action.signals.workflows import PinnedActions, WorkflowPermissions

# Most severe first, so a report reads from what matters most.
DETECTORS: tuple[Detector, ...] = (
    Ci(),
    Dependabot(),
    WorkflowPermissions(),
    PinnedActions(),
    SECURITY_POLICY,
    README,
    LintConfig(),
    LICENSE,
    CODEOWNERS,
    EDITORCONFIG,
    AGENT_INSTRUCTIONS,
    CONTRIBUTING,
    GITIGNORE,
    ISSUE_TEMPLATES,
    StalePrs(),
    GROWTH,
)

SIGNAL_NAMES: tuple[str, ...] = tuple(d.name for d in DETECTORS)

DISABLED = "disabled in config"


def detectors(config: RepoConfig) -> tuple[Detector, ...]:
    """The built-in detectors with the config's parameters applied (`stale_pr_days`,
    `pinning`), then the config's custom signals (a built-in name cannot be taken)."""
    custom = tuple(
        CustomDetector.of(spec) for spec in config.custom_signals if spec.name not in SIGNAL_NAMES
    )
    return (*(_configured(d, config) for d in DETECTORS), *custom)


def _configured(detector: Detector, config: RepoConfig) -> Detector:
    if isinstance(detector, StalePrs):
        return StalePrs(days=config.stale_pr_days)
    if isinstance(detector, PinnedActions):
        return PinnedActions(pinning=config.pinning)
    return detector


def unknown_signals(config: RepoConfig) -> tuple[str, ...]:
    """Names under `signals:` in the config that no detector has (likely typos)."""
    known = {*SIGNAL_NAMES, *(spec.name for spec in config.custom_signals)}
    return tuple(sorted(set(config.signals) - known))


def unknown_automerge(config: RepoConfig) -> tuple[str, ...]:
    """Names under `automerge:` that are neither a signal nor a runner (growth PRs have the
    seed's merge policy instead)."""
    known = {*SIGNAL_NAMES, *(spec.name for spec in config.custom_signals), *get_args(RunnerType)}
    return tuple(name for name in config.automerge if name not in known)


def _settings(config: RepoConfig, name: str) -> SignalSettings:
    return config.signals.get(name) or SignalSettings()


def wanted_files(paths: Sequence[str], config: RepoConfig) -> set[str]:
    """The files whose contents the enabled detectors need, all of them from the listing.

    Args:
        paths: every file path of the repository (one recursive tree listing).
        config: the repo config; disabled signals ask for nothing.

    Returns:
        The paths to read or fetch before `run_signals`.
    """
    listed = set(paths)
    return {
        path
        for detector in detectors(config)
        if _settings(config, detector.name).enabled
        for path in detector.wants(paths)
        if path in listed
    }


def apply_settings(signal: SignalResult, settings: SignalSettings) -> SignalResult:
    """Apply one signal's config overrides: severity, weight, and the runner of its fix.

    Args:
        signal: what the detector reported.
        settings: the signal's entry under `signals:` (defaults when absent).

    Returns:
        The result with its severity, its weight (default: the severity's Scorecard weight)
        and its fix's runner overridden as configured.
    """
    severity = settings.severity or signal.severity
    weight = settings.weight if settings.weight is not None else SEVERITY_WEIGHT[severity]
    fix = signal.fix
    if fix is not None and settings.runner is not None:
        fix = fix.model_copy(update={"runner": settings.runner})
    return signal.model_copy(update={"severity": severity, "weight": weight, "fix": fix})


def _detect(detector: Detector, snapshot: RepoSnapshot) -> SignalResult:
    """Run one detector; a bug in it makes its signal unknown instead of stopping the wake."""
    try:
        return detector.detect(snapshot)
    except Exception as e:
        # One broken detector must not blind all the others.
        return result(detector, "unknown", f"detector failed: {type(e).__name__}: {e}")


def run_signals(snapshot: RepoSnapshot, config: RepoConfig) -> tuple[SignalResult, ...]:
    """Run every built-in detector on a snapshot, as the repo config says.

    Args:
        snapshot: the repository, with the files `wanted_files` named already read.
        config: the repo config (`signals:` overrides, `stale_pr_days`).

    Returns:
        One result per detector, in `DETECTORS` order then the custom signals; disabled ones
        are "skipped".
    """
    results = []
    for detector in detectors(config):
        settings = _settings(config, detector.name)
        if settings.enabled:
            signal = _detect(detector, snapshot)
        else:
            signal = result(detector, "skipped", DISABLED)
        results.append(apply_settings(signal, settings))
    return tuple(results)
