"""Append-only access log of every read and write of personal data."""

from django.conf import settings
from django.db import models


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
    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    username = models.CharField("utilisateur", max_length=150)
    metier = models.CharField("métier", max_length=32, blank=True)
    essms = models.ForeignKey("dui.Essms", on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    object_type = models.CharField("objet", max_length=60)
    object_id = models.CharField(max_length=64)
    document_class = models.CharField("classe", max_length=40, blank=True)
    usager_id = models.BigIntegerField("usager", null=True, db_index=True)
    detail = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = "accès journalisé"
        verbose_name_plural = "journal des accès"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["essms", "-at"], name="accesslog_essms_at")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Le journal des accès ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal des accès ne peut pas être supprimé.")
