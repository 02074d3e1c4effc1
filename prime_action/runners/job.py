"""The job a runner works on: the runner workflow's inputs, checked before anything is read."""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError

from prime_action.domain.errors import ConfigError
from prime_action.domain.models import RunnerType
from prime_action.domain.values import Frozen

_NAME = r"^[A-Za-z0-9_.-]+$"


class Job(Frozen):
    """One dispatched attempt, as the runner workflow receives it (workflow_dispatch inputs)."""

    attempt: str = Field(pattern=_NAME, max_length=100)
    repo: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    signal: str = Field(pattern=_NAME, max_length=100)
    runner: RunnerType
    approach: str = ""
    # The branch the checkout starts from (a Prime PR's); empty: the default branch.
    ref: str = Field(default="", pattern=r"^([A-Za-z0-9_./-]+)?$", max_length=200)


def job_from_inputs(inputs: dict[str, Any], source: str) -> Job:
    """Read the job from workflow_dispatch inputs; a bad value names the input.

    Raises:
        ConfigError: an input is missing or malformed.
    """
    try:
        return Job.model_validate({k: v for k, v in inputs.items() if k in Job.model_fields})
    except ValidationError as e:
        first = e.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        msg = f"input '{name}': {first['msg']}; the runner workflow is started by `prime dispatch`"
        raise ConfigError(msg, file=source) from e
