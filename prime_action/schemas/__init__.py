"""JSON Schemas generated from the models; the files beside this module are what ships."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pydantic import BaseModel, RootModel, TypeAdapter

from prime_action.config.models import RepoConfig
from prime_action.config.org import OrgConfig
from prime_action.domain.models import Attempt, Decision, PrimeState, RunSheetItem, SignalResult
from prime_action.domain.release import SCHEMA_BASE_URL
from prime_action.growth.overview import GrowthOverview
from prime_action.growth.seed import Seed


class RunSheet(RootModel[list[RunSheetItem]]):
    """run-sheet.json: a JSON array of items sorted by rank."""


class SignalReport(RootModel[list[SignalResult]]):
    """The output of `prime scan --format json`."""


MODELS: dict[str, type[BaseModel]] = {
    "config": RepoConfig,
    "org-config": OrgConfig,
    "run-sheet": RunSheet,
    "state": PrimeState,
    "decision": Decision,
    "attempt": Attempt,
    "signals": SignalReport,
    "seed": Seed,
    "growth": GrowthOverview,
}

TITLES = {
    "config": "Prime repository config (.github/prime.yml)",
    "org-config": "Prime org config (.github/prime-org.yml)",
    "seed": "Prime growth seed (seed.yaml)",
}


def generate(name: str) -> dict[str, Any]:
    """Build the JSON Schema of one model from the code (what the shipped file must equal)."""
    schema = TypeAdapter(MODELS[name]).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{SCHEMA_BASE_URL}{name}.schema.json"
    if name in TITLES:
        schema["title"] = TITLES[name]
    return schema


def render(name: str) -> str:
    """The shipped file's text for one schema."""
    return json.dumps(generate(name), indent=2, sort_keys=True) + "\n"


def shipped(name: str) -> str:
    """Read a schema file as shipped in the package."""
    return resources.files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
