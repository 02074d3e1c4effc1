"""What maintainers say to Prime in their own words, and the changes they ask of it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from prime_action.domain.values import Frozen

# A priority change: up puts a signal first in the repository's plan, down last.
Direction = Literal["up", "down"]


class Message(Frozen):
    """A trusted maintainer's free-text message to Prime on one of its threads."""

    comment: int
    issue: int
    author: str
    text: str


class Priority(Frozen):
    """A maintainer's priority change for one signal of this repository, until it expires."""

    direction: Direction
    until: datetime
    by: str = ""


class PriorityChange(Frozen):
    """A change a conversation asks for: a signal up or down for some hours, or cleared."""

    signal: str
    direction: Literal["up", "down", "clear"]
    hours: float = Field(default=168.0, gt=0)


class Answer(Frozen):
    """What a decision says to the maintainers' messages of its wake, and the changes they asked."""

    reply: str = ""
    priorities: tuple[PriorityChange, ...] = ()
    # Signals to leave alone, as `/prime skip SIGNAL` does.
    skip: tuple[str, ...] = ()
