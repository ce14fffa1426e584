"""Identity writes: create and edit a dossier's identity, INSi retrieval, validation, merge.

RNIV rules enforced here (INTEROP.md §1):
- the identity status always reflects the evidence recorded: RECUP needs an INSi retrieval,
  VALI a high-trust identity document, QUAL both; asking for a lower status drops the evidence
  above it; an identity marked douteuse or fictive is forced to PROV;
- changing a strict trait or the matricule of a retrieved or validated identity voids those
  checks: it is accepted only together with a return to PROV;
- suspected duplicates stop a create (or a change of the traits) unless the user confirms it is
  another person; the confirmation is kept in the audit trail.
Identitovigilance works inside one ESSMS: only the dossier's own establishment edits, validates,
retrieves or merges an identity.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit, insi
from dui.actor import user_of
from dui.ins import (
    IdentityProof,
    IdentityStatus,
    check_matricule_traits,
    matricule_oid,
    name_key,
    normalise_matricule,
    validate_birth_date,
    validate_insee_code,
    validate_matricule,
)
from dui.models import AccessAction, EssmsKind, IdentityAttribute, Usager
from dui.permissions import active_membership, can
from dui.selectors.identity import find_suspected_duplicates, usager_search_text
from dui.services.common import refuse_archived

TRAIT_FIELDS = ("birth_name", "first_names", "birth_date", "sex", "birth_place_code")
DUPLICATE_FIELDS = ("birth_name", "first_names", "birth_date", "sex", "ins_matricule")
EDITABLE_FIELDS = (
    *TRAIT_FIELDS,
    "used_name",
    "used_first_name",
    "ins_matricule",
    "identity_status",
    "identity_attribute",
    "identity_proof",
)
DOUBTFUL_ATTRIBUTES = {IdentityAttribute.DOUTEUSE, IdentityAttribute.FICTIVE}
EHPAD_ONLY_PROOFS = {IdentityProof.LIVRET_FAMILLE, IdentityProof.EXTRAIT_NAISSANCE}
SAVED_FIELDS = [
    *EDITABLE_FIELDS,
    "ins_oid",
    "insi_retrieved_at",
    "identity_validated_at",
    "identity_validated_by",
    "search_text",
    "updated_at",
]


class DuplicateSuspectedError(ValidationError):
    """A ValidationError (code "duplicate") that also carries the suspected dossiers."""

    def __init__(self, message: str, duplicates: list[Usager]):
        super().__init__(message, code="duplicate")
        self.duplicates = duplicates

    def api_body(self) -> dict:
        return {"confirm_duplicate": self.messages, "duplicates": [usager.pk for usager in self.duplicates]}


# --- Helpers --------------------------------------------------------------------------------


def _require_membership(actor):
    membership = active_membership(actor)
    if membership is None:
        raise PermissionDenied("Aucune affectation active : vous ne pouvez pas agir sur les dossiers.")
    return membership


def _require_own_dossier(actor, usager: Usager, action: str, message: str) -> None:
    membership = _require_membership(actor)
    if not can(actor, action, usager):
        raise PermissionDenied(message)
    if usager.essms_id != membership.essms_id:
        raise PermissionDenied("Seul l'établissement qui tient ce dossier peut modifier l'identité de l'usager.")
    refuse_archived(usager)


def _locked(usager: Usager) -> Usager:
    """A fresh, locked copy: a refused change leaves the caller's instance untouched."""
    return Usager.objects.select_for_update().select_related("essms").get(pk=usager.pk)


def _clean_value(field: str, value, errors: dict):
    if field == "birth_date":
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            errors["birth_date"] = "Date de naissance invalide : format AAAA-MM-JJ attendu."
            return None
    text = "" if value is None else " ".join(str(value).split())
    if field == "ins_matricule":
        return normalise_matricule(text)
    if field in {"birth_place_code", "sex", "identity_status"}:
        return text.upper()
    if field in {"identity_attribute", "identity_proof"}:
        return text.lower()
    return text


def _proof_error(essms, proof: str) -> str | None:
    if proof not in IdentityProof.values:
        return "Justificatif d'identité inconnu : choisissez une pièce à haut niveau de confiance."
    if proof in EHPAD_ONLY_PROOFS and essms.kind != EssmsKind.EHPAD:
        return (
            f"« {IdentityProof(proof).label} » ne vaut justificatif que pour une admission directe en EHPAD : "
            "utilisez une carte d'identité, un passeport ou un titre de séjour."
        )
    return None


