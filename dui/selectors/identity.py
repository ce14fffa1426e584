"""Identity reads: suspected duplicates, accent-insensitive search, merge candidates and related rows.

Every function is scoped to the acting user's active ESSMS (identitovigilance works inside one
establishment: a merge never crosses ESSMS).
"""

import datetime
import re
from dataclasses import dataclass

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, QuerySet

from dui import audit
from dui.errors import NotFound, valid_pk
from dui.ins import IdentityStatus, name_key, normalise_matricule, search_key
from dui.models import AccessAction, Usager
from dui.permissions import active_membership, can
from dui.selectors import access_usager, usagers_for_user

DUPLICATES_DETAIL = "doublons possibles"
MERGE_DETAIL = "fusion de dossiers"

MATRICULE_QUERY_RE = re.compile(r"^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?$")


def first_first_name(first_names: str) -> str:
    """The first of the birth first names ("Marie Thérèse" → "Marie"; "Marie-Thérèse" stays whole)."""
    parts = re.split(r"[\s,]+", (first_names or "").strip())
    return parts[0] if parts else ""


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def find_suspected_duplicates(actor, *, data: dict, exclude_pk=None) -> list[Usager]:
    """Dossiers of the user's ESSMS that may be the same person as `data`.

    Suspected when birth date and sex are equal AND the birth names and the first birth
    first-names (or all of them: "Marie Thérèse" = "Marie-Thérèse") are equal once accents,
    case, hyphens, apostrophes and spaces are removed; or when the
    matricule INS is the same. Dossiers already merged into another are left out (archived
    ones are kept: a former resident coming back must be found). One query.
    """
    membership = active_membership(actor)
    if membership is None:
        return []
    birth_date = _as_date(data.get("birth_date"))
    sex = data.get("sex") or ""
    matricule = normalise_matricule(data.get("ins_matricule") or "")
    condition = Q()
    if birth_date and sex:
        condition |= Q(birth_date=birth_date, sex=sex)
    if matricule:
        condition |= Q(ins_matricule=matricule)
    if not condition:
        return []
    candidates = Usager.objects.filter(condition, essms_id=membership.essms_id, merged_into__isnull=True)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    wanted_name = name_key(data.get("birth_name") or "")
    wanted_first = name_key(first_first_name(data.get("first_names") or ""))
    wanted_all_first = name_key(data.get("first_names") or "")
    found = []
    for candidate in candidates.select_related("essms").order_by("birth_name", "pk"):
        same_matricule = bool(matricule) and candidate.ins_matricule == matricule
        same_traits = (
            candidate.birth_date == birth_date
            and candidate.sex == sex
            and bool(wanted_name)
            and name_key(candidate.birth_name) == wanted_name
            and (
                name_key(first_first_name(candidate.first_names)) == wanted_first
                or name_key(candidate.first_names) == wanted_all_first
            )
        )
        if same_matricule or same_traits:
            found.append(candidate)
    return found


