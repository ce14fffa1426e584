"""Amendement Creton: the CDAPH decisions keeping a young adult in a children's establishment.

Same rules as every séjour write (dui.services.sejours): one transaction, the dossier locked,
the matrix checked, every field checked before writing, an audit row.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dui.actor import user_of
from dui.essms_kinds import SECTION
from dui.models import AccessAction, CretonDecision, Usager
from dui.selectors.catalogue_kinds import applies_in
from dui.services.sejours import (
    _Errors,
    _fr,
    _lock_usager,
    _log,
    _period,
    _probe,
    _require_not_archived,
    _require_write,
)

CRETON_AGE = 20


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, month=3, day=1)


# --- Amendement Creton --------------------------------------------------------------------------


@transaction.atomic
def creton_decision_record(
    actor,
    *,
    usager: Usager,
    decided_on: datetime.date,
    valid_until: datetime.date,
    orientation: str = "",
    comment: str = "",
) -> CretonDecision:
    """A CDAPH decision keeping a young adult (20 and over) in a children's establishment."""
    usager = _lock_usager(usager.pk)
    # Checked first: in an establishment it does not concern, the class grants nothing either.
    essms = usager.essms
    if not applies_in(essms, SECTION, CretonDecision.document_class_code):
        raise ValidationError(
            f"L'amendement Creton ne concerne que les établissements pour enfants (IME, IMPRO, SESSAD, CAMSP, MECS) : "
            f"{essms.name} ({essms.get_kind_display()}) n'en relève pas."
        )
    _require_write(
        actor, _probe(CretonDecision, usager), "Vous n'avez pas le droit de saisir le suivi Amendement Creton."
    )
    _require_not_archived(usager)
    errors = _Errors()
    if decided_on > timezone.localdate():
        errors.add("decided_on", "La date de la décision CDAPH ne peut pas être dans le futur.")
    if valid_until <= decided_on:
        errors.add("valid_until", "La fin de validité doit être postérieure à la date de la décision.")
    twentieth = add_years(usager.birth_date, CRETON_AGE)
    if twentieth > valid_until:
        errors.add(
            None,
            f"L'amendement Creton concerne les jeunes adultes de {CRETON_AGE} ans et plus : cette personne aura "
            f"{CRETON_AGE} ans le {_fr(twentieth)}, après la fin de validité de la décision.",
        )
    errors.raise_if_any()
    decision = CretonDecision(
        essms_id=usager.essms_id,
        usager=usager,
        decided_on=decided_on,
        valid_until=valid_until,
        orientation=orientation.strip(),
        comment=comment.strip(),
        created_by=user_of(actor),
    )
    decision.full_clean()
    decision.save()
    _log(
        actor,
        AccessAction.CREATE,
        decision,
        f"décision CDAPH du {_fr(decided_on)}, valable {_period(decided_on, valid_until)}",
    )
    return decision
