"""Continuity packs: what a unit needs on paper or on a USB key the day the DUI is unreachable."""

from django.conf import settings
from django.db import models

from continuity.storage import private_storage
from dui.models import Essms, Unit

DOCUMENT_CLASS = "plan_continuite"
KEEP_DAYS = 7


class PackKind(models.TextChoices):
    NIGHTLY = "nightly", "Nocturne"
    ON_DEMAND = "on_demand", "À la demande"


def pack_path(pack: "ContinuityPack", filename: str) -> str:
    return f"{pack.essms_id}/{pack.unit_id}/{filename}"


class ContinuityPack(models.Model):
    """One generated pack of a unit: a PDF and a CSV, each with its SHA-256; purged after KEEP_DAYS."""

    document_class_code = DOCUMENT_CLASS

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="continuity_packs")
    generated_at = models.DateTimeField("généré le")
    kind = models.CharField("type", max_length=10, choices=PackKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    persons_count = models.PositiveIntegerField("personnes", default=0)
    pdf = models.FileField(storage=private_storage, upload_to=pack_path, max_length=200)
    pdf_sha256 = models.CharField(max_length=64)
    csv = models.FileField(storage=private_storage, upload_to=pack_path, max_length=200)
    csv_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "plan de continuité"
        verbose_name_plural = "plans de continuité"
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["essms", "unit", "-generated_at"], name="continuity_pack_unit")]

    def __str__(self) -> str:
        return f"Plan de continuité {self.unit} du {self.generated_at:%d/%m/%Y %H:%M}"
