"""Celery application: broker from REDIS_URL, or eager execution when there is none."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("dui")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
