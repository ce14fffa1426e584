"""Test helpers for the kind-based catalogue (dui.essms_kinds)."""

from dui.models import CatalogueKinds, EssmsKind


def offer_everywhere(og, domain: str, code: str) -> CatalogueKinds:
    """The OG offers this item in every kind of establishment (its own catalogue choice)."""
    row, _ = CatalogueKinds.objects.update_or_create(
        og=og, domain=domain, code=code, defaults={"kinds": list(EssmsKind.values)}
    )
    return row
