"""Rules around validating the worklist: each ESSMS's time window, and the corrections kept.

A correction never overwrites: the validation it cancels is copied here (who, when, what, with its
idempotency key, so a replay of that key by an offline tablet stays a no-op), then the occurrence is
open again for the right validation.
"""

from django.conf import settings
from django.db import models

from dui.models import Essms
from soins.models.care import CareOccurrence, OccurrenceStatus, Timing

DEFAULT_MEDICATION_WINDOW_MINUTES = 60


class ValidationPolicy(models.Model):
    """Per ESSMS: how far from its planned time a dose or a care may be validated without a reason."""

    essms = models.OneToOneField(Essms, on_delete=models.PROTECT, related_name="validation_policy")
    medication_window_minutes = models.PositiveSmallIntegerField(
        "créneau des médicaments (± minutes autour de l'heure prévue)", default=DEFAULT_MEDICATION_WINDOW_MINUTES
    )
    care_window_minutes = models.PositiveSmallIntegerField(
        "créneau des soins à heure fixe (± minutes ; vide : tout le poste)", null=True, blank=True
    )

    class Meta:
        db_table = "ppa_validationpolicy"
        verbose_name = "règle de validation des soins"
        verbose_name_plural = "règles de validation des soins"

    def __str__(self) -> str:
        return f"Créneaux de validation ({self.essms})"


class ValidationCorrection(models.Model):
    """A validation cancelled by "Annuler / corriger": the original, kept as it was, and why."""

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    occurrence = models.ForeignKey(CareOccurrence, on_delete=models.PROTECT, related_name="corrections")
    status = models.CharField("état annulé", max_length=10, choices=OccurrenceStatus.choices)
    comment = models.CharField("commentaire", max_length=300, blank=True)
    performed_at = models.DateTimeField("réalisé le", null=True, blank=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("enregistré le")
    idempotency_key = models.UUIDField("clé d'idempotence", null=True, blank=True, unique=True)
    timing = models.CharField("créneau", max_length=8, choices=Timing.choices, blank=True)
    timing_reason = models.CharField("motif de l'écart au créneau", max_length=300, blank=True)
    deferred_entry = models.BooleanField("saisie différée", default=False)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField("annulé le")
    reason = models.CharField("motif de l'annulation", max_length=300)

    class Meta:
        db_table = "ppa_validationcorrection"
        verbose_name = "validation annulée"
        verbose_name_plural = "validations annulées"
        ordering = ["occurrence", "corrected_at", "id"]
        indexes = [models.Index(fields=["essms", "occurrence"], name="correction_essms_occurrence")]

    @property
    def document_class_code(self) -> str:
        return self.occurrence.document_class_code

    @property
    def usager_id(self) -> int:
        return self.occurrence.usager_id
