"""Benchmarks: run on purpose (`make bench`), never part of the test suite."""
