"""Professionals' own data kept by their establishment: the RPPS, set by the administrator."""

from django.core.exceptions import ValidationError
from django.db import transaction

from dui.audit import log_access
from dui.catalogue import WRITE
from dui.models import AccessAction, User
from dui.permissions import require
from dui.rpps import normalise_rpps, validate_rpps
from dui.selectors.people import essms_professional


@transaction.atomic
def professional_rpps_set(actor, professional: User, rpps: str) -> User:
    """Set (or clear, with "") the RPPS of a professional of the active ESSMS: checked, unique, journalled."""
    require(actor, WRITE, "habilitations")
    professional = essms_professional(actor, professional.pk)
    number = normalise_rpps(rpps)
    if number:
        try:
            validate_rpps(number)
        except ValidationError as error:
            raise ValidationError({"rpps": error.messages}) from error
        if User.objects.filter(rpps=number).exclude(pk=professional.pk).exists():
            raise ValidationError({"rpps": "Ce numéro RPPS est déjà celui d'un autre compte."})
    if number == professional.rpps:
        return professional
    professional.rpps = number
    professional.save(update_fields=["rpps"])
    log_access(actor, AccessAction.UPDATE, professional, detail="RPPS modifié" if number else "RPPS effacé")
    return professional
