"""Writes of the entourage: contacts (personne de confiance, représentant légal, médecin traitant…) and référents.

One transaction each, the matrix checked on the dossier's class, an audit row per write.
History is kept: a replaced personne de confiance, médecin traitant or référent is ended,
never overwritten.
"""

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dui import audit
from dui.catalogue import WRITE
from dui.models import AccessAction, Contact, ContactRole, Membership, Referent, ReferentRole, Usager, User
from dui.permissions import can
from dui.selectors.entourage import active_referents_q
from dui.services.common import refuse_archived

RPPS_RE = re.compile(r"^\d{11}$")
# Only one of these may be active at a time: adding a new one ends the previous.
SINGLE_ROLES = {ContactRole.PERSONNE_CONFIANCE, ContactRole.MEDECIN_TRAITANT}
CONTACT_FIELDS = (
    "role",
    "last_name",
    "first_name",
    "relationship",
    "phone",
    "email",
    "address",
    "rpps",
    "protection_measure",
    "protection_until",
    "is_emergency_contact",
)


def check_writable(actor, target, usager: Usager, message: str) -> None:
    """The matrix must allow writing `target`'s class on this dossier, and the dossier must not be archived."""
    if not can(actor, WRITE, target):
        raise PermissionDenied(message)
    refuse_archived(usager)


def _locked_usager(usager: Usager) -> Usager:
    """Serialise concurrent writes on one dossier (the "only one active" rules)."""
    return Usager.objects.select_for_update().get(pk=usager.pk)


def _clean_contact(contact: Contact) -> None:
    for field in ("last_name", "first_name", "relationship", "phone", "email", "address", "rpps"):
        setattr(contact, field, (getattr(contact, field) or "").strip())
    contact.rpps = contact.rpps.replace(" ", "")
    contact.protection_measure = contact.protection_measure or ""
    errors: dict[str, str] = {}
    if contact.role not in ContactRole.values:
        errors["role"] = "Choisissez le rôle du contact."
    if not contact.last_name:
        errors["last_name"] = "Le nom est obligatoire."
    if contact.rpps and not RPPS_RE.match(contact.rpps):
        errors["rpps"] = "Le numéro RPPS doit comporter exactement 11 chiffres."
    elif contact.role == ContactRole.MEDECIN_TRAITANT and not contact.rpps:
        errors["rpps"] = "Le numéro RPPS du médecin traitant est obligatoire (11 chiffres)."
    if contact.role == ContactRole.REPRESENTANT_LEGAL and not contact.protection_measure:
        errors["protection_measure"] = (
            "Un représentant légal exerce une mesure de protection : précisez-la "
            "(tutelle, curatelle, habilitation familiale, sauvegarde de justice, mandat de protection future)."
        )
    elif contact.role != ContactRole.REPRESENTANT_LEGAL and (contact.protection_measure or contact.protection_until):
        errors["protection_measure"] = "Seul un représentant légal porte une mesure de protection."
    if errors:
        raise ValidationError(errors)
    contact.full_clean(exclude=["essms", "usager"])


def _end_previous(actor, contact: Contact) -> None:
    """A new personne de confiance or médecin traitant ends the active one (kept as history)."""
    if contact.role not in SINGLE_ROLES:
        return
    now = timezone.now()
    previous = list(
        Contact.objects.filter(usager_id=contact.usager_id, role=contact.role, ended_at__isnull=True).exclude(
            pk=contact.pk
        )
    )
    for old in previous:
        old.ended_at = now
        old.save(update_fields=["ended_at"])
        audit.log_access(
            actor,
            AccessAction.UPDATE,
            old,
            detail=f"{old.get_role_display()} remplacé(e)",
        )


