"""`prime wake --decide DIR` / `--act DIR`: the LLM brain without a write token, then the writes.

The reasoning job (a token that can only read, the model's key) runs the wake as a dry run and
leaves the brain's decision in DIR; the writing job (the write token, no model key) downloads
it and runs the wake with that decision, which the wake's policy checks against its own reads.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from prime_action.brain.port import Brain
from prime_action.brain.replay import (
    DECISION_FILE,
    MAX_DECISION_BYTES,
    DecisionRefused,
    RecordingBrain,
    ReplayBrain,
    read_decision,
)
from prime_action.brain.rules import RulesBrain
from prime_action.domain.models import Decision
from prime_action.flows.wake import run_on_github


def decide(environ: Mapping[str, str], folder: Path) -> int:
    """The reasoning half: a dry-run wake whose brain's decision is written to `folder`."""
    recorder: list[RecordingBrain] = []

    def record(brain: Brain) -> Brain:
        recorder.append(RecordingBrain(brain))
        return recorder[-1]

    code = run_on_github({**environ, "PRIME_DRY_RUN": "true"}, record)
    decisions = [d for r in recorder for d in r.decisions]
    folder.mkdir(parents=True, exist_ok=True)
    if decisions:  # none: the gate ignored the event or the repository sleeps
        text = decisions[-1].model_dump_json(indent=2)
        (folder / DECISION_FILE).write_text(text + "\n", encoding="utf-8")
    return code


def act(environ: Mapping[str, str], folder: Path) -> int:
    """The writing half: the wake, its brain replaying the decision in `folder`.

    No decision, or one refused, leaves the wake to the rules brain, saying why.
    """
    decision: Decision | None = None
    try:
        decision = read_decision(_bounded(folder / DECISION_FILE))
    except DecisionRefused as e:
        sys.stdout.write(f"prime wake --act: {e}; the rules brain decides\n")
    return run_on_github(environ, lambda _: ReplayBrain(decision, RulesBrain()))


def _bounded(path: Path) -> bytes:
    if not path.is_file() or path.is_symlink():
        msg = f"{DECISION_FILE} is missing (the reasoning job ignored the event or failed)"
        raise DecisionRefused(msg)
    with path.open("rb") as handle:
        return handle.read(MAX_DECISION_BYTES + 1)
