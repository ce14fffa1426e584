from dui.models.audit import AccessAction, AccessLog, AppendOnlyError, Channel
from dui.models.catalogue_kinds import CatalogueKinds
from dui.models.dlu import DossierDlu
from dui.models.dmp import DmpChannel, DmpConsent
from dui.models.documents import Document, DocumentVersion
from dui.models.drugs import Drug, DrugComponent, Presentation, Substance, SubstanceClass
from dui.models.entourage import Contact, ContactRole, ProtectionMeasure, Referent, ReferentRole
from dui.models.habilitations import DocumentClass, Habilitation, HabilitationChange
from dui.models.medical import (
    AggirEvaluation,
    Allergy,
    AllergySeverity,
    AllergyStatement,
    Antecedent,
    LifeNote,
    LifeNoteKind,
    Treatment,
)
from dui.models.people import Membership, Metier, User
from dui.models.planning import Appointment, Transport, UserPreference
from dui.models.sejours import (
    Absence,
    AbsenceKind,
    CretonDecision,
    ExitReason,
    Modality,
    Placement,
    Sejour,
    SejourStatus,
)
from dui.models.tenancy import Essms, EssmsKind, OrganismeGestionnaire, Unit
from dui.models.usager import IdentityAttribute, Sex, Usager, UsagerGrant

__all__ = [
    "Absence",
    "AbsenceKind",
    "AccessAction",
    "AccessLog",
    "AggirEvaluation",
    "Allergy",
    "AllergySeverity",
    "AllergyStatement",
    "Antecedent",
    "AppendOnlyError",
    "Appointment",
    "CatalogueKinds",
    "Channel",
    "Contact",
    "ContactRole",
    "CretonDecision",
    "DmpChannel",
    "DmpConsent",
    "Document",
    "DocumentClass",
    "DocumentVersion",
    "DossierDlu",
    "Drug",
    "DrugComponent",
    "Essms",
    "EssmsKind",
    "ExitReason",
    "Habilitation",
    "HabilitationChange",
    "IdentityAttribute",
    "LifeNote",
    "LifeNoteKind",
    "Membership",
    "Metier",
    "Modality",
    "OrganismeGestionnaire",
    "Placement",
    "Presentation",
    "ProtectionMeasure",
    "Referent",
    "ReferentRole",
    "Sejour",
    "SejourStatus",
    "Sex",
    "Substance",
    "SubstanceClass",
    "Transport",
    "Treatment",
    "Unit",
    "Usager",
    "UsagerGrant",
    "User",
    "UserPreference",
]
