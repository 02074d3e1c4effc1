"""seed.yaml: the genome of growth mode, validated, with errors that name the key and the line."""

from __future__ import annotations

import functools
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from prime_action.config.loader import key_line, parse_yaml
from prime_action.domain.errors import ConfigError
from prime_action.templating import render
from prime_action.workflows import DEFAULT_ACTION_REF, config_schema_url

SEED_PATH = "seed.yaml"
# Ids become parts of issue markers (`<!-- prime:signal=growth.EPIC.TASK -->`), so they keep
# to the marker's alphabet and never contain the separator.
SLUG = r"^[a-z0-9][a-z0-9_-]*$"


class Part(BaseModel):
    """A seed section: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Project(Part):
    """What the repository is."""

    name: str = Field(min_length=1, description="The project's name.")
    description: str = Field(default="", description="One or two sentences.")
    languages: tuple[str, ...] = Field(default=(), description="e.g. python, typescript.")


class Domain(Part):
    """The problem the project solves, and what it deliberately does not do."""

    problem_statement: str = Field(min_length=1, description="The problem, in plain words.")
    non_goals: tuple[str, ...] = Field(default=(), description="What the project will not do.")


class Module(Part):
    """One part of the architecture: where it lives and what it is responsible for."""

    name: str = Field(pattern=SLUG, description="A short id, used by epics and constraints.")
    paths: tuple[str, ...] = Field(min_length=1, description="Folders or files, repo-relative.")
    responsibility: str = Field(min_length=1, description="What this module does.")


class Architecture(Part):
    """The modules of the project."""

    modules: tuple[Module, ...] = Field(default=(), description="The project's modules.")


class CodingStandards(Part):
    """Rules the implementer follows and the reviewer checks."""

    style: tuple[str, ...] = Field(default=(), description="House rules, one sentence each.")
    formatter: str | None = Field(default=None, description="e.g. `ruff format`.")
    linter: str | None = Field(default=None, description="e.g. `ruff check`.")


class Coverage(Part):
    """Coverage minimums, read from a coverage report when one is present."""

    minimum_percent: float = Field(default=0.0, ge=0, le=100, description="Line coverage floor.")
    no_decrease: bool = Field(default=True, description="Coverage may not drop below the base.")


class QualityGates(Part):
    """What must be green before a change merges."""

    required_checks: tuple[str, ...] = Field(default=(), description="Check names that must pass.")
    coverage: Coverage = Coverage()


class Task(Part):
    """One ticket's worth of work in an epic."""

    id: str = Field(pattern=SLUG, description="Unique within the epic; part of the marker.")
    title: str = Field(min_length=1, max_length=200, description="The ticket's title.")
    scope: tuple[str, ...] = Field(default=(), description="Paths the change may touch.")
    acceptance: tuple[str, ...] = Field(min_length=1, description="Acceptance criteria.")
    depends_on: tuple[str, ...] = Field(
        default=(), description="Ids of tasks of the same epic whose tickets must be closed first."
    )


class Epic(Part):
    """A roadmap epic: a goal, the modules it grows, and its task list."""

    id: str = Field(pattern=SLUG, description="Unique in the seed; part of the marker.")
    title: str = Field(min_length=1, description="The epic's name.")
    goal: str = Field(default="", description="What is true when the epic is done.")
    modules: tuple[str, ...] = Field(default=(), description="Architecture module names.")
    priority: int = Field(default=3, ge=1, le=5, description="1 is first; ties keep seed order.")
    issue: int | None = Field(default=None, ge=1, description="The epic's issue, if any.")
    tasks: tuple[Task, ...] = Field(default=(), description="In the order they should be done.")


class GrowthObjectives(Part):
    """The roadmap."""

    epics: tuple[Epic, ...] = Field(default=(), description="Roadmap epics.")


class ForbiddenImport(Part):
    """Code in one module must not import another module."""

    source: str = Field(alias="from", pattern=SLUG, description="The importing module.")
    target: str = Field(alias="to", pattern=SLUG, description="The module it must not import.")


class Constraints(Part):
    """Hard limits the reviewer checks on every diff."""

    max_lines_per_file: int = Field(default=400, ge=1, description="Lines in any changed file.")
    max_function_lines: int = Field(default=50, ge=1, description="Lines in any function.")
    dependency_allowlist: tuple[str, ...] = Field(
        default=(), description="Package names a change may add as dependencies."
    )
    max_new_dependencies_per_pr: int = Field(default=1, ge=0, description="New deps per PR.")
    forbidden_imports: tuple[ForbiddenImport, ...] = Field(
        default=(), description="Module pairs that must not import each other (one way)."
    )


class Evaluation(Part):
    """How the project is judged."""

    test_command: str | None = Field(default=None, description="e.g. `pytest`.")
    coverage_report: str | None = Field(default=None, description="e.g. `coverage.xml`.")
    criteria: tuple[str, ...] = Field(default=(), description="What good looks like.")


class MergePolicy(Part):
    """When the maintainer may merge."""

    mode: Literal["auto", "human"] = Field(
        default="human", description="auto: merge when every gate is green; human: ask."
    )
    reviewers: tuple[str, ...] = Field(default=(), description="Logins asked to review.")


