"""Celery tasks of the dui app: thin wrappers around the services."""

from celery import shared_task

from dui.services.access_log import partitions_ensure

# Months of access log partitions kept ready ahead of the current one.
PARTITION_MONTHS_AHEAD = 3


@shared_task(name="dui.access_log_partitions")
def access_log_partitions(months_ahead: int = PARTITION_MONTHS_AHEAD) -> list[str]:
    """The access log's partitions of this month and the next ones (monthly beat; idempotent)."""
    return partitions_ensure(months_ahead)
