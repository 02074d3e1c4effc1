"""Regenerate the JSON Schemas shipped in prime_action/schemas/ from the models."""

from __future__ import annotations

from pathlib import Path

from prime_action.schemas import MODELS, render

HERE = Path(__file__).resolve().parent.parent / "prime_action" / "schemas"

if __name__ == "__main__":
    for name in MODELS:
        (HERE / f"{name}.schema.json").write_text(render(name), encoding="utf-8")
        print(f"wrote {name}.schema.json")
