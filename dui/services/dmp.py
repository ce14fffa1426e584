"""Writes of the person's DMP information and opposition (one row per dossier, audited)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.models import AccessAction, DmpChannel, DmpConsent, Usager
from dui.permissions import require
from dui.services.common import refuse_archived


@transaction.atomic
def dmp_consent_record(
    actor,
    *,
    usager: Usager,
    informed_on=None,
    informed_how: str = "",
    opposed: bool = False,
    opposed_on=None,
    opposed_how: str = "",
    opposition_reason: str = "",
) -> DmpConsent:
    """Record (or correct) when and how the person was informed, and whether they oppose feeding the DMP."""
    refuse_archived(usager)
    consent = DmpConsent.objects.select_for_update().filter(usager=usager).first() or DmpConsent(
        essms_id=usager.essms_id, usager=usager
    )
    require(actor, WRITE, consent)
    today = timezone.localdate()
    errors = {}
    channels = set(DmpChannel.values)
    if informed_on is None:
        errors["informed_on"] = "Indiquez la date à laquelle la personne a été informée du DMP."
    elif informed_on > today:
        errors["informed_on"] = "La date d'information ne peut pas être dans le futur."
    if informed_how not in channels:
        errors["informed_how"] = "Indiquez comment la personne a été informée."
    if opposed:
        if opposed_on is None:
            errors["opposed_on"] = "Indiquez la date de l'opposition."
        elif opposed_on > today:
            errors["opposed_on"] = "La date de l'opposition ne peut pas être dans le futur."
        if opposed_how not in channels:
            errors["opposed_how"] = "Indiquez comment l'opposition a été exprimée."
    if errors:
        raise ValidationError(errors)
    consent.informed_on, consent.informed_how = informed_on, informed_how
    consent.opposed = bool(opposed)
    consent.opposed_on = opposed_on if opposed else None
    consent.opposed_how = opposed_how if opposed else ""
    consent.opposition_reason = (opposition_reason or "").strip()[:200] if opposed else ""
    consent.recorded_by = user_of(actor)
    created = consent.pk is None
    consent.save()
    detail = "opposition à l'alimentation du DMP" if opposed else "information DMP, pas d'opposition"
    audit.log_access(actor, AccessAction.CREATE if created else AccessAction.UPDATE, consent, detail=detail)
    return consent
