"""Which brain decides: rules without a model; the LLM brain (litellm imported lazily) with one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from prime_action.adapters.llm.factory import brain_for, with_model
from prime_action.brain.llm import LLMBrain
from prime_action.brain.prompt import PromptContext
from prime_action.brain.rules import RulesBrain
from prime_action.config.models import BrainSettings

ROOT = Path(__file__).resolve().parents[3]


def test_no_model_gives_the_rules_brain() -> None:
    assert isinstance(brain_for(BrainSettings(), PromptContext), RulesBrain)


def test_a_model_gives_the_llm_brain() -> None:
    assert isinstance(brain_for(BrainSettings(model="ollama/llama3"), PromptContext), LLMBrain)


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def test_a_rules_wake_never_imports_litellm(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# demo\n")
    code = (
        "import contextlib, io\nfrom prime_action.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['wake', '--local', {str(tmp_path)!r}])"
    )
    loaded = _modules_after(code)
    assert "prime_action.repo.cycle" in loaded  # the wake ran
    assert not {m for m in loaded if m.split(".")[0] in {"litellm", "openai"}}


def test_prime_version_imports_neither_litellm_nor_the_brains() -> None:
    code = (
        "import contextlib, io\nfrom prime_action.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--version'])"
    )
    loaded = _modules_after(code)
    assert "prime_action.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "litellm" or ".brain" in m}


def test_building_the_llm_brain_does_not_import_litellm() -> None:
    code = (
        "from prime_action.adapters.llm.factory import brain_for\n"
        "from prime_action.brain.prompt import PromptContext\n"
        "from prime_action.config.models import BrainSettings\n"
        "brain_for(BrainSettings(model='openai/gpt-4o-mini'), PromptContext)"
    )
    assert "litellm" not in _modules_after(code)


def test_the_actions_model_input_overrides_the_configured_model() -> None:
    configured = BrainSettings(model="openai/gpt-4o-mini", budget_usd_per_day=2.0)
    assert with_model(configured, "anthropic/claude-3-5-haiku-latest").model == (
        "anthropic/claude-3-5-haiku-latest"
    )
    assert with_model(configured, "anthropic/x").budget_usd_per_day == 2.0
    assert with_model(configured, None) is configured
