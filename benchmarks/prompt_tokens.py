"""The LLM prompt's size for a small repository and a very large one: bounded by the budget.

Run: `python benchmarks/prompt_tokens.py [BUDGET]` (default 8000, the config default). The
large repository has thousands of files, 200 open tracking issues with long titles, a long
CLAUDE.md and AGENTS.md, and a long event body. Tokens are counted twice: Prime's own
tokenizer-free estimate (what the budget is enforced on) and, with litellm installed, a real
tokenizer (tiktoken through `litellm.token_counter`, o200k for gpt-4o-mini).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prime_action.adapters.llm.litellm_client import load_litellm
from prime_action.adapters.local.snapshot import local_snapshot
from prime_action.brain.prompt import Prompt, PromptContext, build_prompt
from prime_action.config.models import RepoConfig
from prime_action.domain.errors import LLMError
from prime_action.domain.models import PrimeState
from prime_action.domain.ports import TrackedIssue
from prime_action.eyes import run_signals
from prime_action.repo.memory_update import prepare
from tests.values import NOW

SMALL_CLAUDE = "# Agents\nRun `make test` before a PR. Keep changes small.\n"
LONG_CLAUDE = "".join(
    f"## Rule {n}\nAlways run `make lint test` and explain the change in the PR body.\n"
    for n in range(4000)
)


# name, files, open tracking issues, CLAUDE.md, the event's text
CASES = (
    ("small", 10, 0, SMALL_CLAUDE, "issues.edited by alice\nPlease add a license."),
    ("very large", 5000, 200, LONG_CLAUDE, "issues.edited by bob\n" + "Look here. " * 9000),
)


def _write(root: Path, files: int, claude: str) -> None:
    (root / "README.md").write_text("# demo\n")
    (root / "package.json").write_text('{"name": "demo"}\n')
    (root / "CLAUDE.md").write_text(claude)
    (root / "AGENTS.md").write_text(claude[: len(claude) // 2])
    for n in range(files):
        folder = root / "src" / f"pkg{n // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"module_{n}.py").write_text(f"VALUE = {n}\n")


def _issues(count: int) -> tuple[TrackedIssue, ...]:
    return tuple(
        TrackedIssue(
            number=n,
            signal=f"custom-{n}",
            title=f"Prime: custom-{n}: " + "a long and winding title " * 8,
            state="open",
            labels=("automated", "needs-human"),
        )
        for n in range(1, count + 1)
    )


def measure(files: int, issues: int, claude: str, event: str, budget: int) -> tuple[Prompt, float]:
    """Build the prompt of one wake of a generated checkout; return it and the build time."""
    config = RepoConfig.model_validate({"brain": {"prompt_token_budget": budget}})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write(root, files, claude)
        signals = run_signals(local_snapshot(root, config, NOW), config)
        identity = {p: (root / p).read_text() for p in ("CLAUDE.md", "AGENTS.md")}
    prepared = prepare(
        PrimeState(),
        reason="issue-edited",
        signals=signals,
        issues=_issues(issues),
        config=config,
        now=NOW,
    )
    start = time.perf_counter()
    prompt = build_prompt(prepared.picture, PromptContext(identity=identity, event=event), budget)
    return prompt, time.perf_counter() - start


def real_tokens(prompt: Prompt) -> str:
    """Tokens by a real tokenizer, or why they could not be counted."""
    try:
        litellm = load_litellm()
    except LLMError:
        return "n/a (litellm not installed)"
    messages = [
        {"role": "system", "content": prompt.system},
        {"role": "user", "content": prompt.user},
    ]
    return str(litellm.token_counter(model="gpt-4o-mini", messages=messages))


def main() -> None:
    budget = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    print(f"prompt token budget: {budget}")
    for name, files, issues, claude, event in CASES:
        prompt, seconds = measure(files, issues, claude, event, budget)
        print(
            f"{name:>10} repository: {files:>5} files, {issues:>3} open issues, CLAUDE.md "
            f"{len(claude):>7} chars -> prompt {len(prompt.system) + len(prompt.user):>6} chars, "
            f"estimated {prompt.tokens:>5} tokens, tiktoken {real_tokens(prompt):>5} tokens "
            f"(built in {seconds * 1000:.1f} ms); within budget: {prompt.tokens <= budget}"
        )


if __name__ == "__main__":
    main()
