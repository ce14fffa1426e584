"""Writing transmissions: one transaction each, audited; a correction is a new version."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dui import audit, dates
from dui.actor import user_of
from dui.catalogue import WRITE
from dui.ins import search_key
from dui.limits import NARRATIVE_MAX_LENGTH, too_long
from dui.models import AccessAction, Placement, Unit, Usager
from dui.permissions import active_membership, can
from dui.services.common import refuse_archived
from transmissions.models import Cible, Theme, Transmission, Visibility
from transmissions.visibility import may_use_level

FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
CONTENT_FIELDS = ("donnees", "actions", "resultats", "narrative")


def unit_at(usager: Usager, moment: datetime.datetime) -> Unit | None:
    """The unit the person was placed in at that moment (dated history), if any."""
    day = timezone.localdate(moment)
    placement = (
        Placement.objects.filter(usager=usager, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("unit")
        .order_by("-starts_on", "-pk")
        .first()
    )
    return placement.unit if placement else None


CONTENT_LABELS = {"donnees": "Données", "actions": "Actions", "resultats": "Résultats", "narrative": "Note"}


def _search_text(cible_label: str, values: dict) -> str:
    return search_key(cible_label, *(values.get(field, "") for field in CONTENT_FIELDS))


def _validate(
    actor, *, values: dict, usager, unit, cible, free_cible, observed_at, visibility, kept_cible_id=None
) -> None:
    membership = active_membership(actor)
    errors: dict[str, list[str]] = {}
    if usager is None and unit is None:
        errors.setdefault("usager", []).append("Choisissez la personne concernée, ou l'unité entière.")
    if usager is not None:
        if usager.essms_id != membership.essms_id:
            errors.setdefault("usager", []).append("Personne inconnue dans cet établissement.")
        else:
            refuse_archived(usager)
    if unit is not None and unit.essms_id != membership.essms_id:
        errors.setdefault("unit", []).append("Unité inconnue dans cet établissement.")
    # A cible deactivated since the first version stays usable for the corrections of that thread.
    retired_but_kept = cible is not None and cible.pk == kept_cible_id
    if cible is not None and (cible.og_id != membership.essms.og_id or not (cible.is_active or retired_but_kept)):
        errors.setdefault("cible", []).append("Cible inconnue dans le catalogue de votre organisme.")
    elif cible is not None and not retired_but_kept and membership.essms.kind not in (cible.essms_kinds or ()):
        errors.setdefault("cible", []).append(
            f"La cible « {cible.label} » n'est pas proposée dans les établissements de type "
            f"{membership.essms.get_kind_display()} (catalogue de votre organisme)."
        )
    for field, value in values.items():
        if len(value.strip()) > NARRATIVE_MAX_LENGTH:
            errors.setdefault(field, []).append(too_long(CONTENT_LABELS[field], NARRATIVE_MAX_LENGTH))
    has_dar = any(values.get(field, "").strip() for field in ("donnees", "actions", "resultats"))
    has_narrative = bool(values.get("narrative", "").strip())
    if not has_dar and not has_narrative:
        errors.setdefault("__all__", []).append(
            "Transmission vide : renseignez les données, actions, résultats (DAR) ou une note."
        )
    if has_dar and cible is None and not free_cible.strip():
        errors.setdefault("cible", []).append("Une transmission ciblée (DAR) demande une cible.")
    if observed_at is None:
        errors.setdefault("observed_at", []).append("Indiquez l'heure de l'observation.")
    elif not dates.in_range(observed_at.date()):
        errors.setdefault("observed_at", []).append(dates.OUT_OF_RANGE)
    elif observed_at > timezone.now() + FUTURE_TOLERANCE:
        errors.setdefault("observed_at", []).append("L'heure d'observation ne peut pas être dans le futur.")
    if visibility not in Visibility.values:
        errors.setdefault("visibility", []).append("Niveau de visibilité inconnu.")
    elif not may_use_level(actor, visibility):
        errors.setdefault("visibility", []).append("Votre métier ne permet pas d'écrire avec ce niveau de visibilité.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def transmission_create(
    actor,
    *,
    usager: Usager | None = None,
    unit: Unit | None = None,
    cible: Cible | None = None,
    free_cible: str = "",
    theme: str = "",
    donnees: str = "",
    actions: str = "",
    resultats: str = "",
    narrative: str = "",
    observed_at: datetime.datetime | None = None,
    visibility: str = Visibility.ALL_STAFF,
    family_visible: bool = False,
) -> Transmission:
    if not can(actor, WRITE, Transmission.document_class_code):
        raise PermissionDenied("Votre métier ne permet pas d'écrire des transmissions.")
    values = {"donnees": donnees, "actions": actions, "resultats": resultats, "narrative": narrative}
    _validate(
        actor,
        values=values,
        usager=usager,
        unit=unit,
        cible=cible,
        free_cible=free_cible,
        observed_at=observed_at,
        visibility=visibility,
    )
    membership = active_membership(actor)
    if usager is not None and unit is None:
        unit = unit_at(usager, observed_at)
    theme = theme or (cible.theme if cible else Theme.AUTRE)
    if theme not in Theme.values:
        raise ValidationError({"theme": "Thème inconnu."})
    transmission = Transmission.objects.create(
        essms_id=membership.essms_id,
        usager=usager,
        unit=unit,
        cible=cible,
        free_cible="" if cible else free_cible.strip(),
        theme=theme,
        observed_at=observed_at,
        written_at=timezone.now(),
        author=user_of(actor),
        author_metier=membership.metier,
        visibility=visibility,
        family_visible=family_visible,
        search_text=_search_text(cible.label if cible else free_cible, values),
        **{field: value.strip() for field, value in values.items()},
    )
    audit.log_access(actor, AccessAction.CREATE, transmission)
    return transmission


@transaction.atomic
def transmission_correct(actor, *, transmission: Transmission, **changes) -> Transmission:
    """Publish a new version (no silent edit): the previous one stays, no longer current.

    Used for corrections and for Résultats added later, possibly by another professional.
    """
    if not can(actor, WRITE, transmission):
        raise PermissionDenied("Votre métier ne permet pas d'écrire des transmissions.")
    current = Transmission.objects.select_for_update().get(pk=transmission.pk)
    if not current.is_current:
        raise ValidationError("Cette version a déjà été remplacée : corrigez la version la plus récente.")
    allowed = {"cible", "free_cible", "theme", *CONTENT_FIELDS, "observed_at", "visibility", "family_visible"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"Champs non modifiables : {', '.join(sorted(unknown))}.")
    merged = {field: getattr(current, field) for field in allowed} | changes
    if merged == {field: getattr(current, field) for field in allowed}:
        raise ValidationError("Aucune modification : la version actuelle est conservée.")
    values = {field: merged[field] or "" for field in CONTENT_FIELDS}
    _validate(
        actor,
        values=values,
        usager=current.usager,
        unit=current.unit,
        cible=merged["cible"],
        free_cible=merged["free_cible"],
        observed_at=merged["observed_at"],
        visibility=merged["visibility"],
        kept_cible_id=current.cible_id,
    )
    Transmission.objects.filter(pk=current.pk).update(is_current=False)
    cible = merged["cible"]
    new = Transmission.objects.create(
        essms_id=current.essms_id,
        usager=current.usager,
        unit=current.unit,
        cible=cible,
        free_cible="" if cible else (merged["free_cible"] or "").strip(),
        theme=merged["theme"],
        observed_at=merged["observed_at"],
        written_at=timezone.now(),
        author=user_of(actor),
        author_metier=active_membership(actor).metier,
        visibility=merged["visibility"],
        family_visible=merged["family_visible"],
        original_id=current.thread_id,
        version=current.version + 1,
        search_text=_search_text(cible.label if cible else merged["free_cible"], values),
        **{field: value.strip() for field, value in values.items()},
    )
    audit.log_access(actor, AccessAction.UPDATE, new, detail=f"version {new.version}")
    return new


def transmission_add_result(actor, *, transmission: Transmission, resultats: str, **kwargs) -> Transmission:
    if not resultats.strip():
        raise ValidationError({"resultats": "Le résultat est vide."})
    combined = f"{transmission.resultats}\n{resultats.strip()}".strip()
    return transmission_correct(actor, transmission=transmission, resultats=combined, **kwargs)
