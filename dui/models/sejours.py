"""Séjours: pré-admission → admission → dated placements and absences → sortie. Never overwritten."""

from django.conf import settings
from django.db import models

from dui.models.tenancy import Essms, Unit
from dui.models.usager import Usager


class SejourStatus(models.TextChoices):
    PRE_ADMISSION = "pre_admission", "Pré-admission"
    ACTIVE = "active", "En cours"
    CLOSED = "closed", "Terminé"
    CANCELLED = "cancelled", "Pré-admission abandonnée"


class Modality(models.TextChoices):
    HEBERGEMENT_PERMANENT = "hp", "Hébergement permanent"
    HEBERGEMENT_TEMPORAIRE = "ht", "Hébergement temporaire"
    ACCUEIL_JOUR = "aj", "Accueil de jour"
    INTERNAT = "internat", "Internat"
    SEMI_INTERNAT = "semi_internat", "Semi-internat"
    EXTERNAT = "externat", "Externat"
    SEQUENTIEL = "sequentiel", "Accueil séquentiel"
    DOMICILE = "domicile", "Intervention à domicile"


class ExitReason(models.TextChoices):
    DECES = "deces", "Décès"
    RETOUR_DOMICILE = "retour_domicile", "Retour à domicile"
    TRANSFERT_ESSMS = "transfert_essms", "Transfert vers un autre ESSMS"
    HOSPITALISATION = "hospitalisation", "Hospitalisation longue"
    FIN_PRISE_EN_CHARGE = "fin_prise_en_charge", "Fin de prise en charge"
    AUTRE = "autre", "Autre"


class Sejour(models.Model):
    document_class_code = "sejours"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="sejours")
    status = models.CharField("statut", max_length=16, choices=SejourStatus.choices)
    first_contact_on = models.DateField("premier contact")
    admitted_on = models.DateField("date d'admission", null=True, blank=True)
    contract_signed_on = models.DateField("contrat de séjour signé le", null=True, blank=True)
    ended_on = models.DateField("date de sortie", null=True, blank=True)
    exit_reason = models.CharField("motif de sortie", max_length=24, choices=ExitReason.choices, blank=True)
    exit_destination = models.CharField("destination", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "séjour"
        ordering = ["-first_contact_on", "-id"]
        indexes = [models.Index(fields=["essms", "usager"], name="sejour_essms_usager")]

    def __str__(self) -> str:
        return f"Séjour {self.get_status_display()} depuis le {self.admitted_on or self.first_contact_on:%d/%m/%Y}"


class Placement(models.Model):
    """Where and how the person is accompanied from `starts_on` to `ends_on` (inclusive, open if null)."""

    document_class_code = "sejours"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    sejour = models.ForeignKey(Sejour, on_delete=models.PROTECT, related_name="placements")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements", verbose_name="unité")
    room = models.CharField("chambre", max_length=20, blank=True)
    modality = models.CharField("modalité d'accueil", max_length=16, choices=Modality.choices)
    starts_on = models.DateField("du")
    ends_on = models.DateField("au", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "affectation d'unité"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["essms", "unit", "ends_on"], name="placement_essms_unit")]


class AbsenceKind(models.TextChoices):
    HOSPITALISATION = "hospitalisation", "Hospitalisation"
    VACANCES = "vacances", "Vacances / séjour en famille"
    AUTRE = "autre", "Autre absence"


class Absence(models.Model):
    document_class_code = "sejours"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    sejour = models.ForeignKey(Sejour, on_delete=models.PROTECT, related_name="absences")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type", max_length=16, choices=AbsenceKind.choices)
    starts_on = models.DateField("du")
    ends_on = models.DateField("au", null=True, blank=True)
    comment = models.CharField("commentaire", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "absence"
        ordering = ["-starts_on", "-id"]


class CretonDecision(models.Model):
    """Amendement Creton: a young adult kept past 20 in a children's ESSMS, on a CDAPH decision."""

    document_class_code = "amendement_creton"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="creton_decisions")
    decided_on = models.DateField("date de la décision CDAPH")
    valid_until = models.DateField("valable jusqu'au")
    orientation = models.CharField("orientation cible", max_length=200, blank=True)
    comment = models.CharField("commentaire", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "décision Amendement Creton"
        ordering = ["-decided_on"]
