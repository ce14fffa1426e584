"""Celery tasks of the admissions: thin wrappers around the services."""

from celery import shared_task

from admissions.models import AdmissionSettings
from admissions.services.imports import connector_import


@shared_task(name="admissions.import_viatrajectoire")
def import_viatrajectoire() -> int:
    """New requests of every ESSMS whose connector is on (idempotent: an imported request is skipped)."""
    created = 0
    for settings in AdmissionSettings.objects.filter(connector_enabled=True).select_related("essms"):
        created += len(connector_import(settings.essms).created)
    return created
