"""Pilotage's own tables: daily facts precomputed from the dated history, and frozen annual reports.

Nothing here is a source of truth: facts are rebuilt from séjours, placements and absences at
any time (`manage.py pilotage_rebuild_facts`); reports are frozen copies of what was published.
"""

from django.conf import settings
from django.db import models

from dui.models import Essms, OrganismeGestionnaire, Unit


class DailyFact(models.Model):
    """Person-days of one ESSMS, unit and modality on one day (only non-empty rows are kept).

    present: in séjour (admitted_on ≤ D < ended_on) and no absence covers D — the "jours réalisés";
    hospitalised / absent: in séjour but covered by an absence of kind hospitalisation / another kind.
    The unit is the one of the placement in force on D (null: no placement that day).
    """

    essms = models.ForeignKey(Essms, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    modality = models.CharField("modalité d'accueil", max_length=16, blank=True)
    day = models.DateField("jour")
    present = models.PositiveIntegerField("présents", default=0)
    hospitalised = models.PositiveIntegerField("hospitalisés", default=0)
    absent = models.PositiveIntegerField("autres absences", default=0)

    class Meta:
        verbose_name = "fait quotidien"
        verbose_name_plural = "faits quotidiens"
        indexes = [models.Index(fields=["essms", "day"], name="dailyfact_essms_day")]


class FactsWatermark(models.Model):
    """The last day whose facts are computed for an ESSMS; later days are read live from history."""

    essms = models.OneToOneField(Essms, on_delete=models.CASCADE, related_name="+")
    computed_until = models.DateField("faits calculés jusqu'au")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "avancement des faits quotidiens"


class ReportStatus(models.TextChoices):
    PENDING = "pending", "En préparation"
    READY = "ready", "Prêt"
    FAILED = "failed", "Échec"


def report_path(report: "AnnualReport", filename: str) -> str:
    scope = f"essms-{report.essms_id}" if report.essms_id else f"og-{report.og_id}"
    return f"pilotage/rapports/{scope}/{report.year}-v{report.version}.pdf"


class AnnualReport(models.Model):
    """One version of the rapport d'activité of a year, for one ESSMS or for the whole OG.

    Frozen once ready: a later correction of the history changes the next version, never this file.
    """

    og = models.ForeignKey(OrganismeGestionnaire, on_delete=models.PROTECT, related_name="+")
    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField("année")
    version = models.PositiveSmallIntegerField("version")
    status = models.CharField("état", max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    file = models.FileField("fichier", upload_to=report_path, blank=True)
    figures = models.JSONField("chiffres publiés", default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField("généré le", null=True, blank=True)
    error = models.CharField("erreur", max_length=300, blank=True)

    class Meta:
        verbose_name = "rapport d'activité"
        verbose_name_plural = "rapports d'activité"
        ordering = ["-year", "-version"]
        indexes = [models.Index(fields=["og", "essms", "year"], name="annualreport_scope_year")]

    def __str__(self) -> str:
        return f"Rapport d'activité {self.year} (version {self.version})"


class TransmissionDayFact(models.Model):
    """Current transmissions observed on one local day, per ESSMS, unit (null: none) and author's métier."""

    essms = models.ForeignKey(Essms, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    author_metier = models.CharField("métier de l'auteur", max_length=32)
    day = models.DateField("jour")
    count = models.PositiveIntegerField("transmissions", default=0)

    class Meta:
        verbose_name = "transmissions du jour"
        verbose_name_plural = "transmissions par jour"
        indexes = [models.Index(fields=["essms", "day"], name="transmissionfact_essms_day")]
