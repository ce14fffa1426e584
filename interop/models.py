"""Partner API tokens: stored hashed, bound to one ESSMS, revocable."""

from django.conf import settings
from django.db import models

from interop.models_access import TokenAccess  # noqa: F401  (scopes of a token)


class ApiToken(models.Model):
    essms = models.ForeignKey("dui.Essms", on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("client", max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text="Compte technique du partenaire, dont l'affectation porte les droits.",
    )
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        constraints = [
            models.UniqueConstraint(
                fields=["essms", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="apitoken_active_name_unique_in_essms",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


from interop.dlu.models import DluGeneration, TransferSheet  # noqa: E402
from interop.mssante.models import InboxItem, InboxState  # noqa: E402
from interop.outbox.models import (  # noqa: E402
    AttemptOutcome,
    Connector,
    Delivery,
    DeliveryAttempt,
    DeliveryCause,
    DeliveryState,
)

__all__ = [
    "ApiToken",
    "AttemptOutcome",
    "Connector",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryCause",
    "DeliveryState",
    "DluGeneration",
    "InboxItem",
    "InboxState",
    "TransferSheet",
]
