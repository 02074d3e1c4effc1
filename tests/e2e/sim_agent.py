"""The simulated organisation's coding agent: an `agent.command` CLI run in the checkout.

It writes the file a signal asks for, as a coding agent would, and escalates what needs a
person (a failing CI on main is the simulated people's doing, not the code's). Usage, as the
agent runner calls it: `python sim_agent.py PROMPT`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

WRITES = {
    "agent-instructions": ("AGENTS.md", "# Agents\n\nRun `npm test` before proposing a change.\n"),
    "contributing": ("CONTRIBUTING.md", "# Contributing\n\nOpen an issue, then a pull request.\n"),
    "gitignore": (".gitignore", "node_modules/\n.env\n"),
    "issue-templates": (".github/ISSUE_TEMPLATE/bug.md", "---\nname: Bug report\n---\n"),
}


def main(prompt: str) -> int:
    """Write the signal's file; escalate any other signal."""
    found = re.search(r"^Signal: `([^`]+)`", prompt, re.MULTILINE)
    signal = found.group(1) if found else ""
    if signal not in WRITES:
        print(f"ESCALATE {signal or 'this signal'} needs a person in the simulated organisation")
        return 1
    path, text = WRITES[signal]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[-1]))