class AutomationContract(Part):
    """What agents may read and write, how tickets are labelled, and how work merges."""

    read_paths: tuple[str, ...] = Field(default=("**",), description="Globs agents may read.")
    write_paths: tuple[str, ...] = Field(default=(), description="Globs agents may write.")
    disallowed_writes: tuple[str, ...] = Field(
        default=(".github/workflows/**", SEED_PATH), description="Globs never written."
    )
    task_label: str = Field(default="ai-task", min_length=1, description="The tickets' label.")
    max_open_tasks: int = Field(default=2, ge=1, description="Open tickets at most.")
    max_review_rounds: int = Field(default=3, ge=1, description="Reworks before needs-human.")
    merge_policy: MergePolicy = MergePolicy()


class Energy(Part):
    """Growth's budget per cycle: past any limit, no new ticket is opened or dispatched."""

    cycle_hours: int = Field(default=24, ge=1, description="The length of one cycle.")
    max_cost_usd: float | None = Field(
        default=None, ge=0, description="LLM spend per cycle (null: no limit)."
    )
    max_tickets_in_flight: int | None = Field(
        default=None, ge=1, description="Open ai-task tickets at once (null: max_open_tasks)."
    )
    max_lines_changed: int | None = Field(
        default=None, ge=1, description="Lines changed by merged PRs per cycle (null: no limit)."
    )


class Seed(Part):
    """seed.yaml at the repository root (growth mode)."""

    version: Literal[1] = Field(default=1, description="The format of this file.")
    project: Project
    domain: Domain
    architecture: Architecture = Architecture()
    coding_standards: CodingStandards = CodingStandards()
    quality_gates: QualityGates = QualityGates()
    growth_objectives: GrowthObjectives = GrowthObjectives()
    constraints: Constraints = Constraints()
    evaluation: Evaluation = Evaluation()
    automation_contract: AutomationContract = AutomationContract()
    energy: Energy = Energy()


Loc = tuple[str | int, ...]


def _duplicates(names: list[str]) -> int | None:
    """The index of the first name seen before, if any."""
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            return index
        seen.add(name)
    return None


def _epic_problems(seed: Seed, e: int, modules: set[str]) -> list[tuple[Loc, str]]:
    epic = seed.growth_objectives.epics[e]
    at: Loc = ("growth_objectives", "epics", e)
    problems = [
        ((*at, "modules", m), f"'{name}' is not a module under architecture.modules")
        for m, name in enumerate(epic.modules)
        if name not in modules
    ]
    ids = [task.id for task in epic.tasks]
    dup = _duplicates(ids)
    if dup is not None:
        problems.append(((*at, "tasks", dup, "id"), f"task id '{ids[dup]}' is used twice"))
    for t, task in enumerate(epic.tasks):
        problems += [
            ((*at, "tasks", t, "depends_on", d), f"'{name}' is not an earlier task of this epic")
            for d, name in enumerate(task.depends_on)
            if name not in ids[:t]
        ]
    return problems


def problems(seed: Seed) -> list[tuple[Loc, str]]:
    """Cross-references the schema alone cannot check: ids unique, names that resolve.

    Returns:
        (key path, message) pairs, in document order; empty when the seed is consistent.
    """
    modules = [m.name for m in seed.architecture.modules]
    found: list[tuple[Loc, str]] = []
    dup = _duplicates(modules)
    if dup is not None:
        found.append((("architecture", "modules", dup, "name"), f"'{modules[dup]}' twice"))
    epics = [epic.id for epic in seed.growth_objectives.epics]
    dup = _duplicates(epics)
    if dup is not None:
        found.append((("growth_objectives", "epics", dup, "id"), f"'{epics[dup]}' twice"))
    for e in range(len(epics)):
        found += _epic_problems(seed, e, set(modules))
    for f, rule in enumerate(seed.constraints.forbidden_imports):
        for key, name in (("from", rule.source), ("to", rule.target)):
            if name not in modules:
                loc: Loc = ("constraints", "forbidden_imports", f, key)
                found.append((loc, f"'{name}' is not a module under architecture.modules"))
    return found


# The eyes and the growth detector both read the seed in one wake: it is parsed once (a
# Seed is frozen, so one value serves both).
@functools.lru_cache(maxsize=16)
def parse_seed(text: str, source: str = SEED_PATH) -> Seed:
    """Validate seed.yaml's text, cross-references included.

    Args:
        text: the file's YAML.
        source: the file name used in error messages.

    Returns:
        The validated seed.

    Raises:
        ConfigError: naming the file, the line and the key, with the fix.
    """
    seed = parse_yaml(text, Seed, source, schema="seed")
    found = problems(seed)
    if found:
        loc, message = found[0]
        key = ".".join(str(part) for part in loc)
        msg = f"key '{key}': {message} (see `prime schema seed`)"
        raise ConfigError(msg, file=source, line=key_line(text, loc))
    return seed


def render_seed(name: str, action_ref: str = DEFAULT_ACTION_REF) -> str:
    """The commented seed.yaml that `prime init --seed` writes (valid as it stands).

    Args:
        name: the project's name.
        action_ref: the Prime action whose shipped seed schema the editor hint points at.

    Returns:
        The YAML text: required keys filled in, every other key at its default with a comment,
        and an example epic commented out (no ticket is written until you add one).
    """
    schema_url = config_schema_url(action_ref).replace("/config.schema.json", "/seed.schema.json")
    defaults = Seed(project=Project(name=name), domain=Domain(problem_statement="-"))
    return render(
        "seed/seed.yaml.j2", schema_url=schema_url, project=name, d=defaults.model_dump(mode="json")
    )
