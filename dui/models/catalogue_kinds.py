"""Per-OG choice of the kinds of establishment where a catalogue item is offered."""

from django.db import models

from dui.models.tenancy import OrganismeGestionnaire


class CatalogueKinds(models.Model):
    """An OG's own kinds for one item (event kind, grid, document class); no row: the defaults."""

    og = models.ForeignKey(OrganismeGestionnaire, on_delete=models.CASCADE, related_name="+")
    domain = models.CharField("catalogue", max_length=16)
    code = models.CharField("élément", max_length=64)
    kinds = models.JSONField("types d'établissement", default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "types d'établissement d'un élément du catalogue"
        constraints = [models.UniqueConstraint(fields=["og", "domain", "code"], name="catalogue_kinds_unique")]

    def __str__(self) -> str:
        return f"{self.domain}:{self.code}"
