"""Celery discovers the interop tasks here."""

from interop.outbox.tasks import deliver, sweep

__all__ = ["deliver", "sweep"]
