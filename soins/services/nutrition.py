"""Setting a person's daily hydration target: an IDE or a doctor (whoever may validate the
« constantes » class in the matrix), within plausible bounds, audited, one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dui import audit
from dui.actor import user_of
from dui.catalogue import VALIDATE
from dui.errors import NotFound
from dui.models import AccessAction, Usager
from dui.permissions import active_membership, can
from dui.selectors.medical import DossierSection
from dui.services.common import refuse_archived
from soins.grids.hydration import MAX_DAILY_TARGET_ML, MIN_DAILY_TARGET_ML
from soins.models import HydrationTarget

TARGET_CLASS = "constantes"
REFUSED = "Seuls l'IDE et le médecin peuvent fixer l'objectif d'hydratation."
MAX_COMMENT = 300


def may_set_target(user, usager: Usager) -> bool:
    return can(user, VALIDATE, DossierSection(usager, TARGET_CLASS))


def clean_daily_ml(value) -> int:
    """The target in mL/day, or a French ValidationError keyed "daily_ml"."""
    if isinstance(value, str):
        value = value.strip().replace(" ", "").replace("\u202f", "")
        if not value.isascii() or not value.isdigit():
            raise ValidationError({"daily_ml": "Objectif invalide : un nombre entier de mL par jour est attendu."})
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({"daily_ml": "Objectif invalide : un nombre entier de mL par jour est attendu."})
    if not MIN_DAILY_TARGET_ML <= value <= MAX_DAILY_TARGET_ML:
        raise ValidationError(
            {
                "daily_ml": f"Objectif invraisemblable : il doit être compris entre {MIN_DAILY_TARGET_ML} "
                f"et {MAX_DAILY_TARGET_ML} mL par jour."
            }
        )
    return value


@transaction.atomic
def hydration_target_set(actor, *, usager: Usager, daily_ml, comment: str = "") -> HydrationTarget:
    """Record the person's new daily target (the previous ones stay as history).

    NotFound outside the active ESSMS; PermissionDenied for a métier that may not validate
    constantes; ValidationError (French) for an archived dossier or an implausible target.
    """
    membership = active_membership(actor)
    if membership is None or usager.essms_id != membership.essms_id:
        raise NotFound
    if not may_set_target(actor, usager):
        raise PermissionDenied(REFUSED)
    refuse_archived(usager)
    daily_ml = clean_daily_ml(daily_ml)
    comment = (comment or "").strip() if isinstance(comment, str) else ""
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": f"Motif trop long ({MAX_COMMENT} caractères au plus)."})
    target = HydrationTarget.objects.create(
        essms_id=usager.essms_id, usager=usager, created_by=user_of(actor), daily_ml=daily_ml, comment=comment
    )
    audit.log_access(actor, AccessAction.CREATE, target, detail=f"{daily_ml} mL/jour")
    return target
