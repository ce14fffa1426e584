"""Append-only access log of every read and write of personal data.

One row per access event: a single-object action names its object in `object_id`; a list read names
its objects, in order, in `object_ids` (and `object_id` stays empty). `usager_id` is set when every
object belongs to the same person (an indexed equality for the common case); when a list spans
several persons, `usager_ids` holds the person of each object, aligned with `object_ids`, so that
`dui.access_events.logical_events` can give back one event per object and the person filter
(`dui.selectors.access_log_for_usager`) finds the list through a GIN index on PostgreSQL.
On PostgreSQL the table is partitioned by month on `at` (migration 0013, dui.services.access_log).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal des accès ne peut pas être modifié.")

    def delete(self):
        raise AppendOnlyError("Le journal des accès ne peut pas être supprimé.")


class Channel(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    FHIR = "fhir", "FHIR"
    TASK = "task", "Tâche"
    PORTAL = "portail", "Portail"


class AccessAction(models.TextChoices):
    READ = "read", "Lecture"
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"
    EXPORT = "export", "Export"
    GRANT = "grant", "Accès accordé"


class AccessLog(models.Model):
    at = models.DateTimeField("date", default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    username = models.CharField("utilisateur", max_length=150)
    metier = models.CharField("métier", max_length=32, blank=True)
    essms = models.ForeignKey("dui.Essms", on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    object_type = models.CharField("objet", max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    object_ids = models.JSONField("objets", default=list, blank=True)
    document_class = models.CharField("classe", max_length=40, blank=True)
    usager_id = models.BigIntegerField("usager", null=True)
    usager_ids = models.JSONField("usagers", default=list, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "accès journalisé"
        verbose_name_plural = "journal des accès"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["essms", "-at"], name="accesslog_essms_at"),
            models.Index(fields=["usager_id", "at"], name="accesslog_usager_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
        ]

    def __str__(self) -> str:
        what = f"#{self.object_id}" if not self.object_ids else f" ×{len(self.object_ids)}"
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.action} {self.object_type}{what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Le journal des accès ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des accès ne peut pas être supprimé.")
