"""Org Prime: every repository of an owner aggregated into a ranked run sheet and a dashboard."""
