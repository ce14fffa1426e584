"""Writes of the admission requests: create, move through the workflow, opinion, contacts, parts.

One transaction each, the matrix checked (`demandes_admission`, `avis_admission`, the received
part's class), an access-log row per write; every refusal is a French message and writes nothing.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from admissions.models import (
    ADMISSION_CLASS,
    CLOSED,
    OPINION_CLASS,
    TRANSITIONS,
    Accommodation,
    AdmissionContact,
    AdmissionDocument,
    AdmissionOpinion,
    AdmissionRequest,
    AdmissionSettings,
    AdmissionStatusChange,
    Part,
    Priority,
    Source,
    Status,
    Verdict,
)
from dui import audit, dates
from dui.actor import user_of
from dui.catalogue import VALIDATE, WRITE
from dui.errors import NotFound
from dui.ins import name_key, normalise_matricule, validate_birth_date, validate_insee_code, validate_name_trait
from dui.models import AccessAction, ContactRole
from dui.models.usager import Sex
from dui.permissions import active_membership, can, require
from dui.selectors.identity import first_first_name
from dui.services.documents import display_name, inspect_file

REQUEST_FIELDS = (
    "source", "external_ref", "birth_name", "first_names", "used_name", "birth_date", "sex", "birth_place_code",
    "ins_matricule", "address", "phone", "accommodation", "sending_facility", "received_at", "priority", "notes",
)  # fmt: skip
OPINION_MISSING = (
    "L'avis du médecin coordonnateur est obligatoire avant d'accepter une demande dans cet établissement : "
    "faites-le enregistrer d'abord."
)
REASON_MISSING = "Le motif du refus est obligatoire."
PLANNED_DATE_MISSING = "La date d'entrée prévue est obligatoire."
EXTERNAL_REF_TAKEN = "Une demande de cette origine porte déjà cette référence dans l'établissement."


def _essms_id(actor) -> int:
    membership = active_membership(actor)
    if membership is None:
        raise NotFound
    require(actor, WRITE, ADMISSION_CLASS)
    return membership.essms_id


def settings_for(essms_id: int) -> AdmissionSettings:
    """The ESSMS's rules (defaults until someone changes them; not saved by a read)."""
    return AdmissionSettings.objects.filter(essms_id=essms_id).first() or AdmissionSettings(essms_id=essms_id)


def _text(value, limit: int, field: str, label: str, errors: dict) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        errors[field] = f"{label} ne doit pas dépasser {limit} caractères."
    return text


def _birth_date(value, errors: dict) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value or "").strip())
        except ValueError:
            errors["birth_date"] = "Date de naissance invalide : format AAAA-MM-JJ attendu."
            return None
    try:
        validate_birth_date(value)
    except ValidationError as exc:
        errors["birth_date"] = exc.messages[0]
    return value


def _received_at(value, errors: dict) -> datetime.datetime | None:
    if value in (None, ""):
        return timezone.now()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(9, 0))
    if not isinstance(value, datetime.datetime):
        errors["received_at"] = "Date de réception invalide."
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now():
        errors["received_at"] = "La date de réception ne peut pas être dans le futur."
    elif not dates.in_range(timezone.localdate(value)):
        errors["received_at"] = dates.OUT_OF_RANGE
    return value


def _clean_names(request: AdmissionRequest, errors: dict) -> None:
    for field, label in (("birth_name", "Le nom de naissance"), ("first_names", "Les prénoms de naissance")):
        if not getattr(request, field):
            errors[field] = f"{label} {'est obligatoire' if field == 'birth_name' else 'sont obligatoires'}."
    for field in ("birth_name", "first_names", "used_name"):
        if field in errors or not getattr(request, field):
            continue
        try:
            validate_name_trait(getattr(request, field))
        except ValidationError as exc:
            errors[field] = exc.messages[0]


