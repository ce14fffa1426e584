"""Prescription lines (medication and restraint), validated by a médecin, with pharmacist interventions."""

from django.conf import settings
from django.db import models

from dui.models import Essms
from soins.models.common import PersonRow


class PrescriptionKind(models.TextChoices):
    MEDICAMENT = "medicament", "Médicament"
    CONTENTION = "contention", "Contention"


class Route(models.TextChoices):
    ORALE = "orale", "Voie orale"
    SUBLINGUALE = "sublinguale", "Sublinguale"
    CUTANEE = "cutanee", "Cutanée / transdermique"
    SOUS_CUTANEE = "sous_cutanee", "Sous-cutanée"
    INTRAMUSCULAIRE = "intramusculaire", "Intramusculaire"
    INTRAVEINEUSE = "intraveineuse", "Intraveineuse"
    INHALEE = "inhalee", "Inhalée"
    OCULAIRE = "oculaire", "Oculaire"
    RECTALE = "rectale", "Rectale"
    AUTRE = "autre", "Autre"


class PrescriptionLine(PersonRow):
    """One line: what, how much, which way, when, from when to when; "si besoin" lines have no times.

    `created_by` is the prescribing médecin. Only validated, unstopped lines produce
    administrations (medication) or allow a restraint to be scheduled (contention).
    """

    document_class_code = "prescriptions"

    kind = models.CharField(
        "nature", max_length=12, choices=PrescriptionKind.choices, default=PrescriptionKind.MEDICAMENT
    )
    drug = models.CharField("médicament ou type de contention", max_length=200)
    drug_ref = models.ForeignKey(
        "dui.Drug", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name="spécialité"
    )
    units_per_dose = models.DecimalField(
        "unités par prise (comprimé, gélule, sachet, ml…)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    allergy_override_reason = models.CharField("motif de prescription malgré l'allergie", max_length=300, blank=True)
    allergy_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    allergy_override_at = models.DateTimeField("allergie passée outre le", null=True, blank=True)
    dose = models.CharField("dose", max_length=100, blank=True)
    route = models.CharField("voie", max_length=16, choices=Route.choices, blank=True)
    times = models.JSONField("heures d'administration", default=list, blank=True)
    weekdays = models.CharField("jours (1 = lundi … 7 = dimanche)", max_length=7, default="1234567")
    as_needed = models.BooleanField("si besoin", default=False)
    as_needed_condition = models.CharField("condition du si besoin", max_length=200, blank=True)
    # CASF L.313-26: a dose marked so may be given by an aide-soignant or AES (matrix class below).
    aide_a_la_prise = models.BooleanField("aide à la prise (CASF L.313-26)", default=False)
    max_per_day = models.PositiveSmallIntegerField("maximum par jour (si besoin)", null=True, blank=True)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True)
    instructions = models.CharField("consignes", max_length=300, blank=True)
    dispensed_as = models.CharField("délivré sous le nom (substitution)", max_length=200, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    stopped_at = models.DateTimeField("arrêtée le", null=True, blank=True)
    stop_reason = models.CharField("motif d'arrêt", max_length=200, blank=True)

    class Meta:
        db_table = "ppa_prescriptionline"
        verbose_name = "ligne de prescription"
        verbose_name_plural = "lignes de prescription"
        ordering = ["usager", "-starts_on", "-id"]
        indexes = [models.Index(fields=["essms", "usager", "ends_on"], name="prescription_essms_usager")]

    @property
    def unverifiable(self) -> bool:
        """A free-text drug: neither allergies nor daily maxima can be checked on it."""
        return self.kind == PrescriptionKind.MEDICAMENT and self.drug_ref_id is None

    @property
    def display_drug(self) -> str:
        return f"{self.drug} (délivré : {self.dispensed_as})" if self.dispensed_as else self.drug


class InterventionKind(models.TextChoices):
    COMMENTAIRE = "commentaire", "Commentaire pharmaceutique"
    SUBSTITUTION = "substitution", "Substitution"


class PharmacistIntervention(models.Model):
    document_class_code = "prescriptions"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(PrescriptionLine, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField("nature", max_length=12, choices=InterventionKind.choices)
    text = models.TextField("commentaire")
    substitute = models.CharField("spécialité substituée", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "ppa_pharmacistintervention"
        verbose_name = "intervention pharmaceutique"
        ordering = ["line", "created_at"]
