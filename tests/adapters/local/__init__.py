"""Tests of the local-files adapters."""
