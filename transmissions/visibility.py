"""Visibility levels of transmissions: which métiers read (and may write) each level.

The habilitation matrix decides who reads the class 'transmissions' at all; the level narrows
it for one transmission. An author may only choose a level their own métier belongs to.
"""

from dui.models import Metier
from transmissions.models import Visibility

MEDICAL_TEAM = frozenset(
    {
        Metier.MEDECIN,
        Metier.MEDECIN_COORDONNATEUR,
        Metier.IDE,
        Metier.CADRE_SANTE,
        Metier.PHARMACIEN,
    }
)
CARE_TEAM = MEDICAL_TEAM | frozenset(
    {
        Metier.AIDE_SOIGNANT,
        Metier.ASH,
        Metier.EDUCATEUR,
        Metier.PSYCHOLOGUE,
        Metier.ERGOTHERAPEUTE,
        Metier.APA,
        Metier.DIETETICIEN,
    }
)


def levels_readable_by(metier: str) -> list[str]:
    levels = [Visibility.ALL_STAFF]
    if metier in CARE_TEAM:
        levels.append(Visibility.CARE_STAFF)
    if metier in MEDICAL_TEAM:
        levels.append(Visibility.MEDICAL)
    return levels


def may_use_level(metier: str, level: str) -> bool:
    return level in levels_readable_by(metier)
