"""Tests of the litellm adapter."""
