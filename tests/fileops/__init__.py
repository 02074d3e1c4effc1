"""Tests of the fileops runner's core."""
