"""Seed texts shared by the growth tests: a valid two-epic seed and ways to break it."""

from __future__ import annotations

VALID = """\
version: 1
project:
  name: acme/api
domain:
  problem_statement: Parse invoices.
  non_goals: [a web UI]
architecture:
  modules:
    - name: core
      paths: [src/app/core/]
      responsibility: Pure logic.
    - name: adapters
      paths: [src/app/adapters/]
      responsibility: I/O.
quality_gates:
  required_checks: [CI]
  coverage:
    minimum_percent: 80
growth_objectives:
  epics:
    - id: parser
      title: A streaming parser
      modules: [core]
      priority: 1
      issue: 7
      tasks:
        - id: tokenizer
          title: Tokenizer
          scope: [src/app/core/tokens.py]
          acceptance: [Every token kind has a test]
        - id: parse
          title: Parser over the tokenizer
          scope: [src/app/core/parser.py]
          acceptance: [Parses the examples]
          depends_on: [tokenizer]
    - id: export
      title: CSV export
      modules: [adapters]
      priority: 2
      tasks:
        - id: csv
          title: Write CSV
          scope: [src/app/adapters/csv.py]
          acceptance: [Round-trips the examples]
constraints:
  max_lines_per_file: 300
  max_function_lines: 20
  dependency_allowlist: [httpx]
  max_new_dependencies_per_pr: 1
  forbidden_imports:
    - {from: core, to: adapters}
automation_contract:
  write_paths: ["src/**", "tests/**"]
  max_open_tasks: 2
"""
