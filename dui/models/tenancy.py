"""Organismes gestionnaires, their establishments (ESSMS) and the units inside them."""

from django.db import models

from dui.finess import validate_finess


class OrganismeGestionnaire(models.Model):
    """The legal entity (FINESS juridique) running one or several ESSMS."""

    name = models.CharField("raison sociale", max_length=200)
    finess_juridique = models.CharField("FINESS juridique", max_length=9, unique=True, validators=[validate_finess])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "organisme gestionnaire"
        verbose_name_plural = "organismes gestionnaires"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EssmsKind(models.TextChoices):
    EHPAD = "ehpad", "EHPAD"
    SSIAD = "ssiad", "SSIAD"
    SAAD = "saad", "SAAD"
    SSAD = "ssad", "SSAD"
    IME = "ime", "IME"
    IMPRO = "impro", "IMPRO"
    MAS = "mas", "MAS"
    FAM = "fam", "FAM"
    ESAT = "esat", "ESAT"
    FOYER = "foyer", "Foyer"
    SESSAD = "sessad", "SESSAD"
    CAMSP = "camsp", "CAMSP"
    CHRS = "chrs", "CHRS"
    MECS = "mecs", "MECS"
    OTHER = "other", "Autre"


class Essms(models.Model):
    """An establishment or service (FINESS géographique): the tenant of every personal row."""

    og = models.ForeignKey(
        OrganismeGestionnaire, on_delete=models.PROTECT, related_name="essms_set", verbose_name="organisme gestionnaire"
    )
    name = models.CharField("nom", max_length=200)
    finess = models.CharField("FINESS géographique", max_length=9, unique=True, validators=[validate_finess])
    kind = models.CharField("catégorie", max_length=10, choices=EssmsKind.choices)
    capacity = models.PositiveIntegerField("capacité autorisée", default=0)
    emergency_phone = models.CharField(
        "téléphone joignable 24 h/24", max_length=30, blank=True, help_text="Imprimé sur le DLU pour le SAMU."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ESSMS"
        verbose_name_plural = "ESSMS"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit, sector, service or workshop inside one ESSMS."""

    essms = models.ForeignKey(Essms, on_delete=models.PROTECT, related_name="units")
    name = models.CharField("nom", max_length=120)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "unité"
        ordering = ["essms", "name"]
        constraints = [models.UniqueConstraint(fields=["essms", "name"], name="unit_name_unique_in_essms")]

    def __str__(self) -> str:
        return self.name
