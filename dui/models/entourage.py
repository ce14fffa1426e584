"""The people around the person: entourage, legal representative, external professionals, référents."""

from django.conf import settings
from django.db import models

from dui.models.tenancy import Essms
from dui.models.usager import Usager


class ContactRole(models.TextChoices):
    PERSONNE_CONFIANCE = "personne_confiance", "Personne de confiance"
    REPRESENTANT_LEGAL = "representant_legal", "Représentant légal"
    FAMILLE = "famille", "Famille"
    AIDANT = "aidant", "Aidant"
    MEDECIN_TRAITANT = "medecin_traitant", "Médecin traitant"
    PROFESSIONNEL_EXTERNE = "professionnel_externe", "Professionnel extérieur"


class ProtectionMeasure(models.TextChoices):
    NONE = "", "Aucune"
    TUTELLE = "tutelle", "Tutelle"
    CURATELLE = "curatelle", "Curatelle"
    CURATELLE_RENFORCEE = "curatelle_renforcee", "Curatelle renforcée"
    HABILITATION_FAMILIALE = "habilitation_familiale", "Habilitation familiale"
    SAUVEGARDE_JUSTICE = "sauvegarde_justice", "Sauvegarde de justice"
    MANDAT_PROTECTION_FUTURE = "mandat_protection_future", "Mandat de protection future"


class Contact(models.Model):
    document_class_code = "entourage"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="contacts")
    role = models.CharField("rôle", max_length=24, choices=ContactRole.choices)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    relationship = models.CharField("lien", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    rpps = models.CharField("RPPS", max_length=11, blank=True)
    protection_measure = models.CharField(
        "mesure de protection", max_length=24, choices=ProtectionMeasure.choices, blank=True
    )
    protection_until = models.DateField("mesure valable jusqu'au", null=True, blank=True)
    is_emergency_contact = models.BooleanField("personne à prévenir", default=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["role", "last_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}".strip()


class ReferentRole(models.TextChoices):
    REFERENT = "referent", "Référent"
    SUPPLEANT = "suppleant", "Suppléant"


class Referent(models.Model):
    document_class_code = "referents"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="referents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("rôle", max_length=10, choices=ReferentRole.choices)
    starts_on = models.DateField("depuis le")
    ends_on = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "référent"
        ordering = ["role", "-starts_on"]
