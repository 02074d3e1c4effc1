#!/usr/bin/env bash
# The project's checks, the same everywhere (README, .ci/run, GitHub CI): lint, types, layers, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
ruff check .
ruff format --check .
mypy
lint-imports
python -m pytest
scripts/lint_actions.sh
