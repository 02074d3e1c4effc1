"""Repo Prime: the wake cycle of one repository (gate, eyes, brain, act, sleep)."""
