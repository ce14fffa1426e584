"""Why a document may not leave: each rule answers a French reason, or None when it may.

MSSanté domains come from MSSANTE_DOMAINS (default: mssante.fr and its sub-domains); citizen boxes
(patient.mssante.fr) are refused because only professionals are addressed from the dossier."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from dui.catalogue import LOINC_CODES
from dui.models import Usager
from dui.selectors.dmp import dmp_consent_of

NO_LOINC = "Ce type de document ne peut pas être envoyé : sa classe n'a pas de code de document reconnu (LOINC)."
NOT_QUALIFIED = (
    "Envoi au DMP impossible : l'identité de la personne n'est pas qualifiée (INS non utilisable). "
    "Faites qualifier l'identité (INSi + pièce d'identité) avant l'envoi."
)
NEVER_INFORMED = (
    "Envoi au DMP impossible : l'information de la personne sur le DMP n'est pas enregistrée dans le dossier."
)
OPPOSED = "Envoi au DMP impossible : la personne s'est opposée à l'alimentation de son DMP (le {date})."
PATIENT_BOX = (
    "Adresse d'un usager (patient.mssante.fr) : seuls les professionnels sont destinataires depuis le dossier."
)
NOT_MSSANTE = "« {address} » n'est pas une adresse de messagerie sécurisée de santé (domaine en mssante.fr)."


def class_refusal(class_code: str) -> str | None:
    return None if class_code in LOINC_CODES else NO_LOINC


def dmp_refusal(usager: Usager) -> str | None:
    if not usager.is_qualified or not usager.ins_matricule:
        return NOT_QUALIFIED
    consent = dmp_consent_of(usager)
    if consent is None or consent.informed_on is None:
        return NEVER_INFORMED
    if consent.opposed:
        return OPPOSED.format(date=consent.opposed_on.strftime("%d/%m/%Y") if consent.opposed_on else "date inconnue")
    return None


def mssante_domains() -> tuple[str, ...]:
    return tuple(getattr(settings, "MSSANTE_DOMAINS", ("mssante.fr",)))


def mssante_refusal(address: str) -> str | None:
    address = (address or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        return NOT_MSSANTE.format(address=address)
    domain = address.rsplit("@", 1)[1].lower()
    if domain == "patient.mssante.fr":
        return PATIENT_BOX
    if not any(domain == d or domain.endswith(f".{d}") for d in mssante_domains()):
        return NOT_MSSANTE.format(address=address)
    return None
