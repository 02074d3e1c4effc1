"""Every fileops fix Prime would propose on the corpus validates and turns its signal ok."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml

from prime_action.config.models import RepoConfig
from prime_action.eyes import run_signals
from prime_action.fileops.fixes import FIXABLE, NeedsHuman, content_files, plan_fix
from prime_action.signals.base import RepoSnapshot
from tests.signals.corpus import Sample, samples

# Corpus owners that are user accounts (GitHub's `type: User`): they can own code in
# CODEOWNERS; an organisation cannot, and that fix goes to a person instead.
USERS = frozenset({"BurntSushi", "sindresorhus", "junegunn", "sharkdp", "hynek", "spf13"})


def _pairs() -> list[tuple[Sample, str]]:
    return [
        (sample, signal.name)
        for sample in samples()
        for signal in run_signals(sample.snapshot(), RepoConfig())
        if signal.status == "failing" and signal.fix is not None and signal.name in FIXABLE
    ]


PAIRS = _pairs()


def _schema() -> dict[str, Any]:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads(vendored.joinpath("dependabot.json").read_text())
    return schema


def _validate(path: str, content: str) -> None:
    if path.endswith("dependabot.yml"):
        jsonschema.validate(yaml.safe_load(content), _schema())
    elif path.endswith((".yml", ".yaml")):
        assert isinstance(yaml.safe_load(content), dict)
    elif path.endswith(".toml"):
        tomllib.loads(content)
    assert content.endswith("\n")


def _applied(sample: Sample, changes: dict[str, str]) -> RepoSnapshot:
    snapshot = sample.snapshot()
    files = {**snapshot.files, **changes}
    paths = tuple(sorted({*snapshot.paths, *changes}))
    return snapshot.model_copy(update={"paths": paths, "files": files})


def test_the_corpus_has_a_fix_to_check_for_each_fileops_signal_that_fails_there() -> None:
    assert {signal for _, signal in PAIRS} == {
        "codeowners",
        "dependabot",
        "editorconfig",
        "security-policy",
    }
    assert len(PAIRS) >= 60


@pytest.mark.parametrize(
    ("sample", "signal"), PAIRS, ids=[f"{s.repo}:{signal}" for s, signal in PAIRS]
)
def test_a_fix_validates_and_turns_its_signal_ok(sample: Sample, signal: str) -> None:
    owner = sample.repo.split("/")[0]
    files = {p: sample.files[p] for p in content_files(sample.paths) if p in sample.files}
    person = f"@{owner}" if owner in USERS else None
    try:
        plan = plan_fix(
            signal,
            sample.paths,
            owner=f"@{owner}",
            license_id="MIT",
            year=2026,
            files=files,
            code_owner=person,
        )
    except NeedsHuman:
        assert (signal, person) == ("codeowners", None)
        return
    changes = plan.changes()
    assert changes
    for path, content in changes.items():
        _validate(path, content)
    after = {s.name: s for s in run_signals(_applied(sample, changes), RepoConfig())}
    assert after[signal].status == "ok", after[signal].detail