def clean_request(request: AdmissionRequest, data: dict) -> dict:
    """Copy `data` onto the (unsaved) request and check it; returns the errors by field (empty: valid)."""
    errors: dict = {}
    request.source = data.get("source") or ""
    if request.source not in Source.values:
        errors["source"] = "Choisissez l'origine de la demande (ViaTrajectoire, directe, hôpital, autre)."
    request.external_ref = _text(data.get("external_ref"), 40, "external_ref", "La référence externe", errors)
    request.birth_name = _text(data.get("birth_name"), 100, "birth_name", "Le nom de naissance", errors).upper()
    request.first_names = _text(data.get("first_names"), 200, "first_names", "Les prénoms", errors)
    request.used_name = _text(data.get("used_name"), 100, "used_name", "Le nom utilisé", errors).upper()
    _clean_names(request, errors)
    request.birth_date = _birth_date(data.get("birth_date"), errors)
    request.sex = str(data.get("sex") or "").strip().upper()
    if request.sex not in Sex.values:
        errors["sex"] = "Choisissez le sexe : F, M ou I (indéterminé)."
    request.birth_place_code = str(data.get("birth_place_code") or "").strip().upper()
    if request.birth_place_code:
        try:
            validate_insee_code(request.birth_place_code)
        except ValidationError as exc:
            errors["birth_place_code"] = exc.messages[0]
    request.ins_matricule = normalise_matricule(str(data.get("ins_matricule") or ""))
    if len(request.ins_matricule) > 15:
        errors["ins_matricule"] = "Le matricule INS comporte 15 chiffres (clé comprise)."
    request.address = _text(data.get("address"), 300, "address", "L'adresse", errors)
    request.phone = _text(data.get("phone"), 30, "phone", "Le téléphone", errors)
    request.accommodation = data.get("accommodation") or ""
    if request.accommodation not in Accommodation.values:
        errors["accommodation"] = "Choisissez le type d'accueil demandé."
    request.sending_facility = _text(data.get("sending_facility"), 200, "sending_facility", "L'adresseur", errors)
    request.received_at = _received_at(data.get("received_at"), errors)
    try:
        request.priority = int(data.get("priority") or Priority.NORMALE)
    except (TypeError, ValueError):
        request.priority = 0
    if request.priority not in Priority.values:
        errors["priority"] = "Choisissez la priorité : urgente, haute ou normale."
    request.notes = str(data.get("notes") or "").strip()
    if not errors:
        _check_unique(request, errors)
    return errors


def _same_person(request: AdmissionRequest, other: AdmissionRequest) -> bool:
    return name_key(other.birth_name) == name_key(request.birth_name) and name_key(
        first_first_name(other.first_names)
    ) == name_key(first_first_name(request.first_names))


def duplicate_request_message(other: AdmissionRequest) -> str:
    return (
        f"Une demande est déjà ouverte pour cette personne ({other}, reçue le "
        f"{timezone.localtime(other.received_at):%d/%m/%Y}, {other.get_status_display().lower()}) : "
        "complétez-la plutôt que d'en créer une seconde."
    )


def _check_unique(request: AdmissionRequest, errors: dict) -> None:
    others = AdmissionRequest.objects.filter(essms_id=request.essms_id).exclude(pk=request.pk)
    if request.external_ref and others.filter(source=request.source, external_ref=request.external_ref).exists():
        errors["external_ref"] = EXTERNAL_REF_TAKEN
        return
    candidates = others.filter(birth_date=request.birth_date, sex=request.sex, usager__isnull=True).exclude(
        status__in=CLOSED
    )
    for other in candidates:
        if _same_person(request, other):
            errors["__all__"] = duplicate_request_message(other)
            return


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError({field: ValidationError(message) for field, message in errors.items()})


def _record_change(actor, request, *, from_status: str, at, comment: str = "") -> AdmissionStatusChange:
    return AdmissionStatusChange.objects.create(
        essms_id=request.essms_id,
        request=request,
        from_status=from_status,
        to_status=request.status,
        at=at,
        by=user_of(actor),
        comment=comment[:300],
    )


def _save_contacts(actor, request: AdmissionRequest, contacts) -> None:
    for number, raw in enumerate(contacts or (), start=1):
        contact = AdmissionContact(essms_id=request.essms_id, request=request, role=raw.get("role") or "famille")
        errors = _clean_contact(contact, raw)
        if errors:
            _raise({f"contact_{number}_{field}": message for field, message in errors.items()})
        contact.save()


