"""GDPR: export of one person's whole dossier (right of access), anonymisation of old archived dossiers.

The export walks every model holding a foreign key named ``usager`` to the dossier
(``Usager._meta`` reverse relations, hidden ones included), so a section added later is
exported without touching this module. The matricule INS leaves only for a qualified identity.
"""

import datetime
import io
import json
import os
import zipfile
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import get_valid_filename

from dui import audit
from dui.actor import Actor, user_of
from dui.catalogue import VALIDATE
from dui.errors import NotFound
from dui.ins import IdentityStatus
from dui.models import (
    AccessAction,
    Contact,
    Document,
    DocumentVersion,
    IdentityAttribute,
    LifeNote,
    Sex,
    Usager,
)
from dui.permissions import active_membership, can

EXPORT_FORMAT = "dui-export-dossier/1"

# Default retention before anonymisation of an archived dossier: 20 years, the period kept
# for medical records (art. R1112-7 du code de la santé publique). Set DOSSIER_RETENTION_DAYS
# to the organisation's retention policy (decided with its DPO).
DEFAULT_RETENTION_DAYS = 20 * 365

ANONYMOUS = "ANONYME"
PLACEHOLDER_BIRTH_DATE = datetime.date(1900, 1, 1)
DELETED_DOCUMENT_TITLE = "Document supprimé"
DELETED_FILE_NAME = "document-supprime"

# Never exported: internal search key; the matricule is handled apart (qualified identity only).
_USAGER_EXCLUDED = {"search_text", "ins_matricule", "ins_oid"}

README = """Export du dossier usager (droit d'accès, RGPD article 15)

- dossier.json : identité, séjours, affectations et absences, entourage, référents,
  antécédents, allergies, traitements, évaluations AGGIR, habitudes de vie, rendez-vous,
  métadonnées des documents, et toute autre rubrique du dossier.
- documents/ : chaque version de chaque document, telle qu'elle a été déposée.
- photo/ : la photo d'identification, s'il y en a une.

Le matricule INS n'est exporté que pour une identité qualifiée (RNIV).
"""


# --- Export


def can_export(user, usager: Usager) -> bool:
    """Who may answer an access request: a métier that validates identities, in the dossier's own ESSMS."""
    membership = active_membership(user)
    return membership is not None and membership.essms_id == usager.essms_id and can(user, VALIDATE, usager)


def require_export_right(user, usager: Usager) -> None:
    if not can_export(user, usager):
        raise NotFound


def dossier_models() -> list[type[models.Model]]:
    """Every model with a foreign key named `usager` to Usager, in a stable order."""
    found = {
        field.related_model
        for field in Usager._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and field.is_relation and field.field.name == "usager"
    }
    return sorted(found, key=lambda model: model._meta.label_lower)


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def serialise_row(obj: models.Model, *, exclude=frozenset()) -> dict:
    """Concrete fields as JSON values; choices and relations get a readable `<name>_label` too."""
    row = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = field.value_from_object(obj)
        row[field.name] = _plain(value)
        if field.is_relation and value is not None and field.name not in {"essms", "usager"}:
            row[f"{field.name}_label"] = str(getattr(obj, field.name))
        elif field.choices and value not in (None, ""):
            row[f"{field.name}_label"] = str(getattr(obj, f"get_{field.name}_display")())
    return row


def _rows(model, usager: Usager) -> QuerySet:
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name not in {"essms", "usager"}]
    return model._default_manager.filter(usager=usager).select_related(*relations).order_by("pk")


def _archive_name(document: Document, version: DocumentVersion) -> str:
    name = get_valid_filename(version.original_name) or f"version.{version.mime_type.rsplit('/', 1)[-1]}"
    return f"documents/{document.pk}/v{version.number}-{name}"


