"""Tests of the signal detectors."""
