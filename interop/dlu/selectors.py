"""Reads of the DLU: the current version's metadata and file, its history and the checklist to
fix before generating. Scoped to the actor's reach; reads are logged."""

import datetime
from dataclasses import dataclass

from dui import audit
from dui.catalogue import READ, WRITE
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Usager
from dui.permissions import can, require
from dui.selectors import access_usager
from dui.selectors.medical import DossierSection
from interop.dlu.builder import LAYOUT_LABELS, SOURCE_LABELS, build_dlu, dlu_section_of, layout_for
from interop.dlu.checklist import missing_items
from interop.dlu.models import DluGeneration
from interop.dlu.services import DLU_CLASS


def _generations(usager: Usager):
    return DluGeneration.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk).select_related(
        "version__uploaded_by", "version__document"
    )


def current_dlu(actor, *, usager: Usager) -> DluGeneration | None:
    """The latest DLU version of this dossier (None: never generated); RightRefused without read."""
    require(actor, READ, DossierSection(usager, DLU_CLASS))
    current = _generations(usager).order_by("-created_at", "-pk").first()
    if current is not None:
        audit.log_access(actor, AccessAction.READ, current, detail=f"DLU version {current.version.number} consulté")
    return current


def dlu_generation(actor, *, usager: Usager, pk) -> DluGeneration:
    """One version of this dossier's DLU, to download; 404 when absent or out of reach."""
    require(actor, READ, DossierSection(usager, DLU_CLASS))
    generation = _generations(usager).filter(pk=valid_pk(pk)).first()
    if generation is None:
        raise NotFound
    audit.log_access(
        actor, AccessAction.EXPORT, generation, detail=f"PDF du DLU version {generation.version.number} ouvert"
    )
    return generation


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@dataclass
class DluPage:
    current: DluGeneration | None
    history: list[DluGeneration]
    sources: list[tuple[str, datetime.date | None]]
    missing: list | None  # None: the user may not generate, so no checklist to fix
    can_generate: bool
    can_edit_section: bool
    layout_label: str
    section: object | None


def dlu_page(actor, *, usager: Usager) -> DluPage:
    current = current_dlu(actor, usager=usager)
    history = list(_generations(usager).order_by("-created_at", "-pk")[:10])
    can_generate = usager.archived_at is None and can(actor, WRITE, DossierSection(usager, DLU_CLASS))
    missing = None
    if can_generate:
        content = build_dlu(usager)
        missing = missing_items(usager, content)
        audit.log_access(actor, AccessAction.READ, usager, detail="sources du DLU relues pour la liste des manques")
    sources = current.sources if current else {}
    section_readable = can(actor, READ, DossierSection(usager, "dossier_dlu"))
    return DluPage(
        current=current,
        history=history,
        sources=[(label, _day(sources.get(key))) for key, label in SOURCE_LABELS.items()] if current else [],
        missing=missing,
        can_generate=can_generate,
        can_edit_section=usager.archived_at is None and can(actor, WRITE, DossierSection(usager, "dossier_dlu")),
        layout_label=LAYOUT_LABELS[layout_for(usager.essms)],
        section=dlu_section_of(usager) if section_readable else None,
    )


def dlu_section_for(actor, *, usager: Usager):
    """The "Informations d'urgence" section of the dossier (None when never filled); needs read."""
    require(actor, READ, DossierSection(usager, "dossier_dlu"))
    section = dlu_section_of(usager)
    if section is not None:
        audit.log_access(actor, AccessAction.READ, section)
    return section


def dlu_version_in_reach(actor, pk) -> DluGeneration:
    """A DLU version by its id, when its dossier is in the actor's reach (else 404) and readable."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound from None
    usager_id = DluGeneration.objects.filter(pk=pk).values_list("usager_id", flat=True).first()
    if usager_id is None:
        raise NotFound
    usager = access_usager(actor, usager_id)
    return dlu_generation(actor, usager=usager, pk=pk)


def usagers_with_dlu_on(essms_ids, day: datetime.date) -> set[int]:
    """Ids of the persons whose DLU had been generated on or before `day` (a count for pilotage: no
    personal data leaves, so nothing is journalled)."""
    return set(
        DluGeneration.objects.filter(essms_id__in=list(essms_ids), created_at__date__lte=day)
        .values_list("usager_id", flat=True)
        .distinct()
    )
