"""The vendored subset is self-contained, small and lists exactly the script's operations."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SUBSET = ROOT / "tests" / "fixtures" / "openapi" / "api.github.com.subset.json"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "vendor_openapi", ROOT / "scripts" / "vendor_openapi.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # The script imports its sibling npm_package.py, as it does when run as a script.
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return module


@pytest.fixture(scope="module")
def document() -> Any:
    return json.loads(SUBSET.read_text(encoding="utf-8"))


def test_the_subset_holds_exactly_the_listed_operations(script: ModuleType, document: Any) -> None:
    found = {
        (method, template)
        for template, item in document["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert found == set(script.OPERATIONS)
    assert document["info"]["x-vendored-from"] == f"@octokit/openapi@{script.VERSION}"


def test_every_reference_resolves_inside_the_file(script: ModuleType, document: Any) -> None:
    for ref in script.refs_in(document):
        _, section, kind, name = ref.split("/")
        assert name in document[section][kind], ref


def test_the_subset_stays_small() -> None:
    assert SUBSET.stat().st_size < 1_500_000
