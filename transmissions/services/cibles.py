"""The per-OG catalogue of cibles: default entries, additions, (de)activation, kinds of establishment.

A cible is never deleted (transmissions point at it): it is deactivated, which removes it from
the writing screen and keeps it in the feed filters and in the history. Each cible lists the kinds
of establishment where it is offered (defaults: dui.essms_kinds); the OG widens or narrows them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from dui import audit
from dui.essms_kinds import CIBLE, default_kinds, sorted_kinds
from dui.ins import search_key
from dui.models import AccessAction, EssmsKind, OrganismeGestionnaire
from dui.permissions import active_membership
from dui.services.catalogue_kinds import can_manage_catalogue
from dui.services.catalogue_kinds import clean_kinds as clean_catalogue_kinds
from transmissions.models import Cible, Theme

LABEL_MAX_LENGTH = Cible._meta.get_field("label").max_length

# The common cibles of medico-social care and education, with their theme; the kinds of
# establishment where each is offered come from dui.essms_kinds (children's ones: IME, SESSAD…).
DEFAULT_CIBLES: tuple[tuple[str, str], ...] = (
    ("Douleur", Theme.DOULEUR),
    ("Chute", Theme.MOBILITE),
    ("Mobilité", Theme.MOBILITE),
    ("Contention", Theme.MOBILITE),
    ("Sommeil", Theme.SOMMEIL),
    ("Alimentation", Theme.ALIMENTATION),
    ("Hydratation", Theme.ALIMENTATION),
    ("Fausse route", Theme.ALIMENTATION),
    ("Élimination", Theme.ELIMINATION),
    ("Agitation", Theme.COMPORTEMENT),
    ("Anxiété", Theme.COMPORTEMENT),
    ("Humeur", Theme.COMPORTEMENT),
    ("Comportement en groupe", Theme.COMPORTEMENT),
    ("Crise d'épilepsie", Theme.SOINS),
    ("Plaie / escarre", Theme.SOINS),
    ("Fièvre", Theme.SOINS),
    ("Troubles respiratoires", Theme.SOINS),
    ("Refus de soins", Theme.SOINS),
    ("Traitement", Theme.SOINS),
    ("Rendez-vous médical", Theme.SOINS),
    ("Fin de vie", Theme.SOINS),
    ("Toilette", Theme.HYGIENE),
    ("Confort", Theme.HYGIENE),
    ("Relations familiales", Theme.FAMILLE),
    ("Visite", Theme.FAMILLE),
    ("Activité", Theme.VIE_SOCIALE),
    ("Sortie", Theme.VIE_SOCIALE),
    ("Scolarité", Theme.EDUCATIF),
    ("Apprentissages et autonomie", Theme.EDUCATIF),
    ("Démarches administratives", Theme.ADMINISTRATIF),
)


def cibles_fill_defaults(*, og: OrganismeGestionnaire) -> int:
    """Create the default cibles the OG lacks (compared without accents or case); returns how many.

    Entries already present, even deactivated or with another theme, are left as they are.
    """
    present = {search_key(label) for label in Cible.objects.filter(og=og).values_list("label", flat=True)}
    rows = [
        Cible(og=og, label=label, theme=theme, essms_kinds=sorted_kinds(default_kinds(CIBLE, label)))
        for label, theme in DEFAULT_CIBLES
        if search_key(label) not in present
    ]
    Cible.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def can_manage_cibles(user) -> bool:
    """OG administrators (who write the habilitation matrix), direction and cadres de santé."""
    return can_manage_catalogue(user)


def _require_manager(user) -> OrganismeGestionnaire:
    if not can_manage_cibles(user):
        raise PermissionDenied("Seuls la direction, les cadres de santé et l'administrateur modifient les cibles.")
    return active_membership(user).essms.og


def clean_label(label: str) -> str:
    return " ".join((label or "").split())


def clean_kinds(kinds) -> list[str]:
    """The chosen kinds of establishment, at least one (a cible offered nowhere is deactivated)."""
    try:
        return clean_catalogue_kinds(kinds, allow_empty=False)
    except ValidationError as error:
        raise ValidationError({"essms_kinds": error.message_dict["kinds"]}) from None


@transaction.atomic
def cible_create(
    actor,
    *,
    label: str,
    theme: str,
    essms_kinds=None,
) -> Cible:
    """A new cible; offered in every kind of establishment unless `essms_kinds` says otherwise."""
    og = _require_manager(actor)
    label = clean_label(label)
    kinds = sorted_kinds(EssmsKind.values) if essms_kinds is None else clean_kinds(essms_kinds)
    errors: dict[str, list[str]] = {}
    if not label:
        errors["label"] = ["Indiquez le libellé de la cible."]
    elif len(label) > LABEL_MAX_LENGTH:
        errors["label"] = [f"Libellé trop long : {LABEL_MAX_LENGTH} caractères au plus (actuellement {len(label)})."]
    elif any(
        search_key(existing) == search_key(label)
        for existing in Cible.objects.filter(og=og).values_list("label", flat=True)
    ):
        errors["label"] = [f"La cible « {label} » existe déjà dans le catalogue (active ou désactivée)."]
    if theme not in Theme.values:
        errors["theme"] = ["Choisissez un thème de la liste."]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            cible = Cible.objects.create(og=og, label=label, theme=theme, essms_kinds=kinds)
    except IntegrityError:
        raise ValidationError({"label": [f"La cible « {label} » existe déjà dans le catalogue."]}) from None
    audit.log_access(actor, AccessAction.CREATE, cible, detail=f"cible {label}")
    return cible


@transaction.atomic
def cible_set_active(actor, *, cible: Cible, active: bool) -> Cible:
    og = _require_manager(actor)
    if cible.og_id != og.pk:
        raise ValidationError("Cible inconnue dans le catalogue de votre organisme.")
    if cible.is_active == active:
        state = "active" if active else "désactivée"
        raise ValidationError(f"La cible « {cible.label} » est déjà {state}.")
    cible.is_active = active
    cible.save(update_fields=["is_active"])
    detail = f"cible {cible.label} {'réactivée' if active else 'désactivée'}"
    audit.log_access(actor, AccessAction.UPDATE, cible, detail=detail)
    return cible


@transaction.atomic
def cible_set_kinds(actor, *, cible: Cible, essms_kinds) -> Cible:
    """The kinds of establishment where the OG offers this cible (the defaults are only a start)."""
    og = _require_manager(actor)
    if cible.og_id != og.pk:
        raise ValidationError("Cible inconnue dans le catalogue de votre organisme.")
    kinds = clean_kinds(essms_kinds)
    if kinds == sorted_kinds(cible.essms_kinds or ()):
        raise ValidationError(
            {"essms_kinds": [f"La cible « {cible.label} » est déjà proposée dans ces établissements."]}
        )
    cible.essms_kinds = kinds
    cible.save(update_fields=["essms_kinds"])
    detail = f"cible {cible.label} proposée dans : {', '.join(kinds)}"
    audit.log_access(actor, AccessAction.UPDATE, cible, detail=detail)
    return cible
