"""Benchmarks: figures for people to read, never pass/fail on wall time."""
