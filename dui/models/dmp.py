"""The person's information about the DMP (Mon espace santé) and any opposition to its feeding.

Feeding the DMP requires informing the person once (CSP R.1111-46); after that they may oppose a
deposit for a legitimate reason. The dossier records both with their date and how they were made,
and the outbox refuses to queue a DMP deposit while the person opposes or was never informed."""

from django.conf import settings
from django.db import models

from dui.models.tenancy import Essms
from dui.models.usager import Usager


class DmpChannel(models.TextChoices):
    ORAL = "oral", "Oralement"
    WRITTEN = "ecrit", "Par écrit (document remis)"
    LIVRET = "livret", "Livret d'accueil"
    REPRESENTATIVE = "representant", "Par le représentant légal"


class DmpConsent(models.Model):
    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.OneToOneField(Usager, on_delete=models.PROTECT, related_name="dmp_consent")
    informed_on = models.DateField("informé(e) le", null=True, blank=True)
    informed_how = models.CharField("information donnée", max_length=20, choices=DmpChannel.choices, blank=True)
    opposed = models.BooleanField("s'oppose à l'alimentation du DMP", default=False)
    opposed_on = models.DateField("opposition le", null=True, blank=True)
    opposed_how = models.CharField("opposition exprimée", max_length=20, choices=DmpChannel.choices, blank=True)
    opposition_reason = models.CharField("motif de l'opposition", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "information et opposition DMP"
        verbose_name_plural = "informations et oppositions DMP"

    def __str__(self) -> str:
        return f"DMP de {self.usager}"

    @property
    def document_class_code(self) -> str:
        return "consentements"
