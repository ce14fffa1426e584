"""Reads of the people around the person: contacts and référents, checked against the matrix."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from dui import audit
from dui.catalogue import READ, WRITE
from dui.errors import NotFound
from dui.models import AccessAction, Contact, ContactRole, Membership, Referent, ReferentRole, Usager, User
from dui.permissions import can
from dui.selectors import usagers_for_user
from dui.selectors.medical import can_section


def active_referents_q(day=None) -> Q:
    day = day or timezone.localdate()
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=day))


def contacts_for(actor, *, usager: Usager) -> QuerySet[Contact] | None:
    """Active contacts of one dossier, or None when the métier may not read the entourage."""
    if not can_section(actor, READ, usager, Contact.document_class_code):
        return None
    return Contact.objects.filter(essms_id=usager.essms_id, usager_id=usager.pk, ended_at__isnull=True)


def referents_for(actor, *, usager: Usager) -> QuerySet[Referent] | None:
    """Current référent and suppléant of one dossier, or None when not readable."""
    if not can_section(actor, READ, usager, Referent.document_class_code):
        return None
    return Referent.objects.filter(active_referents_q(), essms_id=usager.essms_id, usager_id=usager.pk).select_related(
        "user"
    )


def contact_for(actor, *, usager: Usager, pk: int) -> Contact:
    """An active contact of this dossier, or NotFound."""
    qs = contacts_for(actor, usager=usager)
    contact = None if qs is None else qs.filter(pk=pk).first()
    if contact is None:
        raise NotFound
    return contact


def contact_page(actor, *, usager: Usager, pk: int) -> Contact:
    """The contact an edit form shows, logged as read."""
    contact = contact_for(actor, usager=usager, pk=pk)
    audit.log_access(actor, AccessAction.READ, contact)
    return contact


def referent_candidates(actor, *, usager: Usager) -> QuerySet[User]:
    """Professionals with an active membership in the dossier's ESSMS (partner accounts left out);
    none for an actor who may not name the référent of this dossier."""
    if not can_section(actor, WRITE, usager, Referent.document_class_code):
        return User.objects.none()
    members = Membership.objects.active().filter(essms_id=usager.essms_id).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True, is_partner_system=False).order_by(
        "last_name", "first_name", "username"
    )


# --- API scope


def contacts_for_user(actor, *, usager_id: int | None = None) -> QuerySet[Contact]:
    """Active contacts of the dossiers the user reaches, when the matrix lets them read the entourage."""
    if not can(actor, READ, Contact.document_class_code):
        return Contact.objects.none()
    qs = Contact.objects.filter(usager__in=usagers_for_user(actor), ended_at__isnull=True)
    if usager_id is not None:
        qs = qs.filter(usager_id=usager_id)
    return qs.order_by("usager_id", "role", "last_name", "pk")


def referents_for_user(actor, *, usager_id: int | None = None) -> QuerySet[Referent]:
    if not can(actor, READ, Referent.document_class_code):
        return Referent.objects.none()
    qs = Referent.objects.filter(active_referents_q(), usager__in=usagers_for_user(actor)).select_related("user")
    if usager_id is not None:
        qs = qs.filter(usager_id=usager_id)
    return qs.order_by("usager_id", "role", "pk")


# --- The entourage page, grouped


@dataclass
class ContactGroup:
    key: str
    label: str
    roles: tuple[str, ...]
    contacts: list


GROUPS = (
    ("personne_confiance", "Personne de confiance", (ContactRole.PERSONNE_CONFIANCE,)),
    ("representant_legal", "Représentant légal", (ContactRole.REPRESENTANT_LEGAL,)),
    ("famille", "Famille et aidants", (ContactRole.FAMILLE, ContactRole.AIDANT)),
    ("medecin_traitant", "Médecin traitant", (ContactRole.MEDECIN_TRAITANT,)),
    ("professionnels", "Autres professionnels", (ContactRole.PROFESSIONNEL_EXTERNE,)),
)


def group_contacts(contacts) -> list[ContactGroup]:
    return [ContactGroup(key, label, roles, [c for c in contacts if c.role in roles]) for key, label, roles in GROUPS]


@dataclass
class EntouragePage:
    groups: list[ContactGroup] | None
    referent: Referent | None
    suppleant: Referent | None
    shows_referents: bool

    @property
    def rows(self) -> list:
        contacts = [c for g in self.groups for c in g.contacts] if self.groups else []
        return contacts + [r for r in (self.referent, self.suppleant) if r is not None]


def entourage_page(actor, *, usager: Usager) -> EntouragePage:
    """The entourage of one dossier: two queries whatever the number of contacts; what it shows logged as read."""
    contacts = contacts_for(actor, usager=usager)
    referents = referents_for(actor, usager=usager)
    current = {} if referents is None else {r.role: r for r in referents.order_by("starts_on", "pk")}
    page = EntouragePage(
        groups=None if contacts is None else group_contacts(list(contacts)),
        referent=current.get(ReferentRole.REFERENT),
        suppleant=current.get(ReferentRole.SUPPLEANT),
        shows_referents=referents is not None,
    )
    audit.log_reads(actor, [usager, *page.rows], detail="entourage")
    return page
