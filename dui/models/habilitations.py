"""The per-OG habilitation matrix: métier × document class × {read, write, validate}."""

from django.conf import settings
from django.db import models

from dui.models.people import Metier
from dui.models.tenancy import OrganismeGestionnaire


class DocumentClass(models.Model):
    """One entry of the catalogue (dui.catalogue), mirrored in the database for foreign keys."""

    code = models.CharField(max_length=40, unique=True)
    label = models.CharField("libellé", max_length=120)
    tier = models.CharField("famille", max_length=20)
    holds_personal_data = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "classe de document"
        verbose_name_plural = "classes de document"
        ordering = ["position"]

    def __str__(self) -> str:
        return self.label


class Habilitation(models.Model):
    og = models.ForeignKey(OrganismeGestionnaire, on_delete=models.CASCADE, related_name="habilitations")
    metier = models.CharField("métier", max_length=32, choices=Metier.choices)
    document_class = models.ForeignKey(DocumentClass, on_delete=models.CASCADE, related_name="+")
    can_read = models.BooleanField("lecture", default=False)
    can_write = models.BooleanField("écriture", default=False)
    can_validate = models.BooleanField("validation", default=False)

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.UniqueConstraint(fields=["og", "metier", "document_class"], name="habilitation_unique"),
            models.CheckConstraint(
                condition=models.Q(can_write=False) | models.Q(can_read=True), name="habilitation_write_needs_read"
            ),
            models.CheckConstraint(
                condition=models.Q(can_validate=False) | models.Q(can_read=True),
                name="habilitation_validate_needs_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metier} / {self.document_class_id}"

    def actions(self) -> set[str]:
        granted = {"read": self.can_read, "write": self.can_write, "validate": self.can_validate}
        return {action for action, allowed in granted.items() if allowed}


class HabilitationChange(models.Model):
    """One audited change of one cell of the matrix."""

    og = models.ForeignKey(OrganismeGestionnaire, on_delete=models.CASCADE, related_name="+")
    metier = models.CharField("métier", max_length=32, choices=Metier.choices)
    document_class = models.ForeignKey(DocumentClass, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10)
    granted = models.BooleanField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "modification d'habilitation"
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.metier} {self.action} {'+' if self.granted else '-'}"
