"""Scoped reads behind the FHIR resources: every query goes through the dui/soins scoping selectors and
every read of personal data is logged (one row per object, bulk for a search page)."""

from django.db.models import QuerySet

from dui import audit
from dui.catalogue import READ
from dui.errors import NotFound, valid_pk
from dui.models import AccessAction, Allergy, Antecedent, DocumentVersion, Sejour, Usager
from dui.permissions import can
from dui.selectors import usagers_for_user
from dui.selectors.documents import documents_for_user
from dui.selectors.medical import entries_for_user
from dui.selectors.sejours import sejours_for_user
from soins.selectors.evaluations import evaluations_for_user


def patients(actor) -> QuerySet[Usager]:
    """Dossiers of the token's ESSMS (merged ones answer through the one they were merged into)."""
    return usagers_for_user(actor).filter(merged_into__isnull=True)


def encounters(actor) -> QuerySet[Sejour]:
    return sejours_for_user(actor).select_related("essms").prefetch_related("placements__unit")


def document_references(actor):
    return documents_for_user(actor).prefetch_related("versions")


def allergies(actor) -> QuerySet[Allergy]:
    return entries_for_user(actor, Allergy)


def conditions(actor) -> QuerySet[Antecedent]:
    return entries_for_user(actor, Antecedent)


def evaluations(actor):
    return evaluations_for_user(actor)


def read_one(actor, queryset: QuerySet, raw_id, *, detail: str):
    """One row of a scoped queryset by id, logged as read; NotFound whether missing or out of reach."""
    row = queryset.filter(pk=valid_pk(raw_id)).first()
    if row is None or not can(actor, READ, row):
        raise NotFound
    audit.log_access(actor, AccessAction.READ, row, detail=detail)
    return row


def logged_page(actor, rows: list, *, detail: str) -> list:
    """A search page, each row logged as read (in one bulk insert)."""
    audit.log_reads(actor, rows, detail=detail)
    return rows


def binary_version(actor, raw_id) -> DocumentVersion:
    """A document version whose document the actor may read, logged as read of its document."""
    version = DocumentVersion.objects.filter(pk=valid_pk(raw_id)).select_related("document").first()
    if version is None or not version.file:
        raise NotFound
    if not documents_for_user(actor).filter(pk=version.document_id).exists():
        raise NotFound
    audit.log_access(actor, AccessAction.READ, version.document, detail=f"FHIR Binary (version {version.number})")
    return version