def dossier_export(actor, *, usager: Usager) -> bytes:
    """A ZIP (dossier.json + every document version) of one person's whole dossier; 404 if not allowed."""
    require_export_right(actor, usager)
    identity = serialise_row(usager, exclude=_USAGER_EXCLUDED)
    qualified = usager.identity_status == IdentityStatus.QUALIFIEE
    identity["ins_matricule"] = usager.shareable_matricule
    identity["ins_oid"] = usager.ins_oid if qualified else ""

    buffer = io.BytesIO()
    sections: dict[str, dict] = {}
    files = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model in dossier_models():
            rows = []
            queryset = _rows(model, usager)
            if model is Document:
                queryset = queryset.prefetch_related("versions__uploaded_by")
            for obj in queryset:
                row = serialise_row(obj)
                if model is Document:
                    row["versions"] = []
                    for version in sorted(obj.versions.all(), key=lambda v: v.number):
                        entry = serialise_row(version, exclude={"document", "file"})
                        entry["archive_path"] = ""
                        if version.file:
                            entry["archive_path"] = _archive_name(obj, version)
                            with version.file.open("rb") as stored:
                                archive.writestr(entry["archive_path"], stored.read())
                            files += 1
                        row["versions"].append(entry)
                rows.append(row)
            sections[model._meta.model_name] = {"label": str(model._meta.verbose_name_plural), "rows": rows}
        if usager.photo:
            photo_path = f"photo/{get_valid_filename(os.path.basename(usager.photo.name))}"
            with usager.photo.open("rb") as stored:
                archive.writestr(photo_path, stored.read())
            identity["photo"] = photo_path
            files += 1
        payload = {
            "format": EXPORT_FORMAT,
            "exported_at": timezone.now().isoformat(),
            "exported_by": user_of(actor).username,
            "essms": {"name": usager.essms.name, "finess": usager.essms.finess},
            "usager": identity,
            "sections": sections,
        }
        archive.writestr("dossier.json", json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        archive.writestr("LISEZMOI.txt", README)
    audit.log_access(
        actor,
        AccessAction.EXPORT,
        usager,
        detail=f"export RGPD du dossier ({sum(len(s['rows']) for s in sections.values())} lignes, {files} fichiers)",
    )
    return buffer.getvalue()


# --- Anonymisation


def retention_days() -> int:
    return int(getattr(settings, "DOSSIER_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def dossiers_to_anonymise(*, days: int, now: datetime.datetime | None = None) -> QuerySet[Usager]:
    """Dossiers archived more than `days` days ago and not yet anonymised, all ESSMS."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    return (
        Usager.objects.filter(archived_at__isnull=False, archived_at__lt=cutoff, anonymised_at__isnull=True)
        .select_related("essms")
        .order_by("archived_at", "pk")
    )


def anonymisation_plan(usager: Usager) -> dict[str, int]:
    """What anonymising this dossier would touch (counts only: nothing personal is printed)."""
    return {
        "contacts": Contact.objects.filter(usager=usager).count(),
        "life_notes": LifeNote.objects.filter(usager=usager).count(),
        "documents": Document.objects.filter(usager=usager).count(),
        "files": DocumentVersion.objects.filter(document__usager=usager).exclude(file="").count()
        + (1 if usager.photo else 0),
    }


# Who the access log names for an anonymisation run by the command (no user behind it).
ANONYMISATION_USER = SimpleNamespace(username="commande anonymise_archived", pk=None)


def anonymisation_actor():
    return Actor.for_task(ANONYMISATION_USER)


@transaction.atomic
def usager_anonymise(actor, *, usager: Usager, now: datetime.datetime | None = None) -> dict[str, int]:
    """Replace identity traits, clear the entourage's personal fields, life-note texts and document files.

    Rows are kept (statistics, history, access log), their personal content is not. Files are
    deleted once the transaction commits, and only when no other row still points at them.
    """
    now = now or timezone.now()
    usager = Usager.objects.select_for_update().get(pk=usager.pk)
    if usager.anonymised_at is not None:
        return {}
    plan = anonymisation_plan(usager)
    storage_names: set[tuple[object, str]] = set()
    if usager.photo:
        storage_names.add((usager.photo.storage, usager.photo.name))

    changes = {
        "birth_name": ANONYMOUS,
        "first_names": ANONYMOUS,
        "used_name": "",
        "used_first_name": "",
        "birth_date": PLACEHOLDER_BIRTH_DATE,
        "sex": Sex.UNDETERMINED,
        "birth_place_code": "",
        "ins_matricule": "",
        "ins_oid": "",
        "identity_status": IdentityStatus.PROVISOIRE,
        "identity_attribute": IdentityAttribute.FICTIVE,
        "insi_retrieved_at": None,
        "identity_proof": "",
        "identity_validated_at": None,
        "identity_validated_by": None,
        "photo": "",
        "search_text": ANONYMOUS.lower(),
        "anonymised_at": now,
    }
    for field, value in changes.items():
        setattr(usager, field, value)
    usager.save(update_fields=[*changes, "updated_at"])

    Contact.objects.filter(usager=usager).update(
        last_name=ANONYMOUS, first_name="", phone="", email="", address="", rpps=""
    )
    LifeNote.objects.filter(usager=usager).update(text="")

    versions = DocumentVersion.objects.filter(document__usager=usager)
    file_storage = DocumentVersion._meta.get_field("file").storage
    version_files = set(versions.exclude(file="").values_list("file", flat=True))
    versions.update(file="", original_name=DELETED_FILE_NAME)
    Document.objects.filter(usager=usager).update(title=DELETED_DOCUMENT_TITLE, source="")
    # Content-addressed storage: another dossier's version may share the same bytes.
    shared = set(DocumentVersion.objects.filter(file__in=version_files).values_list("file", flat=True))
    storage_names.update((file_storage, name) for name in version_files - shared)

    audit.log_access(
        actor,
        AccessAction.UPDATE,
        usager,
        detail="dossier anonymisé (durée de conservation dépassée)",
    )

    def delete_files():
        for storage, name in storage_names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return plan
