"""seed.yaml: every section validates, errors name the key and the line, init writes a template."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from prime_action.cli import main
from prime_action.domain.errors import ConfigError
from prime_action.growth.seed import SEED_PATH, Seed, parse_seed, render_seed
from prime_action.schemas import shipped
from tests.growth.seeds import VALID

SECTIONS = (
    "project",
    "domain",
    "architecture",
    "coding_standards",
    "quality_gates",
    "growth_objectives",
    "constraints",
    "evaluation",
    "automation_contract",
)


def line_of(text: str, snippet: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if snippet in line)


def test_a_valid_seed_parses_into_every_section() -> None:
    seed = parse_seed(VALID)
    assert set(SECTIONS) <= set(Seed.model_fields)
    assert [e.id for e in seed.growth_objectives.epics] == ["parser", "export"]
    assert seed.constraints.forbidden_imports[0].source == "core"
    assert seed.constraints.forbidden_imports[0].target == "adapters"
    assert seed.automation_contract.task_label == "ai-task"
    assert seed.quality_gates.coverage.minimum_percent == 80


@pytest.mark.parametrize(
    ("old", "new", "key", "snippet"),
    [
        ("max_open_tasks: 2", "max_open_tasks: 0", "contract.max_open_tasks", "max_open"),
        ("  max_lines_per_file: 300", "  max_lines: 300", "constraints.max_lines", "max_lines:"),
        ("- id: export", "- id: Export!", "growth_objectives.epics.1.id", "Export!"),
        ("minimum_percent: 80", "minimum_percent: 120", "coverage.minimum", "minimum"),
        ("      modules: [adapters]", "      modules: [ui]", "epics.1.modules.0", "[ui]"),
        ("- id: csv", "- id: csv\n          depends_on: [nope]", "tasks.0.depends_on.0", "[nope]"),
        ("- id: parse\n", "- id: tokenizer\n", "epics.0.tasks.1.id", "- id: tokenizer"),
        ("{from: core, to: adapters}", "{from: core, to: web}", "forbidden_imports.0.to", "web}"),
        ("- id: export", "- id: parser", "growth_objectives.epics.1.id", "- id: parser"),
    ],
    ids=[
        "limit-below-one",
        "unknown-key",
        "bad-id",
        "percent-over-100",
        "epic-names-unknown-module",
        "depends-on-unknown-task",
        "task-id-twice",
        "forbidden-import-unknown-module",
        "epic-id-twice",
    ],
)
def test_a_broken_seed_is_refused_naming_the_key_and_its_line(
    old: str, new: str, key: str, snippet: str
) -> None:
    assert old in VALID
    text = VALID.replace(old, new, 1)
    with pytest.raises(ConfigError) as caught:
        parse_seed(text)
    error = caught.value
    assert error.file == SEED_PATH
    assert key in str(error)
    assert "prime schema seed" in str(error)
    # A duplicate is reported where it is seen the second time.
    expected = [n for n, line in enumerate(text.splitlines(), 1) if snippet in line][-1]
    assert error.line == expected


def test_a_seed_without_project_or_domain_names_the_missing_section() -> None:
    with pytest.raises(ConfigError, match="key 'project'"):
        parse_seed("version: 1\n")


def test_yaml_syntax_errors_name_the_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_seed("project:\n  name: [unclosed\n")
    assert caught.value.line is not None
    assert "not valid YAML" in str(caught.value)


def test_the_shipped_schema_accepts_the_valid_seed_and_rejects_an_unknown_section() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(shipped("seed")))
    data = yaml.safe_load(VALID)
    assert validator.is_valid(data)
    assert not validator.is_valid({**data, "roadmap": {}})
    assert set(SECTIONS) <= set(json.loads(shipped("seed"))["properties"])


def test_prime_schema_seed_prints_the_seed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "seed"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Prime growth seed (seed.yaml)"


def test_the_template_is_a_valid_seed_that_opens_no_ticket() -> None:
    seed = parse_seed(render_seed("acme/api"))
    assert seed.project.name == "acme/api"
    assert seed.growth_objectives.epics == ()
    assert seed.constraints == Seed.model_fields["constraints"].default


def test_the_template_comments_every_section_and_points_at_the_schema() -> None:
    text = render_seed("acme/api", "acme/prime@v2")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "acme/prime/v2/prime_action/schemas/seed.schema.json" in text.splitlines()[0]
    for section in SECTIONS:
        assert line_of(text, f"{section}:") > 0


def test_the_templates_commented_examples_are_valid_once_uncommented() -> None:
    lines = render_seed("acme/api").splitlines()
    uncommented = [
        "    " + line.removeprefix("  #  ") if line.startswith("  #  ") else line for line in lines
    ]
    text = "\n".join(uncommented).replace("modules: []", "modules:").replace("epics: []", "epics:")
    seed = parse_seed(text)
    assert [m.name for m in seed.architecture.modules] == ["core", "adapters"]
    assert [t.id for t in seed.growth_objectives.epics[0].tasks] == ["tokenizer", "parser"]


def test_prime_init_seed_writes_seed_yaml_and_never_overwrites_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path), "--seed", "--repo", "acme/api"]) == 0
    written = tmp_path / SEED_PATH
    assert parse_seed(written.read_text(encoding="utf-8")).project.name == "acme/api"
    assert not (tmp_path / ".github").exists()
    written.write_text("mine\n", encoding="utf-8")
    assert main(["init", str(tmp_path), "--seed"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert written.read_text(encoding="utf-8") == "mine\n"
