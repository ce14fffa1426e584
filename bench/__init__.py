"""Benchmarks against PostgreSQL (not collected by the test suite)."""
