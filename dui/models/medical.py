"""Medical and life basics of the dossier; each row belongs to a document class of the matrix."""

from django.conf import settings
from django.db import models

from dui.limits import COMMENT_MAX_LENGTH
from dui.models.tenancy import Essms
from dui.models.usager import Usager


class DossierEntry(models.Model):
    """Common shape: a dated line of one section of one person's dossier, soft-ended, never erased."""

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField("clos le", null=True, blank=True)

    class Meta:
        abstract = True


class AntecedentKind(models.TextChoices):
    MEDICAL = "medical", "Médical"
    CHIRURGICAL = "chirurgical", "Chirurgical"
    FAMILIAL = "familial", "Familial"


class AllergySeverity(models.TextChoices):
    LEGERE = "legere", "Légère"
    MODEREE = "moderee", "Modérée"
    SEVERE = "severe", "Sévère"


class Antecedent(DossierEntry):
    document_class_code = "antecedents"

    label = models.CharField("antécédent", max_length=200)
    kind = models.CharField(
        "type",
        max_length=12,
        choices=AntecedentKind.choices,
        default="medical",
    )
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    comment = models.CharField("commentaire", max_length=300, blank=True)

    class Meta:
        verbose_name = "antécédent"
        ordering = ["-year", "label"]


class Allergy(DossierEntry):
    """An allergy or intolerance coded against a substance or a class; `substance` is its display label."""

    document_class_code = "allergies"

    substance = models.CharField("allergène / intolérance", max_length=200)
    substance_ref = models.ForeignKey(
        "dui.Substance", on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name="substance"
    )
    substance_class = models.ForeignKey(
        "dui.SubstanceClass",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="classe de substances",
    )
    reaction = models.CharField("réaction", max_length=200, blank=True)
    severity = models.CharField(
        "gravité",
        max_length=10,
        choices=AllergySeverity.choices,
        blank=True,
    )

    class Meta:
        verbose_name = "allergie"
        ordering = ["substance"]


class AllergyStatement(DossierEntry):
    """ "Aucune allergie connue", stated by someone on a date; ended when an allergy is recorded."""

    document_class_code = "allergies"

    class Meta:
        verbose_name = "déclaration « aucune allergie connue »"
        ordering = ["-created_at"]


class Treatment(DossierEntry):
    """A current treatment as a free line, until prescriptions are structured."""

    document_class_code = "traitements"

    line = models.CharField("traitement", max_length=300)
    started_on = models.DateField("depuis le", null=True, blank=True)

    class Meta:
        verbose_name = "traitement en cours"
        ordering = ["line"]


class AggirEvaluation(DossierEntry):
    document_class_code = "aggir"

    gir = models.PositiveSmallIntegerField("GIR", choices=[(n, f"GIR {n}") for n in range(1, 7)])
    evaluated_on = models.DateField("date d'évaluation")
    evaluator = models.CharField("évaluateur", max_length=150)

    class Meta:
        verbose_name = "évaluation AGGIR"
        ordering = ["-evaluated_on", "-id"]


class LifeNoteKind(models.TextChoices):
    HABITUDES = "habitudes_vie", "Habitudes de vie"
    INTERETS = "centres_interet", "Centres d'intérêt"


class LifeNote(DossierEntry):
    """Habitudes de vie and centres d'intérêt: the class follows the kind."""

    kind = models.CharField("rubrique", max_length=20, choices=LifeNoteKind.choices)
    topic = models.CharField("thème", max_length=100)
    text = models.TextField("description", max_length=COMMENT_MAX_LENGTH)  # enforced by the model forms

    class Meta:
        verbose_name = "habitude ou centre d'intérêt"
        ordering = ["kind", "topic"]

    @property
    def document_class_code(self) -> str:
        return self.kind
