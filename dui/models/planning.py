"""Appointments entered by the secrétaire médicale, with transport, shown in the plannings."""

from django.conf import settings
from django.db import models

from dui.models.tenancy import Essms
from dui.models.usager import Usager


class Transport(models.TextChoices):
    AUCUN = "aucun", "Sans transport"
    AMBULANCE = "ambulance", "Ambulance"
    VSL = "vsl", "VSL"
    TAXI = "taxi", "Taxi conventionné"
    FAMILLE = "famille", "Famille"
    ETABLISSEMENT = "etablissement", "Véhicule de l'établissement"


class Appointment(models.Model):
    document_class_code = "rendez_vous"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin", null=True, blank=True)
    title = models.CharField("objet", max_length=200)
    place = models.CharField("lieu", max_length=200, blank=True)
    practitioner = models.CharField("intervenant", max_length=200, blank=True)
    transport = models.CharField("transport", max_length=16, choices=Transport.choices, default=Transport.AUCUN)
    transport_booked = models.BooleanField("transport réservé", default=False)
    accompanied_by = models.CharField("accompagnement", max_length=200, blank=True)
    notes = models.CharField("consignes", max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rendez-vous"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["essms", "starts_at"], name="appointment_essms_start")]


class UserPreference(models.Model):
    """Per user and ESSMS: pinned home sections and saved filters."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    essms = models.ForeignKey(Essms, on_delete=models.CASCADE, related_name="+")
    pinned_sections = models.JSONField(default=list, blank=True)
    saved_filters = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "essms"], name="preference_unique")]
