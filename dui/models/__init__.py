from dui.models.audit import AccessAction, AccessLog, AppendOnlyError, Channel
from dui.models.habilitations import DocumentClass, Habilitation, HabilitationChange
from dui.models.people import Membership, Metier, User
from dui.models.tenancy import Essms, EssmsKind, OrganismeGestionnaire, Unit
from dui.models.usager import Sex, Usager, UsagerGrant

__all__ = [
    "AccessAction",
    "AccessLog",
    "AppendOnlyError",
    "Channel",
    "DocumentClass",
    "Essms",
    "EssmsKind",
    "Habilitation",
    "HabilitationChange",
    "Membership",
    "Metier",
    "OrganismeGestionnaire",
    "Sex",
    "Unit",
    "Usager",
    "UsagerGrant",
    "User",
]
