"""Plan de soins: the ESSMS's care actions, each person's schedule, and the occurrences to validate.

Occurrences (CareOccurrence) are the worklist: one row per scheduled care, medication dose or
follow-up, generated ahead of time, validated once (done / not done / refused). The client's
idempotency key makes a resent offline validation a no-op instead of a double count.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dui.models import Essms
from dui.shifts import Poste
from soins.models.common import PersonRow
from soins.models.evaluations import Evaluation
from soins.models.medication import PrescriptionLine

MEDICATION_CLASS = "administration_medicaments"
ASSISTED_CLASS = "aide_prise_medicaments"  # doses marked "aide à la prise": AS and AES may validate them


class CareCategory(models.TextChoices):
    HYGIENE = "hygiene", "Hygiène et confort"
    REPAS = "repas", "Repas et hydratation"
    MEDICAMENTS = "medicaments", "Médicaments"
    ELIMINATION = "elimination", "Élimination"
    MOBILITE = "mobilite", "Mobilité et installation"
    SURVEILLANCE = "surveillance", "Surveillance et constantes"
    PREVENTION = "prevention", "Prévention (escarres, chutes…)"
    MATERIEL = "materiel", "Entretien du matériel"
    CONTENTION = "contention", "Contention"
    AUTRE = "autre", "Autre"


class CareAction(models.Model):
    """An action of the ESSMS's catalogue (toilette, change, pesée…)."""

    document_class_code = "plan_soins"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="care_actions")
    label = models.CharField("soin", max_length=120)
    category = models.CharField("catégorie", max_length=16, choices=CareCategory.choices)
    default_metier = models.CharField("métier habituel", max_length=32, blank=True)
    requires_prescription = models.BooleanField("sur prescription uniquement", default=False)
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        db_table = "ppa_careaction"
        verbose_name = "soin du catalogue"
        verbose_name_plural = "catalogue des soins"
        ordering = ["essms", "category", "label"]
        constraints = [models.UniqueConstraint(fields=["essms", "label"], name="care_action_label_unique")]

    def __str__(self) -> str:
        return self.label


class CarePlanItem(PersonRow):
    """A care action scheduled for one person: which days, which shift or time, by which métier."""

    action = models.ForeignKey(CareAction, on_delete=models.PROTECT, related_name="plan_items", verbose_name="soin")
    metier = models.CharField("métier", max_length=32)
    weekdays = models.CharField("jours (1 = lundi … 7 = dimanche)", max_length=7, default="1234567")
    poste = models.CharField("poste", max_length=4, choices=Poste.choices)
    time = models.TimeField("heure", null=True, blank=True)
    starts_on = models.DateField("à partir du")
    ends_on = models.DateField("jusqu'au", null=True, blank=True)
    prescription = models.ForeignKey(
        PrescriptionLine, on_delete=models.PROTECT, related_name="plan_items", null=True, blank=True
    )
    instructions = models.CharField("consignes", max_length=300, blank=True)
    ended_at = models.DateTimeField("arrêté le", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    end_reason = models.CharField("motif d'arrêt", max_length=300, blank=True)

    class Meta:
        db_table = "ppa_careplanitem"
        verbose_name = "soin planifié"
        verbose_name_plural = "plan de soins"
        ordering = ["usager", "poste", "time", "id"]
        indexes = [models.Index(fields=["essms", "usager", "ends_on"], name="careplan_essms_usager")]

    @property
    def document_class_code(self) -> str:
        return "contention" if self.action.category == CareCategory.CONTENTION else "plan_soins"


class OccurrenceStatus(models.TextChoices):
    PENDING = "pending", "À faire"
    DONE = "done", "Fait"
    NOT_DONE = "not_done", "Non fait"
    REFUSED = "refused", "Refusé"


class Timing(models.TextChoices):
    """Where a validation fell against the ESSMS's window around the planned time."""

    ON_TIME = "on_time", "Dans le créneau"
    EARLY = "early", "En avance"
    LATE = "late", "En retard"


class CareOccurrence(PersonRow):
    """One care, dose or follow-up due at `due_at`; late after `due_before`; validated once.

    Exactly one source: a plan item, a prescription line (a dose), or an evaluation (follow-up).
    `created_by` is who generated or scheduled it.
    """

    plan_item = models.ForeignKey(
        CarePlanItem, on_delete=models.PROTECT, related_name="occurrences", null=True, blank=True
    )
    prescription = models.ForeignKey(
        PrescriptionLine, on_delete=models.PROTECT, related_name="administrations", null=True, blank=True
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="follow_ups", null=True, blank=True
    )
    label = models.CharField("libellé", max_length=200)
    metier = models.CharField("métier", max_length=32, blank=True)
    due_at = models.DateTimeField("prévu à")
    due_before = models.DateTimeField("à faire avant")
    status = models.CharField("état", max_length=10, choices=OccurrenceStatus.choices, default=OccurrenceStatus.PENDING)
    comment = models.CharField("commentaire", max_length=300, blank=True)
    performed_at = models.DateTimeField("réalisé le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField("enregistré le", null=True, blank=True)
    idempotency_key = models.UUIDField("clé d'idempotence", null=True, blank=True, unique=True)
    timing = models.CharField("créneau", max_length=8, choices=Timing.choices, blank=True)
    timing_reason = models.CharField("motif de l'écart au créneau", max_length=300, blank=True)
    # Entered afterwards from a paper record (DUI or network down): performed_at is the real time,
    # recorded_at the moment of the entry.
    deferred_entry = models.BooleanField("saisie différée", default=False)

    class Meta:
        db_table = "ppa_careoccurrence"
        verbose_name = "soin à valider"
        verbose_name_plural = "soins à valider"
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["essms", "usager", "due_at"], name="occurrence_usager_due")]
        constraints = [
            models.UniqueConstraint(fields=["plan_item", "due_at"], name="occurrence_plan_item_due_unique"),
            models.UniqueConstraint(
                fields=["prescription", "due_at"],
                condition=Q(evaluation__isnull=True),
                name="occurrence_prescription_due_unique",
            ),
        ]

    @property
    def document_class_code(self) -> str:
        if self.prescription_id is not None:
            return ASSISTED_CLASS if self.prescription.aide_a_la_prise else MEDICATION_CLASS
        return "plan_soins"

    @property
    def is_pending(self) -> bool:
        return self.status == OccurrenceStatus.PENDING

    @property
    def deferred_text(self) -> str:
        """ "Saisie différée le 06/12 à 08:10 pour 05/12 à 22:00" (entry moment, then the real time); '' otherwise."""
        return deferred_text(self)


def deferred_text(row) -> str:
    if not row.deferred_entry or row.recorded_at is None or row.performed_at is None:
        return ""
    recorded, performed = (timezone.localtime(moment) for moment in (row.recorded_at, row.performed_at))
    return f"Saisie différée le {recorded:%d/%m à %H:%M} pour {performed:%d/%m à %H:%M}"
