"""Reads of the drug referential and the allergy check every prescribing screen relies on.

The referential is public (no `essms`); allergy reads go through the usager's rows only.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dui.models import Allergy, Drug, DrugComponent, Substance, SubstanceClass, Usager
from dui.permissions import active_membership

SEARCH_LIMIT = 20


def drug_search(query: str, limit: int = SEARCH_LIMIT, *, prefetch: bool = False) -> list[Drug]:
    """Specialities whose name or substance contains each typed word (2 letters at least)."""
    words = [word for word in (query or "").split() if word]
    if not words or len("".join(words)) < 2:
        return []
    qs = Drug.objects.all()
    for word in words[:5]:
        qs = qs.filter(Q(name__icontains=word) | Q(components__substance__name__icontains=word))
    qs = qs.distinct().order_by("-marketed", "name")
    if prefetch:
        qs = qs.prefetch_related("components__substance")
    return list(qs[:limit])


def drugs_found(actor, query: str) -> list[Drug]:
    """API search: the referential is public data, but only for an account acting in an ESSMS."""
    if active_membership(actor) is None:
        return []
    return drug_search(query, prefetch=True)


def substances_listed(actor) -> QuerySet[Substance]:
    """API listing of the substances, for an account acting in an ESSMS."""
    if active_membership(actor) is None:
        return Substance.objects.none()
    return substances()


def substances() -> QuerySet[Substance]:
    """The referential's substances with their classes, by name (API listing)."""
    return Substance.objects.prefetch_related("classes").order_by("name")


def substance_names() -> QuerySet[str]:
    """Every substance name, for the suggestions of the allergy form."""
    return Substance.objects.order_by("name").values_list("name", flat=True)


def coding_choices() -> tuple[list[Substance], list[SubstanceClass]]:
    """What an allergy may be coded against."""
    return list(Substance.objects.order_by("name")), list(SubstanceClass.objects.order_by("name"))


@dataclass(frozen=True)
class AllergyMatch:
    allergy: Allergy
    via: str  # the substance or class of the drug that matches

    @property
    def message(self) -> str:
        severity = self.allergy.get_severity_display().lower() if self.allergy.severity else "gravité non précisée"
        reaction = f", réaction : {self.allergy.reaction}" if self.allergy.reaction else ""
        return f"Allergie « {self.allergy.substance} » ({severity}{reaction}) : ce médicament contient {self.via}."


def allergy_matches(usager: Usager | int, drug: Drug | None) -> list[AllergyMatch]:
    """The usager's active allergies that hit a substance of the drug or one of its classes.

    A free-text drug (None) cannot be checked: it matches nothing, and screens say so.
    """
    if drug is None:
        return []
    return allergy_matches_by_drug(usager, [drug.pk])[drug.pk]


def allergy_matches_by_drug(usager: Usager | int, drug_ids) -> dict[int, list[AllergyMatch]]:
    """Matches for several specialities at once: one query, three when the person has allergies."""
    drug_ids = {pk for pk in drug_ids if pk is not None}
    found: dict[int, list[AllergyMatch]] = {pk: [] for pk in drug_ids}
    usager_id = usager if isinstance(usager, int) else usager.pk
    allergies = list(
        Allergy.objects.filter(usager_id=usager_id, ended_at__isnull=True).select_related(
            "substance_ref", "substance_class"
        )
    )
    if not allergies or not drug_ids:
        return found
    components = DrugComponent.objects.filter(drug_id__in=drug_ids).select_related("substance")
    for component in components.prefetch_related("substance__classes"):
        substance = component.substance
        classes = {cls.pk: cls for cls in substance.classes.all()}
        for allergy in allergies:
            if allergy.substance_ref_id == substance.pk:
                found[component.drug_id].append(AllergyMatch(allergy, substance.name))
            elif allergy.substance_class_id in classes:
                cls = classes[allergy.substance_class_id]
                found[component.drug_id].append(AllergyMatch(allergy, f"{substance.name} ({cls.name})"))
    return found
