"""Projet personnalisé (PPA / PIA): one project per séjour, revised as numbered versions.

A version holds the whole content of one revision (expectations and needs, objectives, actions,
evaluations, participants, agreement). Revising copies the current version into a new one, so
history is never overwritten and two versions can be compared.
"""

from django.conf import settings
from django.db import models

from dui.models import Essms, Sejour
from ppa.models.common import PersonRow


class PpaStep(models.TextChoices):
    RECUEIL = "recueil", "Recueil des attentes et des besoins"
    ANALYSE = "analyse", "Analyse en équipe"
    CO_CONSTRUCTION = "co_construction", "Co-construction des objectifs et des actions"
    MISE_EN_OEUVRE = "mise_en_oeuvre", "Mise en œuvre"
    SUIVI = "suivi", "Suivi et actualisation"
    FIN = "fin", "Fin du projet"


class PpaPolicy(models.Model):
    """Due-date rules of one ESSMS: first project after admission, then revision delay."""

    essms = models.OneToOneField(Essms, on_delete=models.PROTECT, related_name="ppa_policy")
    first_project_months = models.PositiveSmallIntegerField("premier projet (mois après l'admission)", default=6)
    revision_months = models.PositiveSmallIntegerField("révision au plus tard (mois)", default=12)

    class Meta:
        verbose_name = "règle d'échéance du projet personnalisé"


class Projet(PersonRow):
    document_class_code = "ppa"

    sejour = models.OneToOneField(Sejour, on_delete=models.PROTECT, related_name="projet")
    step = models.CharField("étape", max_length=16, choices=PpaStep.choices, default=PpaStep.RECUEIL)
    due_on = models.DateField("échéance")
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="référent du projet",
    )
    closed_at = models.DateTimeField("clos le", null=True, blank=True)

    class Meta:
        verbose_name = "projet personnalisé"
        verbose_name_plural = "projets personnalisés"
        indexes = [models.Index(fields=["essms", "due_on"], name="projet_essms_due")]


class AgreementBy(models.TextChoices):
    PERSONNE = "personne", "La personne elle-même"
    REPRESENTANT = "representant", "Son représentant légal"


class AgreementHow(models.TextChoices):
    SIGNATURE = "signature", "Signature"
    ORAL = "oral", "Accord oral recueilli"
    PICTOGRAMMES = "pictogrammes", "Support adapté (pictogrammes, FALC)"
    REFUS = "refus", "Désaccord exprimé"


class ProjetVersion(PersonRow):
    """One revision of the project; agreed versions are frozen, the next revision copies them."""

    document_class_code = "ppa"

    projet = models.ForeignKey(Projet, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    summary = models.TextField("synthèse", blank=True)
    meeting_on = models.DateField("date de la réunion de projet", null=True, blank=True)
    person_present = models.BooleanField("la personne était présente", null=True)
    person_absence_reason = models.CharField("motif de l'absence de la personne", max_length=300, blank=True)
    agreement_on = models.DateField("date de l'accord", null=True, blank=True)
    agreement_by = models.CharField("accord donné par", max_length=16, choices=AgreementBy.choices, blank=True)
    agreement_name = models.CharField("nom de la personne qui donne son accord", max_length=200, blank=True)
    agreement_how = models.CharField("modalité de l'accord", max_length=16, choices=AgreementHow.choices, blank=True)
    agreement_comment = models.CharField("commentaire sur l'accord", max_length=300, blank=True)

    class Meta:
        verbose_name = "version du projet personnalisé"
        ordering = ["projet", "-number"]
        constraints = [models.UniqueConstraint(fields=["projet", "number"], name="projet_version_number_unique")]

    @property
    def is_agreed(self) -> bool:
        return self.agreement_on is not None


class ExpressedBy(models.TextChoices):
    PERSONNE = "personne", "La personne"
    PROCHE = "proche", "Un proche / le représentant"
    PROFESSIONNEL = "professionnel", "Un professionnel"


class ExpressionKind(models.TextChoices):
    ATTENTE = "attente", "Attente exprimée"
    BESOIN = "besoin", "Besoin identifié"


class Expression(models.Model):
    """An expectation or a need of one version, with who expressed it and its SERAFIN-PH code."""

    document_class_code = "ppa"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ProjetVersion, on_delete=models.CASCADE, related_name="expressions")
    kind = models.CharField("nature", max_length=10, choices=ExpressionKind.choices)
    expressed_by = models.CharField("exprimé par", max_length=16, choices=ExpressedBy.choices)
    expressed_by_name = models.CharField("nom de la personne qui l'exprime", max_length=200, blank=True)
    text = models.TextField("formulation")
    serafin_code = models.CharField("code SERAFIN-PH (besoin)", max_length=12, blank=True)

    class Meta:
        verbose_name = "attente ou besoin"
        ordering = ["version", "kind", "id"]


class Objective(models.Model):
    document_class_code = "ppa"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ProjetVersion, on_delete=models.CASCADE, related_name="objectives")
    needs = models.ManyToManyField(Expression, related_name="objectives", verbose_name="besoins")
    text = models.TextField("objectif")
    target_on = models.DateField("échéance de l'objectif", null=True, blank=True)

    class Meta:
        verbose_name = "objectif"
        ordering = ["version", "id"]


class ProjectAction(models.Model):
    """An action or prestation serving an objective: who does it and how often."""

    document_class_code = "ppa"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action / prestation")
    who = models.CharField("qui", max_length=200)
    frequency = models.CharField("fréquence", max_length=120, blank=True)
    serafin_code = models.CharField("code SERAFIN-PH (prestation)", max_length=12, blank=True)

    class Meta:
        verbose_name = "action ou prestation"
        ordering = ["objective", "id"]


class ObjectiveResult(models.TextChoices):
    ATTEINT = "atteint", "Atteint"
    PARTIEL = "partiel", "Partiellement atteint"
    NON_ATTEINT = "non_atteint", "Non atteint"


class ObjectiveEvaluation(models.Model):
    document_class_code = "ppa"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="evaluations")
    result = models.CharField("résultat", max_length=12, choices=ObjectiveResult.choices)
    comment = models.TextField("commentaire", blank=True)
    evaluated_on = models.DateField("évalué le")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "évaluation d'objectif"
        ordering = ["objective", "-evaluated_on", "-id"]


class ParticipantKind(models.TextChoices):
    PERSONNE = "personne", "La personne"
    PROCHE = "proche", "Proche / représentant"
    PROFESSIONNEL = "professionnel", "Professionnel"
    PARTENAIRE = "partenaire", "Partenaire extérieur"


class Participant(models.Model):
    """Who took part in the project meeting of one version."""

    document_class_code = "ppa"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ProjetVersion, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField("qualité", max_length=16, choices=ParticipantKind.choices)
    name = models.CharField("nom", max_length=200)
    role = models.CharField("lien ou fonction", max_length=200, blank=True)

    class Meta:
        verbose_name = "participant"
        ordering = ["version", "kind", "name"]
