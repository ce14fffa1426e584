"""Code systems and identifiers the FHIR resources use (INTEROP.md §1, §3, §4)."""

FR_CORE = "https://hl7.fr/ig/fhir/core"
PROFILE_PATIENT = f"{FR_CORE}/StructureDefinition/fr-core-patient"
PROFILE_PATIENT_INS = f"{FR_CORE}/StructureDefinition/fr-core-patient-ins"
EXT_IDENTITY_RELIABILITY = f"{FR_CORE}/StructureDefinition/fr-core-identity-reliability"
CS_IDENTITY_RELIABILITY = f"{FR_CORE}/CodeSystem/fr-core-cs-identity-reliability"
EXT_INSEE_CODE = f"{FR_CORE}/StructureDefinition/fr-core-address-insee-code"
EXT_BIRTH_PLACE = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
CS_IDENTIFIER_TYPE = f"{FR_CORE}/CodeSystem/fr-core-cs-v2-0203"
CS_COMMUNE = "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM"

# Matricule INS OIDs → FR Core identifier type (INTEROP.md §1, §4).
INS_OIDS = {
    "1.2.250.1.213.1.4.8": "INS-NIR",
    "1.2.250.1.213.1.4.9": "INS-NIA",
    "1.2.250.1.213.1.4.10": "INS-NIR-TEST",
    "1.2.250.1.213.1.4.11": "INS-NIR-DEMO",
}
INS_NIR_OID = "1.2.250.1.213.1.4.8"

# Professionals: idNat_PS = "8" + RPPS (INTEROP.md §3).
IDNAT_PS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"
FINESS_SYSTEM = "https://finess.esante.gouv.fr"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CS_OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CS_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CS_ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
CS_CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"

# The product's own code systems: document classes of the habilitation matrix and their tiers.
LOCAL = "https://dui.essms.fr/fhir/CodeSystem"
CS_DOCUMENT_CLASS = f"{LOCAL}/classe-document"
CS_DOCUMENT_TIER = f"{LOCAL}/famille-document"
CS_ANTECEDENT_KIND = f"{LOCAL}/type-antecedent"


def practitioner_reference(user) -> dict:
    """A professional as author: idNat_PS from the RPPS when known, the name otherwise."""
    display = user.get_full_name() or user.username
    rpps = getattr(user, "rpps", "")
    if rpps:
        return {"identifier": {"system": IDNAT_PS_SYSTEM, "value": f"8{rpps}"}, "display": display}
    return {"display": display}
