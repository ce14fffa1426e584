import logging

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate

logger = logging.getLogger("dui")


def _sync_catalogue(sender, **kwargs):
    from dui.services import document_classes_sync

    document_classes_sync()


def _load_drug_starter(sender, using="default", **kwargs):
    """The shipped starter referential, so a fresh install can prescribe; idempotent on every migrate."""
    from django.db import connections

    from dui.drugs_referential import starter_referential_load
    from dui.models import Drug

    if Drug._meta.db_table in connections[using].introspection.table_names():
        starter_referential_load()


class DuiConfig(AppConfig):
    name = "dui"
    verbose_name = "Dossier usager"

    def ready(self):
        post_migrate.connect(_sync_catalogue, sender=self, dispatch_uid="dui_sync_catalogue")
        post_migrate.connect(_load_drug_starter, sender=self, dispatch_uid="dui_load_drug_starter")
        from dui.middleware import record_login

        user_logged_in.connect(record_login, dispatch_uid="dui_record_login")
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.warning("Pas de REDIS_URL : les tâches Celery sont exécutées immédiatement dans le processus web.")
