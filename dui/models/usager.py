"""The person accompanied by an ESSMS, and time-limited cross-ESSMS grants on their dossier."""

from django.conf import settings
from django.db import models
from guardian.models import UserObjectPermissionBase

from dui.models.tenancy import Essms


class Sex(models.TextChoices):
    FEMALE = "F", "Féminin"
    MALE = "M", "Masculin"
    UNDETERMINED = "I", "Indéterminé"


class Usager(models.Model):
    document_class_code = "identite"

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="usagers")
    birth_name = models.CharField("nom de naissance", max_length=100)
    first_names = models.CharField("prénoms de naissance", max_length=200)
    used_name = models.CharField("nom utilisé", max_length=100, blank=True)
    used_first_name = models.CharField("prénom utilisé", max_length=100, blank=True)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "usager"
        ordering = ["birth_name", "first_names"]
        indexes = [models.Index(fields=["essms", "birth_name"], name="usager_essms_name")]

    def __str__(self) -> str:
        name = self.used_name or self.birth_name
        first = self.used_first_name or self.first_names.split(" ")[0]
        return f"{name.upper()} {first}"


class UsagerGrant(UserObjectPermissionBase):
    """A guardian object permission on one dossier, for a professional of another ESSMS of the same OG."""

    content_object = models.ForeignKey(Usager, on_delete=models.CASCADE, related_name="grants")
    expires_at = models.DateTimeField("expire le")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("motif", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "accès exceptionnel à un dossier"
        verbose_name_plural = "accès exceptionnels à un dossier"