def _check_identity(usager: Usager, errors: dict) -> None:
    """Traits, INSEE code and matricule (key and consistency with sex and birth date), then the model."""
    if usager.birth_date and "birth_date" not in errors:
        try:
            validate_birth_date(usager.birth_date)
        except ValidationError as exc:
            errors["birth_date"] = exc.messages[0]
    if usager.birth_place_code:
        try:
            validate_insee_code(usager.birth_place_code)
        except ValidationError as exc:
            errors["birth_place_code"] = exc.messages[0]
    if usager.ins_matricule:
        try:
            validate_matricule(usager.ins_matricule)
        except ValidationError as exc:
            errors["ins_matricule"] = exc.messages[0]
        else:
            if usager.birth_date and "birth_date" not in errors:
                inconsistencies = check_matricule_traits(
                    usager.ins_matricule, sex=usager.sex, birth_date=usager.birth_date
                )
                if inconsistencies:
                    errors["ins_matricule"] = " ".join(inconsistencies)
    try:
        usager.full_clean(exclude=[*errors, "essms", "search_text"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, " ".join(messages))


def _settle_status(usager: Usager, *, requested: str | None, evidence_voided: bool, errors: dict) -> None:
    """Apply the RNIV status rules; the evidence kept is trimmed to the status reached."""
    retrieved = usager.insi_retrieved_at is not None
    proved = bool(usager.identity_proof)
    status = requested or usager.identity_status
    if usager.identity_attribute in DOUBTFUL_ATTRIBUTES:
        status = IdentityStatus.PROVISOIRE
    if status not in IdentityStatus.values:
        errors["identity_status"] = "Statut d'identité inconnu : PROV, RECUP, VALI ou QUAL."
        return
    if evidence_voided and status != IdentityStatus.PROVISOIRE:
        errors["identity_status"] = (
            "Modifier un trait strict ou le matricule d'une identité récupérée ou validée annule ces "
            "vérifications : choisissez le statut « Provisoire », puis interrogez INSi et validez à nouveau."
        )
        return
    if evidence_voided:
        retrieved = proved = False
    if status == IdentityStatus.RECUPEREE and not retrieved:
        errors["identity_status"] = (
            "Le statut « Récupérée » exige une récupération de l'identité par le téléservice INSi."
        )
    elif status == IdentityStatus.VALIDEE and not proved:
        errors["identity_status"] = (
            "Le statut « Validée » exige un justificatif d'identité à haut niveau de confiance "
            "(carte d'identité, passeport, titre de séjour…)."
        )
    elif status == IdentityStatus.QUALIFIEE and not (retrieved and proved):
        errors["identity_status"] = (
            "Le statut « Qualifiée » exige à la fois une récupération par le téléservice INSi et un "
            "justificatif d'identité à haut niveau de confiance."
        )
    if "identity_status" in errors:
        return
    if status in {IdentityStatus.PROVISOIRE, IdentityStatus.VALIDEE}:
        usager.insi_retrieved_at = None
    if status in {IdentityStatus.PROVISOIRE, IdentityStatus.RECUPEREE}:
        usager.identity_proof = ""
        usager.identity_validated_at = None
        usager.identity_validated_by = None
    usager.identity_status = status


def _born(usager: Usager) -> str:
    return {"F": "née", "M": "né"}.get(usager.sex, "né(e)")


def duplicate_message(duplicates: list[Usager]) -> str:
    described = "; ".join(
        f"{d} ({_born(d)} le {d.birth_date:%d/%m/%Y}, dossier n° {d.pk}{', archivé' if d.archived_at else ''})"
        for d in duplicates
    )
    return (
        f"Doublon possible : {described}. Vérifiez qu'il ne s'agit pas de la même personne ; "
        "si c'est bien une autre personne, confirmez pour enregistrer quand même."
    )


def _check_duplicates(actor, usager: Usager, *, exclude_pk, confirm: bool) -> list[Usager]:
    data = {field: getattr(usager, field) for field in DUPLICATE_FIELDS}
    duplicates = find_suspected_duplicates(actor, data=data, exclude_pk=exclude_pk)
    if duplicates and not confirm:
        raise DuplicateSuspectedError(duplicate_message(duplicates), duplicates)
    return duplicates


def _finish(usager: Usager) -> None:
    usager.ins_oid = matricule_oid(usager.ins_matricule) if usager.ins_matricule else ""
    usager.search_text = usager_search_text(usager)


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError({field: ValidationError(message) for field, message in errors.items()})


def _apply_data(actor, usager: Usager, data: dict, errors: dict) -> set[str]:
    """Copy the known fields of `data` onto `usager`; return the names of the fields that changed."""
    changed = set()
    for field in EDITABLE_FIELDS:
        if field not in data or field == "identity_status":
            continue
        value = _clean_value(field, data[field], errors)
        if value != getattr(usager, field):
            setattr(usager, field, value)
            changed.add(field)
    if "identity_proof" in changed:
        if not can(actor, "validate", usager):
            raise PermissionDenied(
                "Seul un professionnel habilité à valider les identités peut enregistrer un justificatif d'identité."
            )
        if usager.identity_proof:
            message = _proof_error(usager.essms, usager.identity_proof)
            if message:
                errors["identity_proof"] = message
            usager.identity_validated_at = timezone.now()
            usager.identity_validated_by = user_of(actor)
        else:
            usager.identity_validated_at = None
            usager.identity_validated_by = None
    return changed


def _duplicate_detail(duplicates: list[Usager]) -> str:
    if not duplicates:
        return ""
    numbers = ", ".join(str(d.pk) for d in duplicates)
    return f" ; doublon possible écarté par l'utilisateur (dossiers n° {numbers})"


# --- Services -------------------------------------------------------------------------------


@transaction.atomic
def usager_create(actor, *, data: dict, confirm_duplicate: bool = False) -> Usager:
    """Open a dossier in the acting user's ESSMS, after checking the identity and suspected duplicates."""
    membership = _require_membership(actor)
    if not can(actor, "write", Usager.document_class_code):
        raise PermissionDenied("Vos habilitations ne permettent pas de créer un dossier usager.")
    usager = Usager(essms=membership.essms)
    errors: dict = {}
    _apply_data(actor, usager, data, errors)
    requested = _clean_value("identity_status", data.get("identity_status"), errors) or IdentityStatus.PROVISOIRE
    _check_identity(usager, errors)
    _settle_status(usager, requested=requested, evidence_voided=False, errors=errors)
    _raise(errors)
    duplicates = _check_duplicates(actor, usager, exclude_pk=None, confirm=confirm_duplicate)
    _finish(usager)
    usager.save()
    audit.log_access(
        actor,
        AccessAction.CREATE,
        usager,
        detail=f"création du dossier, identité {usager.identity_status}{_duplicate_detail(duplicates)}",
    )
    return usager


@transaction.atomic
def usager_update(actor, *, usager: Usager, data: dict, confirm_duplicate: bool = False) -> Usager:
    """Change identity fields (only those present in `data`); returns the saved dossier."""
    _require_own_dossier(
        actor, usager, "write", "Vos habilitations ne permettent pas de modifier l'identité de cet usager."
    )
    current = _locked(usager)
    had_evidence = current.insi_retrieved_at is not None or bool(current.identity_proof)
    errors: dict = {}
    changed = _apply_data(actor, current, data, errors)
    requested = None
    if "identity_status" in data:
        requested = _clean_value("identity_status", data["identity_status"], errors) or None
    evidence_voided = had_evidence and bool(changed & {*TRAIT_FIELDS, "ins_matricule"})
    _check_identity(current, errors)
    status_before = current.identity_status
    _settle_status(current, requested=requested, evidence_voided=evidence_voided, errors=errors)
    _raise(errors)
    if current.identity_status != status_before:
        changed.add("identity_status")
    duplicates = []
    if changed & set(DUPLICATE_FIELDS):
        duplicates = _check_duplicates(actor, current, exclude_pk=current.pk, confirm=confirm_duplicate)
    if not changed:
        return current
    _finish(current)
    current.save(update_fields=SAVED_FIELDS)
    audit.log_access(
        actor,
        AccessAction.UPDATE,
        current,
        detail=f"identité modifiée : {', '.join(sorted(changed))}{_duplicate_detail(duplicates)}",
    )
    return current


@transaction.atomic
def usager_validate_identity(actor, *, usager: Usager, proof: str) -> Usager:
    """Record the high-trust document checked: VALI, or QUAL when INSi already retrieved the identity."""
    _require_own_dossier(
        actor,
        usager,
        "validate",
        "Seul un professionnel habilité à valider les identités (secrétariat, accueil, direction) peut le faire.",
    )
    current = _locked(usager)
    proof = _clean_value("identity_proof", proof, {})
    if current.identity_attribute in DOUBTFUL_ATTRIBUTES:
        raise ValidationError(
            "Une identité douteuse ou fictive ne peut pas être validée : levez d'abord le doute.", code="doubtful"
        )
    message = _proof_error(current.essms, proof)
    if message:
        raise ValidationError({"identity_proof": message})
    missing = [str(Usager._meta.get_field(field).verbose_name) for field in TRAIT_FIELDS if not getattr(current, field)]
    if missing:
        raise ValidationError(
            f"Impossible de valider une identité incomplète : renseignez {', '.join(missing)}.", code="incomplete"
        )
    current.identity_proof = proof
    current.identity_validated_at = timezone.now()
    current.identity_validated_by = user_of(actor)
    retrieved = current.insi_retrieved_at is not None
    current.identity_status = IdentityStatus.QUALIFIEE if retrieved else IdentityStatus.VALIDEE
    _finish(current)
    current.save(update_fields=SAVED_FIELDS)
    audit.log_access(
        actor,
        AccessAction.UPDATE,
        current,
        detail=f"identité validée sur justificatif ({proof}), statut {current.identity_status}",
    )
    return current


def _insi_traits_differ(usager: Usager, identity: insi.InsiIdentity) -> bool:
    return (
        name_key(usager.birth_name) != name_key(identity.birth_name)
        or name_key(usager.first_names) != name_key(identity.first_names)
        or usager.birth_date != identity.birth_date
        or usager.sex != identity.sex
        or (usager.birth_place_code or "").upper() != identity.birth_place_code.upper()
    )


@transaction.atomic
def usager_fetch_insi(actor, *, usager: Usager) -> Usager:
    """Ask the INSi teleservice for the national identity; on success take its traits, matricule and OID.

    The status becomes RECUP, or QUAL when a document already validated the same traits. When
    INSi returns different traits, the earlier validation no longer applies and is dropped.
    """
    _require_own_dossier(
        actor, usager, "write", "Vos habilitations ne permettent pas d'interroger INSi pour cet usager."
    )
    current = _locked(usager)
    if current.identity_attribute in DOUBTFUL_ATTRIBUTES:
        raise ValidationError(
            "Une identité douteuse ou fictive ne peut pas être recherchée dans INSi : levez d'abord le doute.",
            code="doubtful",
        )
    query = insi.InsiQuery(
        birth_name=current.birth_name,
        first_names=current.first_names,
        birth_date=current.birth_date,
        sex=current.sex,
        birth_place_code=current.birth_place_code,
    )
    try:
        identity = insi.get_backend().fetch(query)
    except insi.InsiError as exc:
        raise ValidationError(str(exc), code="insi") from exc
    other = (
        Usager.objects.filter(essms_id=current.essms_id, ins_matricule=identity.matricule, merged_into__isnull=True)
        .exclude(pk=current.pk)
        .first()
    )
    if other is not None:
        raise DuplicateSuspectedError(
            f"Doublon possible : INSi renvoie le matricule INS déjà enregistré pour {other} (dossier n° {other.pk}). "
            "Vérifiez et fusionnez les deux dossiers.",
            [other],
        )
    validation_dropped = bool(current.identity_proof) and _insi_traits_differ(current, identity)
    if validation_dropped:
        current.identity_proof = ""
        current.identity_validated_at = None
        current.identity_validated_by = None
    current.birth_name = identity.birth_name
    current.first_names = identity.first_names
    current.birth_date = identity.birth_date
    current.sex = identity.sex
    current.birth_place_code = identity.birth_place_code
    current.ins_matricule = identity.matricule
    current.insi_retrieved_at = timezone.now()
    current.identity_status = IdentityStatus.QUALIFIEE if current.identity_proof else IdentityStatus.RECUPEREE
    _finish(current)
    current.ins_oid = identity.oid or current.ins_oid
    current.save(update_fields=SAVED_FIELDS)
    detail = f"identité récupérée par INSi, statut {current.identity_status}"
    if validation_dropped:
        detail += " ; traits différents de ceux validés : validation à refaire"
    audit.log_access(actor, AccessAction.UPDATE, current, detail=detail)
    current.validation_dropped = validation_dropped
    return current
