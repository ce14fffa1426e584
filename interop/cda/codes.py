"""Code systems and value mappings of the CDA header and of the XDS metadata (INTEROP.md §5).

Unconfirmed points (no source found, kept configurable here): the classCode (ASS_X04) chosen per
document class, SA41 for the social establishments, and the practiceSettingCode per ESSMS kind."""

from dui.models import EssmsKind

LOINC = "2.16.840.1.113883.6.1"
CONFIDENTIALITY = "2.16.840.1.113883.5.25"
GENDER = "2.16.840.1.113883.5.1"
INS_NIR = "1.2.250.1.213.1.4.8"
ID_NAT_PS = "1.2.250.1.71.4.2.1"
ID_NAT_STRUCT = "1.2.250.1.71.4.2.2"
CLASS_CODES = "1.2.250.1.213.1.1.4.1"  # ASS_X04
MASKING = "1.2.250.1.213.1.1.4.13"  # JDV_J08 (DMP-specific confidentiality codes)
FACILITY_TYPES = "1.2.250.1.71.4.2.4"
PRACTICE_SETTINGS = "1.2.250.1.213.1.1.4.9"
CDA_TYPE_ID = ("2.16.840.1.113883.1.3", "POCD_HD000040")
FORMAT_N1 = "urn:ihe:iti:xds-sd:pdf:2008"

N1_TEMPLATES = ("2.16.840.1.113883.2.8.2.1", "1.2.250.1.213.1.1.1.1", "1.3.6.1.4.1.19376.1.2.20")
# The volet's own templateId, for classes that have one (DLU-EHPAD 2022.01).
EXTRA_TEMPLATES = {"dlu": ("1.2.250.1.213.1.1.1.22",)}

# Masking flags the sender chooses (JDV_J08); N/R/V go into the CDA's confidentialityCode.
CONFIDENTIALITY_LEVELS = {"N": "Normal", "R": "Restreint", "V": "Très restreint"}
MASKING_FLAGS = {
    "MASQUE_PS": "Masqué aux professionnels de santé",
    "INVISIBLE_PATIENT": "Non visible par le patient",
    "INVISIBLE_REPRESENTANTS_LEGAUX": "Non visible par les représentants légaux",
}

CLASS_CODE_OF = {"dlu": "11", "ppa": "11", "volet_synthese_medicale": "11"}  # 11 synthèse, 10 compte rendu
DEFAULT_CLASS_CODE = "10"
CLASS_LABELS = {"10": "Compte rendu", "11": "Synthèse"}

_ELDERLY = {EssmsKind.EHPAD, EssmsKind.SSIAD, EssmsKind.SAAD}
_DISABLED = {
    EssmsKind.IME, EssmsKind.IMPRO, EssmsKind.MAS, EssmsKind.FAM, EssmsKind.ESAT,
    EssmsKind.FOYER, EssmsKind.SESSAD, EssmsKind.CAMSP, EssmsKind.SSAD,
}  # fmt: skip
FACILITY_LABELS = {
    "SA17": "Établissement pour personnes âgées",
    "SA16": "Établissement pour personnes handicapées",
    "SA41": "Autre établissement social",
}
_HOME_CARE = {EssmsKind.SSIAD, EssmsKind.SAAD, EssmsKind.SSAD, EssmsKind.SESSAD}
PRACTICE_LABELS = {"ESSMS": "Établissement et service social ou médico-social", "SAD": "Soins à domicile"}


def facility_type(kind: str) -> str:
    if kind in _ELDERLY:
        return "SA17"
    if kind in _DISABLED:
        return "SA16"
    return "SA41"


def practice_setting(kind: str) -> str:
    return "SAD" if kind in _HOME_CARE else "ESSMS"
