"""Visibility levels of transmissions: who reads (and may write) each level, through the matrix.

The habilitation matrix decides who reads the class 'transmissions' at all; the level narrows
it for one transmission. Two classes of the matrix (tier "Actes réservés", editable per OG) open
the restricted levels: `transmissions_equipe_soignante` (care staff level) and
`transmissions_medicales` (medical level). Read: may read that level; write: may choose it when
writing. The levels are computed once from `rights_of(actor)` (the matrix row read once per
request), never per row.
"""

from dui.catalogue import READ, WRITE, default_rights
from dui.models import Metier
from dui.permissions import rights_of
from transmissions.models import Visibility

CARE_CLASS = "transmissions_equipe_soignante"
MEDICAL_CLASS = "transmissions_medicales"
LEVEL_CLASSES = {Visibility.CARE_STAFF: CARE_CLASS, Visibility.MEDICAL: MEDICAL_CLASS}

# The métiers that read the medical level under the default matrix: only for bulk data generation
# (dui.scale_data); every decision goes through the OG's matrix below.
MEDICAL_TEAM = frozenset(m for m in Metier.values if "r" in default_rights(m, MEDICAL_CLASS))


def _levels(actor, action: str) -> list[str]:
    rights = rights_of(actor)
    levels = [Visibility.ALL_STAFF]
    for level, code in LEVEL_CLASSES.items():
        if action in rights.get(code, ()):
            levels.append(level)
    return levels


def levels_readable_by(actor) -> list[str]:
    """The levels the actor's métier reads in its OG's matrix (all staff, always)."""
    return _levels(actor, READ)


def levels_writable_by(actor) -> list[str]:
    """The levels the actor's métier may choose when writing (all staff, always)."""
    return _levels(actor, WRITE)


def may_use_level(actor, level: str) -> bool:
    return level in levels_writable_by(actor)