@transaction.atomic
def contact_add(
    actor,
    *,
    usager: Usager,
    role: str,
    last_name: str,
    first_name: str = "",
    relationship: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    rpps: str = "",
    protection_measure: str = "",
    protection_until: date | None = None,
    is_emergency_contact: bool = False,
) -> Contact:
    contact = Contact(
        essms_id=usager.essms_id,
        usager=usager,
        role=role,
        last_name=last_name,
        first_name=first_name,
        relationship=relationship,
        phone=phone,
        email=email,
        address=address,
        rpps=rpps,
        protection_measure=protection_measure,
        protection_until=protection_until,
        is_emergency_contact=is_emergency_contact,
    )
    check_writable(actor, contact, usager, "Votre métier ne permet pas de modifier l'entourage.")
    _clean_contact(contact)
    _locked_usager(usager)
    contact.save()
    _end_previous(actor, contact)
    audit.log_access(actor, AccessAction.CREATE, contact, detail=contact.get_role_display())
    return contact


@transaction.atomic
def contact_update(actor, *, contact: Contact, **changes):
    """Change some fields of an active contact; a change of role to a single role ends the previous holder."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    check_writable(actor, contact, contact.usager, "Votre métier ne permet pas de modifier l'entourage.")
    if contact.ended_at is not None:
        raise ValidationError("Ce contact est clos : il ne peut plus être modifié.")
    current = Contact.objects.get(pk=contact.pk)
    for field, value in changes.items():
        setattr(current, field, value)
    _clean_contact(current)
    changed = [f for f in CONTACT_FIELDS if getattr(current, f) != getattr(contact, f)]
    if not changed:
        return contact
    _locked_usager(contact.usager)
    current.save(update_fields=changed)
    if "role" in changed:
        _end_previous(actor, current)
    audit.log_access(actor, AccessAction.UPDATE, current, detail="modifié : " + ", ".join(changed))
    for field in changed:
        setattr(contact, field, getattr(current, field))
    return contact


@transaction.atomic
def contact_end(actor, *, contact: Contact) -> Contact:
    check_writable(actor, contact, contact.usager, "Votre métier ne permet pas de modifier l'entourage.")
    if contact.ended_at is not None or Contact.objects.filter(pk=contact.pk, ended_at__isnull=False).exists():
        raise ValidationError("Ce contact est déjà clos.")
    contact.ended_at = timezone.now()
    contact.save(update_fields=["ended_at"])
    audit.log_access(actor, AccessAction.UPDATE, contact, detail="contact clos")
    return contact


@transaction.atomic
def referent_set(
    actor,
    *,
    usager: Usager,
    user: User,
    role: str,
) -> Referent:
    """Name the référent or the suppléant of a dossier; the previous one is ended today (history kept)."""
    referent = Referent(essms_id=usager.essms_id, usager=usager, user=user, role=role)
    check_writable(actor, referent, usager, "Votre métier ne permet pas de désigner le référent.")
    if role not in ReferentRole.values:
        raise ValidationError({"role": "Choisissez « référent » ou « suppléant »."})
    in_essms = Membership.objects.active().filter(user=user, essms_id=usager.essms_id).exists()
    if user is None or not user.is_active or getattr(user, "is_partner_system", False) or not in_essms:
        raise ValidationError({"user": "Ce professionnel n'exerce pas dans l'établissement de ce dossier."})
    _locked_usager(usager)
    today = timezone.localdate()
    current = list(Referent.objects.filter(active_referents_q(today), usager_id=usager.pk))
    for row in current:
        if row.user_id == user.pk:
            label = "le référent" if row.role == ReferentRole.REFERENT else "le suppléant"
            raise ValidationError({"user": f"Ce professionnel est déjà {label} de ce dossier."})
    for old in (row for row in current if row.role == role):
        old.ends_on = today
        old.save(update_fields=["ends_on"])
        audit.log_access(actor, AccessAction.UPDATE, old, detail=f"{old.get_role_display()} remplacé")
    referent.starts_on = today
    referent.full_clean()
    referent.save()
    audit.log_access(actor, AccessAction.CREATE, referent, detail=referent.get_role_display())
    return referent
