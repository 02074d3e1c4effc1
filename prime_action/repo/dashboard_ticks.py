"""The dashboard's checkboxes: which ones a maintainer ticked, what they ask for, unticking."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from prime_action.domain.commands import Command
from prime_action.domain.values import Frozen

# A signal name that can sit inside a marker: no whitespace, no `>`, and no `--`, which
# would close the HTML comment early.
SIGNAL_NAME = r"[A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*"
_KEY = re.compile(rf"wake|pause|resume|(?:run|retry|clear)={SIGNAL_NAME}")
# A task-list item whose box is followed by one of our markers. The groups let a box be
# rewritten in place, leaving every other character of a hand-edited body as it was.
_BOX = re.compile(
    r"^(?P<lead>[ \t]*[-*+][ \t]*\[)(?P<mark>[ xX])"
    r"(?P<tail>\][ \t]*<!--[ \t]*prime:(?P<key>[^\s>]*?)[ \t]*-->)",
    re.MULTILINE,
)


class Ticks(Frozen):
    """The dashboard boxes that are ticked, each at most once, in the order they appear."""

    wake: bool = False
    pause: bool = False
    resume: bool = False
    run: tuple[str, ...] = ()
    retry: tuple[str, ...] = ()
    # Signals whose priority change a maintainer clears (`/prime priority SIGNAL clear`).
    clear: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when no box is ticked."""
        return not self.keys()

    def keys(self) -> frozenset[str]:
        """The marker keys of the ticked boxes: `wake`, `run=ci`, `retry=ci`..."""
        flags = {"wake": self.wake, "pause": self.pause, "resume": self.resume}
        return frozenset(
            [key for key, on in flags.items() if on]
            + [f"run={signal}" for signal in self.run]
            + [f"retry={signal}" for signal in self.retry]
            + [f"clear={signal}" for signal in self.clear]
        )


def is_box_name(signal: str) -> bool:
    """Whether a signal's name can be carried by a box's marker (and so get a box)."""
    return re.fullmatch(SIGNAL_NAME, signal) is not None


def parse_ticks(body: str | None) -> Ticks:
    """Read which of the dashboard's boxes are ticked.

    Args:
        body: the dashboard issue's body; blank, None or hand-edited bodies are fine.

    Returns:
        The ticked boxes. `[x]` and `[X]` both count; a ticked box whose marker is unknown
        or malformed is ignored, and a body without markers has no ticks.
    """
    return _from_keys(_ticked_keys(body))


def ticks_to_commands(ticks: Ticks) -> tuple[Command, ...]:
    """The `/prime` commands the ticked boxes stand for, in the order to apply them.

    Resume comes first so that the other commands act on an active Prime; pause comes last
    so that a pause ticked together with anything else leaves Prime paused.

    Args:
        ticks: the ticked boxes.

    Returns:
        (command, args) pairs: `("retry", ("ci",))`, `("run", ("ci",))`, `("wake", ())`...
    """
    return (
        *([("resume", ())] if ticks.resume else []),
        *(("retry", (signal,)) for signal in ticks.retry),
        *(("run", (signal,)) for signal in ticks.run),
        *(("priority", (signal, "clear")) for signal in ticks.clear),
        *([("wake", ())] if ticks.wake else []),
        *([("pause", ())] if ticks.pause else []),
    )


def untick(body: str, handled: Ticks) -> str:
    """Untick exactly the handled boxes; every other character of the body is kept.

    Args:
        body: the dashboard body as freshly re-read.
        handled: the ticks this wake acted on.

    Returns:
        The body with those boxes unticked. A box ticked after the wake read the body (and
        so not in `handled`) stays ticked, for the next wake to act on.
    """
    keys = handled.keys()
    return _rewrite(body, lambda key: " " if key in keys else None)


def merge_for_write(fresh_body: str | None, rendered: str, handled: Ticks) -> str:
    """The body to write: the new rendering, keeping ticks that no wake has acted on yet.

    Args:
        fresh_body: the dashboard body re-read just before writing (None when missing).
        rendered: the body rendered from this wake's state, every box unticked.
        handled: the ticks this wake acted on.

    Returns:
        `rendered`, with every box ticked in `fresh_body` but not handled ticked again. A
        blank or hand-edited fresh body has no ticks, so it is simply replaced (repaired).
    """
    pending = set(_ticked_keys(fresh_body)) - handled.keys()
    return _rewrite(rendered, lambda key: "x" if key in pending else None)


def needs_write(current_body: str | None, new_body: str) -> bool:
    """Whether the dashboard must be written: only when its text would change.

    Args:
        current_body: the body on GitHub now (None when there is no dashboard yet).
        new_body: the body this wake would write.

    Returns:
        False when both are equal, ignoring trailing whitespace and line endings (the web
        editor saves CRLF), so a wake that changed nothing writes nothing.
    """
    return current_body is None or _normal(current_body) != _normal(new_body)


def _normal(body: str) -> str:
    return body.replace("\r\n", "\n").rstrip()


def _ticked_keys(body: str | None) -> tuple[str, ...]:
    keys = (box["key"] for box in _BOX.finditer(body or "") if box["mark"] != " ")
    return tuple(dict.fromkeys(key for key in keys if _KEY.fullmatch(key)))


def _from_keys(keys: Iterable[str]) -> Ticks:
    keys = tuple(keys)

    def named(kind: str) -> tuple[str, ...]:
        return tuple(key.split("=", 1)[1] for key in keys if key.startswith(f"{kind}="))

    return Ticks(
        wake="wake" in keys,
        pause="pause" in keys,
        resume="resume" in keys,
        run=named("run"),
        retry=named("retry"),
        clear=named("clear"),
    )


def _rewrite(body: str, mark_for: Callable[[str], str | None]) -> str:
    """Set the mark of each box whose key `mark_for` answers for; leave the rest alone."""

    def one(box: re.Match[str]) -> str:
        mark = mark_for(box["key"])
        return box[0] if mark is None else f"{box['lead']}{mark}{box['tail']}"

    return _BOX.sub(one, body)


class Revision(Frozen):
    """One saved version of the dashboard's body and who saved it (GitHub's edit history)."""

    editor: str
    bot: bool = False
    body: str
    at: datetime


def ticked_keys(body: str | None) -> frozenset[str]:
    """The marker keys of the boxes ticked in a body (`wake`, `run=ci`...)."""
    return frozenset(_ticked_keys(body))


def ticks_of(keys: Iterable[str]) -> Ticks:
    """The ticks with these marker keys, in a body's order for equal inputs."""
    return _from_keys(sorted(keys))


def made_by_edit(before: str | None, after: str | None) -> frozenset[str]:
    """The boxes one edit ticked: ticked after it and not before it."""
    return ticked_keys(after) - ticked_keys(before)


def tick_makers(revisions: tuple[Revision, ...], keys: frozenset[str]) -> dict[str, Revision]:
    """Who ticked each box: the editor of the newest revision that turned it from blank to ticked.

    Args:
        revisions: the body's saved versions, any order (sorted here by time).
        keys: the ticked boxes to attribute.

    Returns:
        key -> the revision that ticked it. A box ticked already in the oldest revision known
        (the history was cut) has no maker, and so no one to trust.
    """
    ordered = sorted(revisions, key=lambda r: r.at)
    makers: dict[str, Revision] = {}
    for newer, older in zip(ordered[::-1], ordered[-2::-1], strict=False):
        turned = made_by_edit(older.body, newer.body)
        for key in (keys & turned) - makers.keys():
            makers[key] = newer
    return makers
