"""The shipped JSON Schemas equal what the models generate, and validate real documents."""

from __future__ import annotations

import json

import jsonschema
import pytest

from prime_action.cli import main
from prime_action.schemas import MODELS, render, shipped


@pytest.mark.parametrize("name", sorted(MODELS))
def test_shipped_schema_is_up_to_date_with_the_models(name: str) -> None:
    # Regenerate with: python scripts/generate_schemas.py
    assert shipped(name) == render(name)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_shipped_schema_is_a_valid_json_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(shipped(name)))


RUN_SHEET_ITEM = {
    "rank": 1,
    "repo": "acme/api",
    "signal": "ci",
    "runner": "agent",
    "reason": "CI failing on main blocks all other automation",
    "approach": "Fix the type errors",
    "cooldown_hours": 72,
    "added_at": "2026-03-20T07:00:00Z",
}


@pytest.mark.parametrize(
    ("sheet", "valid"),
    [
        ([RUN_SHEET_ITEM], True),
        ([{**RUN_SHEET_ITEM, "extra": "allowed"}], True),
        ([{k: v for k, v in RUN_SHEET_ITEM.items() if k != "approach"}], False),
        ([{**RUN_SHEET_ITEM, "runner": "robot"}], False),
        ([{**RUN_SHEET_ITEM, "rank": 0}], False),
        (RUN_SHEET_ITEM, False),
    ],
    ids=["design-example", "extra-key", "missing-key", "bad-runner", "rank-zero", "not-an-array"],
)
def test_run_sheet_schema_holds_the_design_contract(sheet: object, valid: bool) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(shipped("run-sheet")))
    assert validator.is_valid(sheet) is valid


def test_prime_schema_prints_a_schema_and_rejects_unknown_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema", "config"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("Prime repository config")
    assert main(["schema", "nope"]) == 2
    assert "choose one of" in capsys.readouterr().err