def _clean_contact(contact: AdmissionContact, data: dict) -> dict:
    errors: dict = {}
    contact.last_name = _text(data.get("last_name"), 100, "last_name", "Le nom du contact", errors)
    contact.first_name = _text(data.get("first_name"), 100, "first_name", "Le prénom du contact", errors)
    contact.relationship = _text(data.get("relationship"), 100, "relationship", "Le lien", errors)
    contact.phone = _text(data.get("phone"), 30, "phone", "Le téléphone du contact", errors)
    if not contact.last_name:
        errors["last_name"] = "Le nom du contact est obligatoire."
    if contact.role not in ContactRole.values or contact.role in (
        ContactRole.REPRESENTANT_LEGAL,
        ContactRole.MEDECIN_TRAITANT,
    ):
        errors["role"] = (
            "Rôle du contact non accepté ici : le représentant légal et le médecin traitant se saisissent "
            "dans le dossier (mesure de protection, RPPS)."
        )
    return errors


@transaction.atomic
def request_create(actor, *, data: dict, contacts=()) -> AdmissionRequest:
    """A new request of the actor's ESSMS, in status « reçue » (its first step dated at reception)."""
    request = AdmissionRequest(essms_id=_essms_id(actor), created_by=user_of(actor), status=Status.RECUE)
    errors = clean_request(request, data)
    _raise(errors)
    request.save()
    _record_change(actor, request, from_status="", at=request.received_at, comment="demande reçue")
    _save_contacts(actor, request, contacts)
    audit.log_access(
        actor, AccessAction.CREATE, request, detail=f"demande d'admission ({request.get_source_display()})"
    )
    return request


def _locked(request: AdmissionRequest) -> AdmissionRequest:
    return AdmissionRequest.objects.select_for_update().get(pk=request.pk)


def require_write(actor, request: AdmissionRequest) -> None:
    require(actor, WRITE, request)


def latest_opinion(request: AdmissionRequest) -> AdmissionOpinion | None:
    return request.opinions.order_by("-given_on", "-pk").first()


@transaction.atomic
def request_transition(
    actor,
    *,
    request: AdmissionRequest,
    to_status: str,
    comment: str = "",
    reason: str = "",
    planned_entry_on: datetime.date | None = None,
) -> AdmissionRequest:
    """Move the request one step of the workflow; a step the workflow does not allow is refused."""
    require_write(actor, request)
    current = _locked(request)
    errors: dict = {}
    comment = " ".join((comment or "").split())
    reason = " ".join((reason or "").split())
    if to_status not in Status.values:
        raise ValidationError({"to_status": "Statut inconnu."})
    if to_status not in TRANSITIONS[current.status]:
        allowed = ", ".join(f"« {Status(s).label} »" for s in TRANSITIONS[current.status]) or "aucun"
        raise ValidationError(
            {
                "to_status": f"Une demande « {current.get_status_display()} » ne peut pas passer "
                f"« {Status(to_status).label} » (suite possible : {allowed})."
            }
        )
    if len(comment) > 300:
        errors["comment"] = "Le commentaire ne doit pas dépasser 300 caractères."
    if to_status == Status.REFUSEE:
        if not reason:
            errors["reason"] = REASON_MISSING
        elif len(reason) > 300:
            errors["reason"] = "Le motif ne doit pas dépasser 300 caractères."
    if to_status == Status.ACCEPTEE and settings_for(current.essms_id).opinion_required and not latest_opinion(current):
        errors["to_status"] = OPINION_MISSING
    if to_status == Status.ENTREE_PLANIFIEE:
        if planned_entry_on is None:
            errors["planned_entry_on"] = PLANNED_DATE_MISSING
        elif planned_entry_on < timezone.localdate(current.received_at) or not dates.in_range(planned_entry_on):
            errors["planned_entry_on"] = "La date d'entrée prévue doit suivre la réception de la demande."
    _raise(errors)
    from_status = current.status
    current.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Status.REFUSEE:
        current.refusal_reason = reason
        fields.append("refusal_reason")
    if to_status == Status.ENTREE_PLANIFIEE:
        current.planned_entry_on = planned_entry_on
        fields.append("planned_entry_on")
    current.save(update_fields=fields)
    _record_change(actor, current, from_status=from_status, at=timezone.now(), comment=reason or comment)
    audit.log_access(
        actor,
        AccessAction.UPDATE,
        current,
        detail=f"demande d'admission : {Status(from_status).label} → {current.get_status_display()}",
    )
    return current


