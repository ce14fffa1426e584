"""Reads of the continuity plan: the packs of the active ESSMS, the mode dégradé page, a download."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from continuity.models import DOCUMENT_CLASS, ContinuityPack
from dui import audit
from dui.catalogue import READ, WRITE
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Unit
from dui.permissions import active_membership, can, require
from dui.selectors import units_for_user

FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


def packs_for_user(actor) -> QuerySet[ContinuityPack]:
    membership = active_membership(actor)
    if membership is None or not can(actor, READ, DOCUMENT_CLASS):
        return ContinuityPack.objects.none()
    return ContinuityPack.objects.filter(essms_id=membership.essms_id).select_related("unit", "essms")


@dataclass
class UnitPacks:
    unit: Unit
    packs: list[ContinuityPack]

    @property
    def latest(self) -> ContinuityPack | None:
        return self.packs[0] if self.packs else None


@dataclass
class ContinuityPage:
    units: list[UnitPacks]
    export_dir: str
    may_generate: bool


def continuity_page(actor) -> ContinuityPage:
    """Each open unit with its packs, newest first (they are purged after 7 days: a short list)."""
    if active_membership(actor) is None:
        raise NotFound
    require(actor, READ, DOCUMENT_CLASS)
    by_unit: dict[int, list[ContinuityPack]] = {}
    for pack in packs_for_user(actor).order_by("-generated_at", "-pk"):
        by_unit.setdefault(pack.unit_id, []).append(pack)
    units = [
        UnitPacks(unit, by_unit.get(unit.pk, []))
        for unit in units_for_user(actor).filter(is_active=True).order_by("name", "pk")
    ]
    return ContinuityPage(
        units=units,
        export_dir=str(getattr(settings, "CONTINUITY_EXPORT_DIR", "") or ""),
        may_generate=can(actor, WRITE, DOCUMENT_CLASS),
    )


def pack_download(actor, pk, fmt: str):
    """(pack, opened file) of one pack of the active ESSMS, logged as read; NotFound otherwise."""
    if fmt not in FORMATS:
        raise NotFound
    pack = packs_for_user(actor).filter(pk=valid_pk(pk)).first()
    if pack is None:
        raise NotFound
    field = pack.pdf if fmt == "pdf" else pack.csv
    try:
        handle = field.open("rb")
    except (OSError, ValueError):
        raise NotFound from None
    audit.log_access(actor, AccessAction.READ, pack, detail=f"plan de continuité téléchargé ({fmt.upper()})")
    return pack, handle
