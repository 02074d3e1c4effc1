"""The run sheet the dispatcher reads: run-sheet.json (org), or a standalone repo's own jobs."""

from __future__ import annotations

import json

from pydantic import TypeAdapter, ValidationError

from prime_action.config.models import RepoConfig
from prime_action.config.org import OrgConfig
from prime_action.dispatch.rules import DispatchSettings
from prime_action.domain.errors import ConfigError
from prime_action.domain.models import PrimeState, RunSheetItem

RUN_SHEET_FILE = "run-sheet.json"
_ITEMS = TypeAdapter(tuple[RunSheetItem, ...])


def parse_run_sheet(text: str, file: str = RUN_SHEET_FILE) -> tuple[RunSheetItem, ...]:
    """Read run-sheet.json (DESIGN §5): a JSON array of items sorted by contiguous rank.

    Raises:
        ConfigError: naming the file, the item and the field, when it is not a valid sheet.
    """
    try:
        items = _ITEMS.validate_python(json.loads(text))
    except json.JSONDecodeError as e:
        msg = f"not JSON ({e.msg}); Org Prime writes this file: rerun `prime org`"
        raise ConfigError(msg, file=file, line=e.lineno) from e
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        msg = f"item {where}: {first['msg']} (see `prime schema run-sheet`)"
        raise ConfigError(msg, file=file) from e
    ranks = [item.rank for item in items]
    if ranks != list(range(1, len(items) + 1)):
        msg = f"ranks must run 1..{len(items)} in order, found {ranks[:10]}; rerun `prime org`"
        raise ConfigError(msg, file=file)
    return items


def org_settings(config: OrgConfig, timeout_hours: float, spacing: float) -> DispatchSettings:
    """The org dispatcher's limits: capacity per runner type and dispatches per cycle."""
    return DispatchSettings(
        capacity=dict(config.capacity),
        max_per_cycle=config.max_dispatches_per_cycle,
        timeout_hours=timeout_hours,
        spacing_seconds=spacing,
    )


def standalone_settings(config: RepoConfig, spacing: float = 0.0) -> DispatchSettings:
    """A standalone repo's limits: `jobs.max_in_flight` open attempts in all."""
    return DispatchSettings(
        max_open=config.jobs.max_in_flight,
        max_per_cycle=config.jobs.max_in_flight,
        timeout_hours=config.jobs.in_flight_timeout_hours,
        spacing_seconds=spacing,
    )


def standalone_items(
    repo: str, state: PrimeState, config: RepoConfig
) -> tuple[tuple[RunSheetItem, ...], dict[tuple[str, str], str]]:
    """The jobs a standalone wake submitted, as a run sheet, with the ids the wake gave them.

    The repository's in-flight jobs are its queue: one that the dispatcher holds back now
    (capacity, cooldown) is offered again by the next wake, until it starts or expires.

    Returns:
        The items in submission order, and (repo, signal) -> attempt id.
    """
    fixes = {s.name: s.fix for s in state.signals}
    # A rebuilt job runs already (its issue says in-progress): it is not dispatched again.
    jobs = [job for job in state.in_flight if not job.placeholder]
    items = []
    for rank, job in enumerate(jobs, start=1):
        fix = fixes.get(job.signal)
        override = config.signals.get(job.signal)
        cooldown = (override.cooldown_hours if override else None) or config.jobs.cooldown_hours
        items.append(
            RunSheetItem(
                rank=rank,
                repo=repo,
                signal=job.signal,
                runner=job.runner,
                reason=f"submitted by this repository's wake at {job.submitted_at:%Y-%m-%d %H:%M}",
                approach=fix.approach if fix else "",
                cooldown_hours=cooldown,
                added_at=job.submitted_at,
                fingerprint=job.fingerprint,
            )
        )
    ids = {(repo, job.signal): job.attempt_id for job in jobs}
    return tuple(items), ids
