"""Celery application: broker from REDIS_URL, or eager execution when there is none."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dui")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks (the `beat` service of docker-compose.yml).
app.conf.beat_schedule = {
    # The care occurrences of today's and tomorrow's shifts (idempotent; opening a worklist also generates).
    "ppa-generate-care-occurrences": {
        "task": "ppa.generate_upcoming_care_occurrences",
        "schedule": 60 * 60,
    },
    # The medication doses of the next 48 hours (idempotent; validating a line also generates).
    "ppa-generate-medication-administrations": {
        "task": "ppa.generate_medication_administrations",
        "schedule": 60 * 60,
    },
    # Pilotage: yesterday's daily facts of every ESSMS (incremental; a rebuild command exists).
    "pilotage-nightly-facts": {
        "task": "pilotage.nightly_facts",
        "schedule": crontab(hour=2, minute=30),
    },
    # Continuity packs (mode dégradé): purge of those older than 7 days, then one task per open unit.
    "continuity-nightly-packs": {
        "task": "continuity.nightly",
        "schedule": crontab(hour=3, minute=0),
    },
    # The access log's monthly partitions, created ahead (idempotent; a DEFAULT partition loses nothing).
    "dui-access-log-partitions": {
        "task": "dui.access_log_partitions",
        "schedule": crontab(day_of_month=1, hour=1, minute=0),
    },
    # Outbox deliveries that are due or whose worker died mid-send (a broker outage loses nothing).
    "interop-outbox-sweep": {
        "task": "interop.outbox.sweep",
        "schedule": 60,
    },
    # New admission requests from ViaTrajectoire, for the ESSMS that turned the connector on (idempotent).
    "admissions-import-viatrajectoire": {
        "task": "admissions.import_viatrajectoire",
        "schedule": 15 * 60,
    },
    # The establishments' MSSanté boxes (MSSANTE_INBOXES).
    "interop-mssante-poll-inboxes": {
        "task": "interop.mssante.poll_inboxes",
        "schedule": 5 * 60,
    },
}
