"""Requests from outside: a CSV file (all or nothing, each bad line named) and the ViaTrajectoire connector.

Both are idempotent on (origin, external reference): a request already imported is skipped, never
doubled. The CSV's header is documented in the README (CSV_COLUMNS below, ";" or "," separated).
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from admissions.connectors import get_backend
from admissions.models import AdmissionRequest, AdmissionSettings, Priority
from admissions.services.requests import _essms_id, _same_person, clean_request, request_create
from dui.actor import Actor
from dui.models import Essms, Membership, Metier, User

CSV_COLUMNS = (
    "origine", "reference", "nom_naissance", "prenoms", "nom_utilise", "date_naissance", "sexe",
    "code_lieu_naissance", "matricule_ins", "adresse", "telephone", "accueil", "adresseur", "priorite", "recue_le",
    "contact_nom", "contact_prenom", "contact_lien", "contact_telephone",
)  # fmt: skip
REQUIRED_COLUMNS = ("origine", "nom_naissance", "prenoms", "date_naissance", "sexe", "accueil")
_FIELDS = {
    "origine": "source", "reference": "external_ref", "nom_naissance": "birth_name", "prenoms": "first_names",
    "nom_utilise": "used_name", "date_naissance": "birth_date", "sexe": "sex", "code_lieu_naissance":
    "birth_place_code", "matricule_ins": "ins_matricule", "adresse": "address", "telephone": "phone",
    "accueil": "accommodation", "adresseur": "sending_facility", "priorite": "priority", "recue_le": "received_at",
}  # fmt: skip
_PRIORITIES = {"urgente": Priority.URGENTE, "haute": Priority.HAUTE, "normale": Priority.NORMALE}
MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 2000


@dataclass
class ImportResult:
    created: list[AdmissionRequest] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # external references already imported
    failed: dict[str, list[str]] = field(default_factory=dict)  # connector: reference → why it was refused


def _date(value: str):
    """AAAA-MM-JJ or JJ/MM/AAAA as a date; anything else is handed on as is, for the checks to name it."""
    value = (value or "").strip()
    parts = value.split("/")
    try:
        if len(parts) == 3 and all(part.isdigit() for part in parts):
            return datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        return datetime.date.fromisoformat(value)
    except ValueError:
        return value or None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _rows(raw: bytes) -> tuple[list[tuple[int, dict]], list[str]]:
    if len(raw) > MAX_BYTES:
        return [], ["Le fichier dépasse 2 Mo : découpez-le."]
    text = _decode(raw)
    if not text.strip():
        return [], ["Le fichier est vide."]
    delimiter = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in CSV_COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"colonnes obligatoires absentes : {', '.join(missing)}")
        if unknown:
            problems.append(f"colonnes inconnues : {', '.join(unknown)}")
        return [], [f"Ligne 1 (en-tête) : {' ; '.join(problems)}."]
    reader.fieldnames = header
    rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    if len(rows) > MAX_LINES:
        return [], [f"Le fichier compte plus de {MAX_LINES} lignes : découpez-le."]
    return [(number, row) for number, row in rows if any(row.values())], []


def _data(row: dict) -> tuple[dict, list[dict]]:
    data = {_FIELDS[column]: row.get(column, "") for column in _FIELDS}
    data["birth_date"] = _date(data["birth_date"])
    received = _date(data["received_at"])
    data["received_at"] = received if isinstance(received, datetime.date) or received is None else "invalide"
    priority = data["priority"].lower()
    data["priority"] = _PRIORITIES.get(priority, priority or Priority.NORMALE)
    data["source"] = data["source"].lower()
    data["accommodation"] = data["accommodation"].lower()
    contact = {f: row.get(f"contact_{c}", "") for f, c in (
        ("last_name", "nom"), ("first_name", "prenom"), ("relationship", "lien"), ("phone", "telephone"),
    )}  # fmt: skip
    return data, [contact] if any(contact.values()) else []


def _line_errors(number: int, errors: dict) -> list[str]:
    return [f"Ligne {number} : {message}" for message in errors.values()]


@transaction.atomic
def csv_import(actor, *, raw: bytes) -> ImportResult:
    """Import every line or none: a ValidationError lists each bad line with its number and reason."""
    essms_id = _essms_id(actor)
    rows, problems = _rows(raw)
    if problems:
        raise ValidationError(problems)
    if not rows:
        raise ValidationError(["Le fichier ne contient aucune demande."])
    result, accepted, errors = ImportResult(), [], []
    for number, row in rows:
        data, contacts = _data(row)
        if data["received_at"] == "invalide":
            errors.append(f"Ligne {number} : date de réception invalide (AAAA-MM-JJ ou JJ/MM/AAAA).")
            continue
        if (
            data["external_ref"]
            and AdmissionRequest.objects.filter(
                essms_id=essms_id, source=data["source"], external_ref=data["external_ref"]
            ).exists()
        ):
            result.skipped.append(data["external_ref"])
            continue
        probe = AdmissionRequest(essms_id=essms_id)
        line_errors = clean_request(probe, data)
        for earlier_number, earlier, _values, _contacts in accepted:
            if not line_errors and _same_person(probe, earlier) and probe.birth_date == earlier.birth_date:
                line_errors["__all__"] = f"même personne que la ligne {earlier_number}."
            elif probe.external_ref and (probe.source, probe.external_ref) == (earlier.source, earlier.external_ref):
                line_errors["external_ref"] = f"même référence que la ligne {earlier_number}."
        errors.extend(_line_errors(number, line_errors))
        accepted.append((number, probe, data, contacts))
    if errors:
        raise ValidationError(errors)
    for _number, _probe, data, contacts in accepted:
        result.created.append(request_create(actor, data=data, contacts=contacts))
    return result


def connector_actor(essms: Essms) -> Actor:
    """The ESSMS's technical account that records imported requests (created on first use)."""
    user, created = User.objects.get_or_create(
        username=f"viatrajectoire-{essms.finess}", defaults={"is_partner_system": True}
    )
    if created:
        user.set_unusable_password()
        user.last_name = "ViaTrajectoire"
        user.save(update_fields=["password", "last_name"])
    membership = Membership.objects.active().filter(user=user, essms=essms).first()
    if membership is None:
        membership = Membership.objects.create(user=user, essms=essms, metier=Metier.SECRETAIRE_MEDICALE)
    return Actor.for_task(user, membership)


@transaction.atomic
def connector_import(essms: Essms, *, since: datetime.datetime | None = None) -> ImportResult:
    """Fetch the new requests of one ESSMS and record those not imported yet; acknowledge them all."""
    actor = connector_actor(essms)
    row, _ = AdmissionSettings.objects.select_for_update().get_or_create(essms=essms)
    backend = get_backend()
    started = timezone.now()
    result = ImportResult()
    fetched = backend.fetch_new(essms, since if since is not None else row.connector_synced_at)
    for external in fetched:
        data = external.data | {"external_ref": external.reference}
        if AdmissionRequest.objects.filter(
            essms=essms, source=data.get("source"), external_ref=external.reference
        ).exists():
            result.skipped.append(external.reference)
            continue
        try:
            with transaction.atomic():
                result.created.append(request_create(actor, data=data, contacts=external.contacts))
        except ValidationError as error:  # e.g. the person already has an open request: left for a human
            result.failed[external.reference] = error.messages
    row.connector_synced_at = started
    row.save(update_fields=["connector_synced_at"])
    backend.acknowledge(essms, [e.reference for e in fetched if e.reference not in result.failed])
    return result
