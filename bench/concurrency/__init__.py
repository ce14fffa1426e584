"""Concurrency benchmark: N professionals replaying a shift change against gunicorn (locust)."""