@transaction.atomic
def opinion_record(actor, *, request: AdmissionRequest, verdict: str, text: str, given_on=None) -> AdmissionOpinion:
    """The médecin coordonnateur's opinion (right "validate" on `avis_admission`); a later one supersedes it."""
    opinion = AdmissionOpinion(
        essms_id=request.essms_id,
        request=request,
        verdict=verdict,
        text=(text or "").strip(),
        given_on=given_on or timezone.localdate(),
        author=user_of(actor),
    )
    if not can(actor, VALIDATE, opinion):
        require(actor, "read", request)  # another ESSMS's request: a plain 404
        raise PermissionDenied("Seul le médecin coordonnateur enregistre l'avis médical d'admission.")
    current = _locked(request)
    errors = {}
    if current.status in CLOSED or current.usager_id:
        errors["verdict"] = "Cette demande est close : l'avis ne peut plus être modifié."
    if verdict not in Verdict.values:
        errors["verdict"] = "Choisissez l'avis : favorable, réservé ou défavorable."
    if not opinion.text:
        errors["text"] = "La motivation de l'avis est obligatoire."
    if opinion.given_on > timezone.localdate():
        errors["given_on"] = "La date de l'avis ne peut pas être dans le futur."
    elif opinion.given_on < timezone.localdate(current.received_at):
        errors["given_on"] = "L'avis ne peut pas précéder la réception de la demande."
    _raise(errors)
    opinion.save()
    audit.log_access(actor, AccessAction.CREATE, opinion, detail=f"avis médical d'admission {verdict}")
    return opinion


@transaction.atomic
def contact_add(actor, *, request: AdmissionRequest, data: dict) -> AdmissionContact:
    require_write(actor, request)
    contact = AdmissionContact(essms_id=request.essms_id, request=request, role=data.get("role") or "famille")
    _raise(_clean_contact(contact, data))
    contact.save()
    audit.log_access(actor, AccessAction.CREATE, contact, detail="contact d'une demande d'admission")
    return contact


@transaction.atomic
def document_add(actor, *, request: AdmissionRequest, part: str, title: str, file) -> AdmissionDocument:
    """A part received with the request; the file is checked as the dossier's uploads are."""
    require_write(actor, request)
    if part not in Part.values:
        raise ValidationError({"part": "Choisissez le volet : médical ou administratif."})
    document = AdmissionDocument(
        essms_id=request.essms_id, request=request, part=part, title=" ".join((title or "").split()),
        uploaded_by=user_of(actor),
    )  # fmt: skip
    if not can(actor, WRITE, document):
        raise PermissionDenied(f"Votre métier ne permet pas de déposer le {Part(part).label.lower()}.")
    if not document.title:
        raise ValidationError({"title": "Le titre du document est obligatoire."})
    if len(document.title) > 200:
        raise ValidationError({"title": "Le titre ne doit pas dépasser 200 caractères."})
    inspected = inspect_file(file)
    document.mime_type, document.size, document.sha256 = inspected.mime_type, inspected.size, inspected.sha256
    document.original_name = display_name(getattr(file, "name", ""), inspected.mime_type)
    file.seek(0)
    document.file.save(document.original_name, file, save=False)
    try:
        document.save()
    except BaseException:
        document.file.delete(save=False)
        raise
    audit.log_access(actor, AccessAction.CREATE, document, detail=f"{document.get_part_display()} déposé")
    return document


@transaction.atomic
def settings_update(actor, *, opinion_required: bool, connector_enabled: bool) -> AdmissionSettings:
    essms_id = _essms_id(actor)
    if not can(actor, "read", OPINION_CLASS):
        raise PermissionDenied("Seuls la direction, le cadre de santé et le médecin coordonnateur règlent l'admission.")
    row, _ = AdmissionSettings.objects.select_for_update().get_or_create(essms_id=essms_id)
    row.opinion_required, row.connector_enabled = bool(opinion_required), bool(connector_enabled)
    row.save(update_fields=["opinion_required", "connector_enabled"])
    audit.log_access(actor, AccessAction.UPDATE, row, detail=f"avis médical obligatoire : {row.opinion_required}")
    return row
