"""Tests of the event model and the gate, fed with GitHub's real example payloads."""
