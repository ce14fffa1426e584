"""Helpers of the portal tests: a person with consent, an invited relative with an account."""

import datetime

from django.utils import timezone

from dui.actor import Actor
from dui.models import Channel, Contact, ContactRole, Metier
from portal import services
from portal.models import GivenBy, Relation
from tests.factories import professional

RELATIVE_PASSWORD = "Portail-Famille-2026!"
ALL_FLAGS = {
    "sees_planning": True,
    "sees_activities": True,
    "sees_documents": True,
    "sees_transmissions": True,
    "sees_messages": True,
}


def relative_contact(usager, *, last_name="MARTIN", first_name="Claire", role=ContactRole.FAMILLE, **extra):
    return Contact.objects.create(
        essms_id=usager.essms_id, usager=usager, role=role, last_name=last_name, first_name=first_name,
        relationship="fille", email="claire.martin@example.org", **extra,
    )  # fmt: skip


def consented(usager, *, by=None):
    by = by or professional(usager.essms, Metier.CADRE_SANTE)
    services.consent_record(by, usager=usager, given_by=GivenBy.PERSON, given_on=timezone.localdate())
    return usager


def invite(usager, *, by=None, contact=None, flags=None):
    by = by or professional(usager.essms, Metier.CADRE_SANTE)
    contact = contact or relative_contact(usager)
    return services.invitation_create(
        by, usager=usager, relation=Relation.RELATIVE, contact=contact, flags=flags or ALL_FLAGS
    )


def relative_of(usager, *, username=None, flags=None, by=None):
    """A relative with an account and an access to this person (consent recorded if missing)."""
    from portal.selectors import current_consent

    if current_consent(usager) is None:
        consented(usager, by=by)
    invitation, token = invite(usager, by=by, flags=flags)
    username = username or f"proche{invitation.pk}-{usager.pk}"
    account = services.invitation_accept(
        None, token=token, username=username, password=RELATIVE_PASSWORD, password_again=RELATIVE_PASSWORD
    )
    return account.user


def portal_actor(user):
    return Actor(user=user, channel=Channel.PORTAL)


def future(hours=24):
    return timezone.now() + datetime.timedelta(hours=hours)


def isolation_portal(usager, marker: str):
    """ESSMS A's portal rows (made once): consent, a relative's access, a shared document, a message each way."""
    from portal.models import PortalAccess, SharedDocument

    access = PortalAccess.objects.filter(usager=usager).first()
    if access is not None:
        return access
    by = professional(usager.essms, Metier.CADRE_SANTE)
    consented(usager, by=by)
    _, token = services.invitation_create(
        by, usager=usager, relation=Relation.RELATIVE, contact=relative_contact(usager, last_name=marker),
        flags=ALL_FLAGS,
    )  # fmt: skip
    account = services.invitation_accept(
        None, token=token, username=f"proche-{marker.lower()}", password=RELATIVE_PASSWORD,
        password_again=RELATIVE_PASSWORD,
    )  # fmt: skip
    access = account.accesses.get()
    document = usager.documents.order_by("pk").first()
    if document is not None and not SharedDocument.objects.filter(document=document).exists():
        services.document_share(by, usager=usager, document=document, shared=True)
    services.message_from_relative(portal_actor(account.user), access=access, body=marker)
    services.message_from_team(by, access=access, body=marker)
    return access
