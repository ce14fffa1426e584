"""What interop keeps about each DLU version (its checklist and sources) and the fiches de liaison
d'urgence (transfer out, FLUDT; return, FLUDR)."""

from django.conf import settings
from django.db import models


class DluGeneration(models.Model):
    """One generated DLU version: the PDF is a DocumentVersion of class "dlu"; this row keeps the
    fingerprint of its content (to skip a regeneration that would change nothing), the missing-data
    checklist at that time and the dates of the sources it was built from."""

    document_class_code = "dlu"

    essms = models.ForeignKey("dui.Essms", on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey("dui.Usager", on_delete=models.PROTECT, related_name="+")
    version = models.OneToOneField("dui.DocumentVersion", on_delete=models.PROTECT, related_name="dlu_generation")
    content_hash = models.CharField(max_length=64)
    layout = models.CharField("modèle", max_length=12)
    missing = models.JSONField("données manquantes", default=list)
    sources = models.JSONField("dates des sources", default=dict)
    automatic = models.BooleanField("régénéré automatiquement", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "génération de DLU"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["essms", "usager", "-created_at"], name="dlugeneration_usager")]


class SheetKind(models.TextChoices):
    TRANSFER = "fludt", "Fiche de transfert (aller)"
    RETURN = "fludr", "Fiche de retour"


class Consciousness(models.TextChoices):
    NORMALE = "normale", "Conscient, orienté"
    CONFUS = "confus", "Confus, désorienté"
    SOMNOLENT = "somnolent", "Somnolent"
    INCONSCIENT = "inconscient", "Inconscient"


class TransferSheet(models.Model):
    """A fiche de liaison d'urgence, filled in one screen at the time of the transfer or the return.

    Its PDF is stored as a Document of class "fiche_liaison_urgence" (`document`)."""

    document_class_code = "fiche_liaison_urgence"

    essms = models.ForeignKey("dui.Essms", on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey("dui.Usager", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("fiche", max_length=5, choices=SheetKind.choices)
    happened_at = models.DateTimeField("date et heure")
    reason = models.CharField("motif du transfert", max_length=300, blank=True)
    destination = models.CharField("établissement de destination", max_length=200, blank=True)
    pulse = models.PositiveSmallIntegerField("pouls (bpm)", null=True, blank=True)
    temperature = models.DecimalField("température (°C)", max_digits=3, decimal_places=1, null=True, blank=True)
    weight = models.DecimalField("poids (kg)", max_digits=4, decimal_places=1, null=True, blank=True)
    systolic = models.PositiveSmallIntegerField("TA systolique (mmHg)", null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField("TA diastolique (mmHg)", null=True, blank=True)
    vitals_measured_at = models.DateTimeField("constantes relevées le", null=True, blank=True)
    consciousness = models.CharField("état de conscience", max_length=12, choices=Consciousness.choices, blank=True)
    pain = models.CharField("douleur récente", max_length=200, blank=True)
    last_treatment = models.CharField("dernière prise de traitement", max_length=300, blank=True)
    last_meal = models.CharField("dernier repas", max_length=200, blank=True)
    prostheses = models.JSONField("prothèses emportées", default=list, blank=True)
    belongings = models.CharField("effets personnels", max_length=300, blank=True)
    diagnosis = models.CharField("diagnostic de sortie / RPU", max_length=300, blank=True)
    discharge_treatment = models.TextField("traitement de sortie", max_length=1000, blank=True)
    annexes = models.CharField("documents joints", max_length=300, blank=True)
    document = models.ForeignKey("dui.Document", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "fiche de liaison d'urgence"
        verbose_name_plural = "fiches de liaison d'urgence"
        ordering = ["-happened_at", "-id"]
