"""The outbox: a delivery (one document version × one connector × one recipient) and its attempts."""

import uuid

from django.conf import settings
from django.db import models


class Connector(models.TextChoices):
    DMP = "dmp", "DMP"
    MSSANTE = "mssante", "MSSanté"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "En attente"
    SENDING = "sending", "En cours d'envoi"
    DELIVERED = "delivered", "Envoyé"
    DEAD = "dead", "Échec (à renvoyer)"


class DeliveryCause(models.TextChoices):
    DLU = "dlu", "DLU généré"
    PPA = "ppa", "PPA validé"
    MANUAL = "manual", "Marqué « à envoyer »"


class Delivery(models.Model):
    uid = models.UUIDField("identifiant unique du document", default=uuid.uuid4, unique=True, editable=False)
    essms = models.ForeignKey("dui.Essms", on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey("dui.Usager", on_delete=models.PROTECT, related_name="deliveries")
    document = models.ForeignKey("dui.Document", on_delete=models.PROTECT, related_name="deliveries")
    version = models.ForeignKey("dui.DocumentVersion", on_delete=models.PROTECT, related_name="+")
    connector = models.CharField("connecteur", max_length=10, choices=Connector.choices)
    recipient = models.CharField("destinataire", max_length=254, blank=True)
    confidentiality = models.CharField("confidentialité", max_length=1, default="N")
    masking = models.CharField("masquage", max_length=100, blank=True)
    cause = models.CharField("origine", max_length=10, choices=DeliveryCause.choices)
    state = models.CharField("état", max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempt_count = models.PositiveIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField("envoyé le", null=True, blank=True)
    partner_reference = models.CharField("référence chez le partenaire", max_length=200, blank=True)
    last_error = models.CharField("dernière erreur", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "envoi"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "connector", "recipient"], name="delivery_once_per_recipient")
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["essms", "-created_at"], name="delivery_essms_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_connector_display()} {self.document_id} → {self.recipient or 'DMP'}"

    @property
    def document_class_code(self) -> str:
        return self.document.document_class.code

    @property
    def masking_flags(self) -> list[str]:
        return [flag for flag in self.masking.split(",") if flag]


class AttemptOutcome(models.TextChoices):
    DELIVERED = "delivered", "Accepté"
    ALREADY = "already", "Déjà reçu (compté comme envoyé)"
    FAILED = "failed", "Échec temporaire"
    REJECTED = "rejected", "Refusé"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    essms = models.ForeignKey("dui.Essms", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("tentative")
    connector = models.CharField("connecteur", max_length=10, choices=Connector.choices)
    started_at = models.DateTimeField("début")
    finished_at = models.DateTimeField("fin")
    outcome = models.CharField("résultat", max_length=10, choices=AttemptOutcome.choices)
    partner_message = models.CharField("message du partenaire", max_length=1000, blank=True)

    class Meta:
        verbose_name = "tentative d'envoi"
        ordering = ["delivery_id", "number"]
