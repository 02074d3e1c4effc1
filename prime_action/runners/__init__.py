"""Runners: they turn one dispatched attempt into a change (a PR) and an outcome."""