def search_usagers(queryset: QuerySet[Usager], query: str) -> QuerySet[Usager]:
    """Filter by names (accent- and case-insensitive, through `search_text`) or by matricule INS.

    A matricule only finds a qualified identity: the RNIV forbids using an unqualified one.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    compact = normalise_matricule(query)
    if MATRICULE_QUERY_RE.match(compact):
        field = "ins_matricule" if len(compact) == 15 else "ins_matricule__startswith"
        return queryset.filter(**{field: compact}, identity_status=IdentityStatus.QUALIFIEE)
    condition = Q()
    for word in search_key(query).split():
        # Rows written outside the services (bulk imports) may lack search_text: plain names then.
        legacy = Q(birth_name__icontains=word) | Q(used_name__icontains=word) | Q(first_names__icontains=word)
        condition &= Q(search_text__contains=word) | (Q(search_text="") & legacy)
    return queryset.filter(condition)


def usager_search_text(usager: Usager) -> str:
    return search_key(usager.birth_name, usager.used_name, usager.first_names, usager.used_first_name)


@dataclass(frozen=True)
class UsagerRelation:
    model: type[models.Model]
    label: str


def usager_relations() -> list[UsagerRelation]:
    """Every model of the project with a foreign key named `usager` to Usager (hidden reverse ones too)."""
    relations = []
    for model in apps.get_models():
        field = next(
            (f for f in model._meta.concrete_fields if f.name == "usager" and f.is_relation),
            None,
        )
        if field is not None and field.related_model is Usager:
            relations.append(UsagerRelation(model=model, label=str(model._meta.verbose_name_plural)))
    return sorted(relations, key=lambda r: r.model._meta.label)


def related_row_counts(usager: Usager) -> dict[str, int]:
    """Rows attached to the dossier, per kind (label → count), kinds with no row left out."""
    counts = {}
    for relation in usager_relations():
        count = relation.model._default_manager.filter(usager_id=usager.pk).count()
        if count:
            counts[relation.label] = count
    return counts


def merge_candidates(actor, *, kept: Usager, query: str = "") -> QuerySet[Usager]:
    """Other dossiers of the ESSMS that could be merged into `kept` (none when the user may not merge)."""
    membership = active_membership(actor)
    if membership is None or not can(actor, "validate", "identitovigilance"):
        return Usager.objects.none()
    qs = Usager.objects.filter(essms_id=membership.essms_id, merged_into__isnull=True).exclude(pk=kept.pk)
    return search_usagers(qs, query).select_related("essms")


def access_merge_candidate(actor, *, kept: Usager, pk, detail: str = "") -> Usager:
    """The dossier to merge into `kept`, or NotFound; logged as read when `detail` says why."""
    other = merge_candidates(actor, kept=kept).filter(pk=valid_pk(pk)).first()
    if other is None:
        raise NotFound
    if detail:
        audit.log_access(actor, AccessAction.READ, other, detail=detail)
    return other


def duplicates_shown(actor, duplicates: list[Usager]) -> list[Usager]:
    """The suspected duplicates a refused create or edit shows, logged as read."""
    audit.log_reads(actor, duplicates, detail=DUPLICATES_DETAIL)
    return duplicates


def identity_page(actor, pk) -> Usager:
    """The dossier whose identity the edit page shows, logged as read."""
    usager = access_usager(actor, pk, action="write")
    audit.log_access(actor, AccessAction.READ, usager, detail="identité")
    return usager


def merge_page(actor, *, kept: Usager, other_id, query: str) -> dict:
    """What the merge page shows: the kept dossier, then the other one or the candidates; all logged as read."""
    context = {"usager": kept, "kept_counts": related_row_counts(kept)}
    audit.log_access(actor, AccessAction.READ, kept, detail=MERGE_DETAIL)
    if other_id:
        other = access_merge_candidate(actor, kept=kept, pk=other_id, detail=MERGE_DETAIL)
        context.update(other=other, other_counts=related_row_counts(other))
        return context
    suspected = find_suspected_duplicates(
        actor,
        data={f: getattr(kept, f) for f in ("birth_name", "first_names", "birth_date", "sex", "ins_matricule")},
        exclude_pk=kept.pk,
    )
    found = list(merge_candidates(actor, kept=kept, query=query)[:20]) if query else []
    audit.log_reads(actor, [*suspected, *found], detail=MERGE_DETAIL)
    context.update(suspected=suspected, found=found, query=query)
    return context


def usager_list_page(actor, *, query: str = "", page_number=None, prepare=None) -> Page:
    """One page of the dossier list (names or exact matricule), its dossiers logged as read.

    `prepare` adds what the list shows of each dossier to the queryset (placement of the day).
    """
    usagers = usagers_for_user(actor)
    if query:
        usagers = usagers.filter(Q(search_text__contains=search_key(query)) | Q(ins_matricule=query.replace(" ", "")))
    usagers = usagers.select_related("essms")
    if prepare is not None:
        usagers = prepare(usagers)
    page = Paginator(usagers, 50).get_page(page_number)
    audit.log_reads(actor, page.object_list, detail="liste des dossiers")
    return page


def usager_page(actor, pk) -> Usager:
    """The dossier page's person, logged as read."""
    usager = access_usager(actor, pk)
    audit.log_access(actor, AccessAction.READ, usager)
    return usager
