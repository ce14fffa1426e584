"""Merge of two dossiers of the same person (identitovigilance, inside one ESSMS).

Every model with a foreign key named `usager` is moved from the merged dossier to the kept one,
present and future models alike; the merged dossier is archived as merged; both are audited.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit
from dui.models import AccessAction, Sejour, SejourStatus, Usager
from dui.permissions import can
from dui.selectors.identity import usager_relations
from dui.services.common import ARCHIVED_MESSAGE
from dui.services.identity import _require_membership


def _admitted_periods(usager_id: int) -> list[tuple[datetime.date, datetime.date]]:
    rows = Sejour.objects.filter(
        usager_id=usager_id,
        status__in=[SejourStatus.ACTIVE, SejourStatus.CLOSED],
        admitted_on__isnull=False,
    ).values_list("admitted_on", "ended_on")
    return [(start, end or datetime.date.max) for start, end in rows]


@transaction.atomic
def usager_merge(actor, *, kept: Usager, merged: Usager) -> Usager:
    """Move every row of `merged` to `kept`, then archive `merged` as merged into `kept`; audit both.

    Every model with a foreign key named `usager` is moved, present and future ones alike. The
    merged dossier may be archived (a former stay found again); the kept one must be open.
    """
    membership = _require_membership(actor)
    if not can(actor, "validate", "identitovigilance"):
        raise PermissionDenied(
            "Seul un professionnel habilité à l'identitovigilance (la direction par défaut) peut fusionner "
            "des dossiers."
        )
    if kept.pk == merged.pk:
        raise ValidationError("Un dossier ne peut pas être fusionné avec lui-même.", code="same")
    locked = {u.pk: u for u in Usager.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])}
    kept, merged = locked[kept.pk], locked[merged.pk]
    if kept.essms_id != merged.essms_id or kept.essms_id != membership.essms_id:
        raise ValidationError(
            "Seuls deux dossiers de l'établissement actif peuvent être fusionnés.", code="other_essms"
        )
    for usager in (kept, merged):
        if usager.merged_into_id:
            raise ValidationError(
                f"Le dossier n° {usager.pk} a déjà été fusionné dans le dossier n° {usager.merged_into_id}.",
                code="already_merged",
            )
    if kept.archived_at is not None:
        raise ValidationError(
            f"{ARCHIVED_MESSAGE} Conservez plutôt le dossier ouvert et fusionnez-y celui-ci.", code="archived"
        )
    for start, end in _admitted_periods(kept.pk):
        for other_start, other_end in _admitted_periods(merged.pk):
            if start <= other_end and other_start <= end:
                raise ValidationError(
                    "Les deux dossiers ont des séjours qui se chevauchent (admissions du "
                    f"{start:%d/%m/%Y} et du {other_start:%d/%m/%Y}) : corrigez l'un des séjours avant la fusion.",
                    code="overlap",
                )
    moved = {}
    for relation in usager_relations():
        count = relation.model._base_manager.filter(usager_id=merged.pk).update(usager_id=kept.pk)
        if count:
            moved[relation.label] = count
    now = timezone.now()
    merged.merged_into = kept
    merged.archived_at = now
    merged.save(update_fields=["merged_into", "archived_at", "updated_at"])
    kept.save(update_fields=["updated_at"])
    summary = ", ".join(f"{label} : {count}" for label, count in sorted(moved.items())) or "aucun élément"
    audit.log_access(
        actor,
        AccessAction.UPDATE,
        kept,
        detail=f"fusion : dossier n° {merged.pk} fusionné dans ce dossier ({summary})",
    )
    audit.log_access(
        actor,
        AccessAction.UPDATE,
        merged,
        detail=f"fusion : dossier fusionné dans le dossier n° {kept.pk} et archivé",
    )
    return kept
