"""Shared shape of the rows of the soins app: tenant, person, author."""

from django.conf import settings
from django.db import models

from dui.models import Essms, Usager


class PersonRow(models.Model):
    """A row of one person's dossier in one ESSMS, with its author."""

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="+")
    usager = models.ForeignKey(Usager, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
