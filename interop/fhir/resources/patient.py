"""Patient (FR Core Patient; FR Core Patient INS when the identity is qualified, RNIV)."""

from django.db.models import Q

from dui.ins import IdentityStatus, normalise_matricule, search_key
from dui.models import Usager
from interop.fhir import codes
from interop.fhir.resources.base import ID_PARAM, Handler, Param
from interop.fhir.search import date_filter, token
from interop.fhir.selectors import patients
from interop.fhir.validation import checked

GENDERS = {"F": "female", "M": "male", "I": "unknown"}
_SEX_OF = {"female": "F", "male": "M", "unknown": "I", "other": "I"}


def _ins_identifier(usager: Usager) -> list[dict]:
    oid = usager.ins_oid or codes.INS_NIR_OID
    kind = codes.INS_OIDS.get(oid)
    if not usager.shareable_matricule or kind is None:
        return []
    return [
        {
            "use": "temp" if kind == "INS-NIA" else "official",
            "type": {"coding": [{"system": codes.CS_IDENTIFIER_TYPE, "code": kind}]},
            "system": f"urn:oid:{oid}",
            "value": usager.shareable_matricule,
        }
    ]


def build(usager: Usager) -> dict:
    qualified = usager.is_qualified and bool(_ins_identifier(usager))
    names = [{"use": "official", "family": usager.birth_name, "given": usager.first_names.split()}]
    if usager.used_name or usager.used_first_name:
        usual = {"use": "usual", "family": usager.used_name or usager.birth_name}
        if usager.used_first_name:
            usual["given"] = [usager.used_first_name]
        names.append(usual)
    extensions = [
        {
            "url": codes.EXT_IDENTITY_RELIABILITY,
            "extension": [
                {
                    "url": "identityStatus",
                    "valueCoding": {
                        "system": codes.CS_IDENTITY_RELIABILITY,
                        "code": usager.identity_status,
                        "display": IdentityStatus(usager.identity_status).label,
                    },
                }
            ],
        }
    ]
    if usager.birth_place_code:
        extensions.append(
            {
                "url": codes.EXT_BIRTH_PLACE,
                "valueAddress": {
                    "extension": [
                        {
                            "url": codes.EXT_INSEE_CODE,
                            "valueCoding": {"system": codes.CS_COMMUNE, "code": usager.birth_place_code},
                        }
                    ]
                },
            }
        )
    resource = {
        "resourceType": "Patient",
        "id": str(usager.pk),
        "meta": {"profile": [codes.PROFILE_PATIENT_INS if qualified else codes.PROFILE_PATIENT]},
        "extension": extensions,
        "active": usager.archived_at is None,
        "name": names,
        "gender": GENDERS.get(usager.sex, "unknown"),
        "birthDate": usager.birth_date.isoformat(),
        "managingOrganization": {
            "identifier": {"system": codes.FINESS_SYSTEM, "value": usager.essms.finess},
            "display": usager.essms.name,
        },
    }
    identifiers = _ins_identifier(usager)
    if identifiers:
        resource["identifier"] = identifiers
    return checked(resource)


def _words(values: list[str]) -> Q:
    condition = Q()
    for value in values:
        for word in search_key(value).split():
            condition &= Q(search_text__contains=word)
    return condition


def filters(queryset, search):
    p = search.params
    for raw in p.get("identifier", []):
        system, value = token(raw)
        oid = (system or "").removeprefix("urn:oid:")
        if system and oid not in codes.INS_OIDS:
            return queryset.none()
        # A matricule only finds a qualified identity (RNIV), and only in the token's ESSMS.
        queryset = queryset.filter(ins_matricule=normalise_matricule(value), identity_status=IdentityStatus.QUALIFIEE)
        if system:
            queryset = queryset.filter(Q(ins_oid=oid) | Q(ins_oid="") if oid == codes.INS_NIR_OID else Q(ins_oid=oid))
    for name in ("name", "family", "given"):
        for modifier in ("", ":contains", ":exact"):
            if f"{name}{modifier}" in p:
                queryset = queryset.filter(_words(p[f"{name}{modifier}"]))
    for raw in p.get("birthdate", []):
        queryset = queryset.filter(**date_filter("birth_date", raw, "birthdate"))
    if "gender" in p:
        sexes = {_SEX_OF.get(v) for v in ",".join(p["gender"]).split(",")}
        queryset = queryset.filter(sex__in=[s for s in sexes if s])
    return queryset.order_by("birth_name", "first_names", "pk")


PATIENT = Handler(
    resource_type="Patient",
    profile=codes.PROFILE_PATIENT,
    build=build,
    queryset=lambda actor: patients(actor),
    filters=filters,
    params=(
        ID_PARAM,
        Param(
            "identifier",
            "token",
            "Matricule INS (système urn:oid:1.2.250.1.213.1.4.8…|valeur) ; identité qualifiée seulement.",
        ),
        Param(
            "name", "string", "Nom de naissance, nom utilisé ou prénoms, sans tenir compte des accents ni de la casse."
        ),
        Param("family", "string", "Comme name : mots cherchés dans les noms et prénoms (sans accents ni casse)."),
        Param("given", "string", "Comme name : mots cherchés dans les noms et prénoms (sans accents ni casse)."),
        Param("birthdate", "date", "Date de naissance (préfixes eq, ge, le, gt, lt)."),
        Param("gender", "token", "male, female, unknown."),
    ),
    documentation="Usagers de l'ESSMS du jeton. Profil FR Core Patient INS quand l'identité est qualifiée.",
)
