"""What an API token may do: its scopes (interop.scopes). The métier is the one of its account's membership."""

from django.db import models


class TokenAccess(models.Model):
    token = models.OneToOneField("interop.ApiToken", on_delete=models.CASCADE, primary_key=True, related_name="access")
    scopes = models.JSONField("portées", default=list)

    class Meta:
        verbose_name = "portées d'un jeton d'API"
        verbose_name_plural = "portées des jetons d'API"

    def __str__(self) -> str:
        return " ".join(self.scopes)
