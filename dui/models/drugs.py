"""Drug referential (BDPM): specialities, their substances, presentations, and substance classes.

It lives in `dui` because coded allergies point at substances and classes; ppa's prescription
lines point at a speciality. Shared by every establishment (public data, no `essms`).
"""

from decimal import Decimal

from django.db import models


class SubstanceClass(models.Model):
    """A pharmacological class an allergy may target (pénicillines, AINS, opioïdes…)."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("classe", max_length=120)

    class Meta:
        verbose_name = "classe de substances"
        verbose_name_plural = "classes de substances"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Substance(models.Model):
    """An active substance; `code` is the BDPM substance code when known.

    Daily maxima are in mg per 24 h for the frail/elderly (the EHPAD default, used from 75 years)
    and for an adult; empty means not checked.
    """

    code = models.CharField("code substance BDPM", max_length=12, unique=True, null=True, blank=True)
    name = models.CharField("substance", max_length=200, unique=True)
    classes = models.ManyToManyField(SubstanceClass, related_name="substances", blank=True)
    max_daily_mg_frail = models.DecimalField(
        "maximum par 24 h, sujet âgé/fragile (mg)", max_digits=10, decimal_places=3, null=True, blank=True
    )
    max_daily_mg_adult = models.DecimalField(
        "maximum par 24 h, adulte (mg)", max_digits=10, decimal_places=3, null=True, blank=True
    )

    class Meta:
        verbose_name = "substance active"
        verbose_name_plural = "substances actives"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Drug(models.Model):
    """A speciality (BDPM CIS code): "AMOXICILLINE BIOGARAN 1 g, comprimé…"."""

    cis = models.CharField("code CIS", max_length=8, unique=True)
    name = models.CharField("dénomination", max_length=300, db_index=True)
    form = models.CharField("forme pharmaceutique", max_length=200, blank=True)
    routes = models.CharField("voies d'administration", max_length=200, blank=True)
    marketed = models.BooleanField("commercialisée", default=True)
    substances = models.ManyToManyField(Substance, through="DrugComponent", related_name="drugs")

    class Meta:
        verbose_name = "spécialité"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DrugComponent(models.Model):
    """One active substance of a speciality, with its strength per unit (comprimé, gélule, ml…).

    `strength_mg` is parsed from the BDPM dosage when it is a plain mass ("500 mg", "1 g");
    otherwise empty and the daily maximum of that substance cannot be checked on this speciality.
    """

    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="components")
    substance = models.ForeignKey(Substance, on_delete=models.PROTECT, related_name="components")
    dosage = models.CharField("dosage (BDPM)", max_length=200, blank=True)
    reference = models.CharField("référence de dosage", max_length=200, blank=True)
    strength_mg = models.DecimalField("quantité par unité (mg)", max_digits=12, decimal_places=3, null=True, blank=True)

    class Meta:
        verbose_name = "composant"
        constraints = [models.UniqueConstraint(fields=["drug", "substance"], name="drug_component_unique")]


class Presentation(models.Model):
    """A box of a speciality (CIP13)."""

    cip13 = models.CharField("code CIP13", max_length=13, unique=True)
    drug = models.ForeignKey(Drug, on_delete=models.CASCADE, related_name="presentations")
    label = models.CharField("présentation", max_length=300)

    class Meta:
        verbose_name = "présentation"
        ordering = ["cip13"]


MASS_UNITS = {"g": Decimal(1000), "mg": Decimal(1), "microgrammes": Decimal("0.001"), "µg": Decimal("0.001")}
